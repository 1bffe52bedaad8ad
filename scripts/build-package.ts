/**
 * `npm pack` runs this first (`prepack`): `dist/` then holds what the published package is.
 * - `dist/infra/cdk.js` and what it imports, compiled with their types (`tsconfig.package.json`): the `./cdk` export.
 * - `dist/bundles/<function>/index.mjs`: the function bundles, built exactly as the stack builds them, which the
 *   construct deploys as they are. A consumer's `cdk synth` needs neither our source nor esbuild.
 * It fails when the compiled construct would load anything but its peer dependencies and Node's built-ins, since a
 * consumer installs nothing else. `postpack` deletes `dist/`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_BUNDLES } from '../infra/bundle-settings.js';
import { esbuildOptions } from '../infra/esbuild-options.js';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
/** What the compiled construct may import: its peer dependencies and Node's built-ins. */
const allowed = /^(node:|aws-cdk-lib(\/|$)|constructs$|\.{1,2}\/)/;

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

export async function buildPackage(): Promise<void> {
  rmSync(dist, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.package.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  const imports = filesUnder(dist)
    .filter((file) => file.endsWith('.js'))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*'([^']+)'/g)].map(
        (m) => [relative(root, file), m[1] ?? ''] as const,
      ),
    );
  const foreign = imports.filter(([, specifier]) => !allowed.test(specifier));
  if (foreign.length > 0) {
    throw new Error(
      `The construct would load what a consumer does not install: ${foreign.map(([f, s]) => `${s} (${f})`).join(', ')}`,
    );
  }
  for (const handler of FUNCTION_BUNDLES) {
    const outdir = join(dist, 'bundles', handler);
    mkdirSync(outdir, { recursive: true });
    await build({ ...esbuildOptions(handler), outfile: join(outdir, 'index.mjs') });
  }
}

if (import.meta.main) await buildPackage();
