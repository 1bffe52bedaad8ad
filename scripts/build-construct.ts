/**
 * Builds the construct library, `cdk-cognito-device-bff`, with jsii: one package for TypeScript, Python, Java, .NET
 * and Go (`npm run construct`; the package test runs it too).
 *
 * 1. Stages a package in `outDir`: construct/package.json, README.md, API.md and the repository's LICENSE; under
 *    `src/`, infra/cdk.ts and every module it imports, as they are, but for infra/function-code.ts, whose place the
 *    package's own construct/function-code.ts takes (it deploys the shipped bundles instead of bundling our source).
 * 2. Builds the function bundles into `bundles/`, exactly as the stack builds them.
 * 3. Compiles with jsii, failing on any warning: `lib/` and the `.jsii` assembly.
 * 4. With `targets`, generates those languages' packages' source with jsii-pacmak (`--code-only`: this machine has
 *    no PyPI or Maven Central to build wheels or jars with); with `apiDoc`, writes API.md (jsii-docgen, what Construct
 *    Hub shows); with `pack`, `npm pack`s the package.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { FUNCTION_BUNDLES } from '../infra/bundle-settings.js';
import { esbuildOptions } from '../infra/esbuild-options.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const bin = (tool: string) => join(root, 'node_modules', '.bin', tool);

/** The jsii targets pacmak can generate here (Python first: the most used CDK language after TypeScript). */
export const LANGUAGES = ['python', 'java', 'dotnet', 'go'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface ConstructBuild {
  /** The staged, compiled package. */
  readonly dir: string;
  /** jsii's output: warnings and errors (empty when it had nothing to say). */
  readonly diagnostics: string;
  /** The tarball, with `pack`. */
  readonly tarball?: string;
}

/** The package's own modules, in place of the repository's of the same name. */
const REPLACED: Record<string, string> = { 'infra/function-code.ts': 'construct/function-code.ts' };

/** The modules infra/cdk.ts loads, transitively, by their paths from the repository root. */
export function constructSources(entry = 'infra/cdk.ts'): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(join(root, REPLACED[file] ?? file), 'utf8');
    // `import … from`, `export … from`, `import type … from`, and side-effect imports (`import './x.js'`).
    for (const match of source.matchAll(
      /(?:^|\n)\s*(?:import|export)(?:[^'";]*?from)?\s*'(\.{1,2}\/[^']+)'/g,
    )) {
      const target = join(dirname(file), match[1] ?? '').replace(/\.js$/, '.ts');
      visit(target);
    }
  };
  visit(entry);
  return [...seen].sort();
}

export async function buildConstruct(options: {
  readonly outDir: string;
  readonly targets?: readonly Language[];
  readonly apiDoc?: boolean;
  readonly pack?: boolean;
}): Promise<ConstructBuild> {
  const dir = options.outDir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // With `apiDoc`, jsii-docgen writes API.md: the repository's copy must not stand in for it.
  const copied = ['package.json', 'README.md', ...(options.apiDoc ? [] : ['API.md'])];
  for (const file of copied) copyFileSync(join(root, 'construct', file), join(dir, file));
  copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
  for (const file of constructSources()) {
    mkdirSync(join(dir, 'src', dirname(file)), { recursive: true });
    copyFileSync(join(root, REPLACED[file] ?? file), join(dir, 'src', file));
  }
  writeFileSync(join(dir, 'src', 'index.ts'), "export * from './infra/cdk';\n");
  // jsii reads aws-cdk-lib's and constructs' assemblies from node_modules, as an installed package would.
  if (!existsSync(join(dir, 'node_modules')))
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const handler of FUNCTION_BUNDLES) {
    await build({ ...esbuildOptions(handler), outfile: join(dir, 'bundles', handler, 'index.mjs') });
  }
  const jsii = await run(bin('jsii'), ['--fail-on-warnings'], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
    throw new Error(`jsii failed:\n${error.stdout ?? ''}${error.stderr ?? error.message}`);
  });
  const diagnostics = `${jsii.stdout}${jsii.stderr}`.trim();
  checkPeersOnly(join(dir, 'lib'));
  if (options.targets && options.targets.length > 0) {
    await run(bin('jsii-pacmak'), ['--code-only', '--targets', ...options.targets, '--outdir', 'dist'], {
      cwd: dir,
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  if (options.apiDoc) {
    await run(bin('jsii-docgen'), ['--output', 'API.md'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
  }
  let tarball: string | undefined;
  if (options.pack) {
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts'], { cwd: dir });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    tarball = packed && join(dir, packed.filename);
  }
  return { dir, diagnostics, ...(tarball && { tarball }) };
}

/** What the compiled construct may load: its peer dependencies, Node's built-ins and its own modules. */
const ALLOWED = /^(node:|aws-cdk-lib(\/|$)|constructs$|\.{1,2}\/)/;

/** Fails when the compiled construct would load anything a consumer does not install (their app has only the peers). */
export function checkPeersOnly(libDir: string): void {
  const files = readdirSync(libDir, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && (entry.name.endsWith('.js') || entry.name.endsWith('.d.ts')),
  );
  const foreign = files.flatMap((entry) => {
    const file = join(entry.parentPath, entry.name);
    // The code's `require`s and its declarations' imports: a type-only import of a package the app lacks breaks
    // the app's type-check.
    return [
      ...readFileSync(file, 'utf8').matchAll(
        /\brequire\("([^"]+)"\)|\bfrom ['"]([^'"]+)['"]|\bimport\(['"]([^'"]+)['"]\)/g,
      ),
    ]
      .map((m) => m[1] ?? m[2] ?? m[3] ?? '')
      .filter((specifier) => !ALLOWED.test(specifier))
      .map((specifier) => `${specifier} (${relative(libDir, file)})`);
  });
  if (foreign.length > 0) {
    throw new Error(`The construct would load what a consumer does not install: ${foreign.join(', ')}`);
  }
}

if (import.meta.main) {
  const outDir = join(root, 'dist', 'construct');
  const result = await buildConstruct({ outDir, targets: LANGUAGES, apiDoc: true, pack: true });
  // API.md is checked in (Construct Hub shows it; a test keeps it current): bring the generated one back.
  cpSync(join(result.dir, 'API.md'), join(root, 'construct', 'API.md'));
  console.log(result.diagnostics || 'jsii: no diagnostics');
  console.log(`Built ${relative(root, result.dir)}: ${result.tarball ? relative(root, result.tarball) : ''}`);
  console.log(`Generated ${LANGUAGES.join(', ')} in ${relative(root, join(result.dir, 'dist'))}`);
}
