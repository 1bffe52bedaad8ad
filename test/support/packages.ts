import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Packing this repository's packages and installing them into a fresh project the way an app team does, but
 * offline: `npm ci --offline` from a lockfile whose registry packages are those of this repository's lockfile, so
 * every tarball comes from the npm cache `npm ci` filled.
 */
const run = promisify(execFile);
const root = new URL('../../', import.meta.url);

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  [key: string]: unknown;
}
const rootLock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

/** `npm pack` of the package in `dir` (its `prepack` builds it) into `destination`; the tarball's path. */
export async function pack(dir: URL, destination: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: dir,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack gave no tarball: ${stdout}`);
  return join(destination, packed.filename);
}

/** The registry packages `names` need, as this repository's lockfile has them (versions and integrity). */
function lockedClosure(
  names: readonly string[],
  into: Record<string, LockEntry> = {},
): Record<string, LockEntry> {
  for (const name of names) {
    const key = `node_modules/${name}`;
    const entry = rootLock.packages[key];
    if (into[key] || !entry) continue;
    const { dev: _dev, peer: _peer, devOptional: _devOptional, ...kept } = entry;
    into[key] = kept;
    lockedClosure(Object.keys(entry.dependencies ?? {}), into);
  }
  return into;
}

/**
 * A project in `appDir` depending on the `tarballs` (by path) and on the `registry` packages (by name, at the
 * versions this repository locks), installed with `npm ci --offline`.
 */
export async function installOffline(
  appDir: string,
  tarballs: readonly string[],
  registry: readonly string[],
): Promise<void> {
  const dependencies: Record<string, string> = {};
  const packages: Record<string, LockEntry> = {};
  const needed = [...registry];
  for (const tarball of tarballs) {
    const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    const manifest = JSON.parse(stdout) as {
      name: string;
      version: string;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    const file = `file:${basename(tarball)}`;
    dependencies[manifest.name] = file;
    packages[`node_modules/${manifest.name}`] = {
      version: manifest.version,
      resolved: file,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`,
      ...(manifest.dependencies && { dependencies: manifest.dependencies }),
      ...(manifest.peerDependencies && { peerDependencies: manifest.peerDependencies }),
    };
    needed.push(...Object.keys(manifest.dependencies ?? {}));
  }
  for (const name of registry) dependencies[name] = rootLock.packages[`node_modules/${name}`]?.version ?? '';
  const manifest = { name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies };
  writeFileSync(join(appDir, 'package.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(
    join(appDir, 'package-lock.json'),
    JSON.stringify(
      {
        name: 'consumer',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': manifest, ...lockedClosure(needed), ...packages },
      },
      null,
      2,
    ),
  );
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: appDir,
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** This repository's TypeScript compiler, run on a project's tsconfig; a failure carries the compiler's report. */
export async function typecheck(projectDir: string): Promise<void> {
  const tsc = new URL('node_modules/typescript/bin/tsc', root).pathname;
  await run(process.execPath, [tsc, '-p', projectDir]).catch((error: { stdout?: string }) => {
    throw new Error(`tsc failed:\n${error.stdout ?? String(error)}`);
  });
}

/** The repository's root, as a URL. */
export const repositoryRoot = root;
