import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPeersOnly, constructSources } from '../../scripts/build-construct.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the construct library build (scripts/build-construct.ts)', () => {
  it('stages the construct and what it imports, not the functions it deploys as bundles', () => {
    const sources = constructSources();
    expect(sources).toContain('infra/device-bff.ts');
    expect(sources).toContain('functions/routes.ts');
    // infra/function-code.ts is staged under its own name with the package's code (construct/function-code.ts), whose
    // imports are the ones followed: the repository's esbuild settings, which only its version imports, stay out.
    expect(sources).toContain('infra/function-code.ts');
    expect(sources).not.toContain('infra/bundle-settings.ts');
    expect(sources).toContain('infra/function-bundles.ts');
    expect(sources.filter((file) => file.startsWith('functions/handlers/'))).toEqual([]);
  });

  it('refuses a compiled construct that would load anything but its peers, Node and itself', () => {
    dir = mkdtempSync(join(tmpdir(), 'construct-lib-'));
    mkdirSync(join(dir, 'infra'));
    writeFileSync(
      join(dir, 'infra', 'ok.js'),
      'require("aws-cdk-lib/aws-lambda"); require("constructs"); require("node:path"); require("./x.js");\n',
    );
    expect(() => checkPeersOnly(dir ?? '')).not.toThrow();
    writeFileSync(join(dir, 'infra', 'ok.d.ts'), "import type { Construct } from 'constructs';\n");
    expect(() => checkPeersOnly(dir ?? '')).not.toThrow();
    writeFileSync(join(dir, 'infra', 'bad.js'), 'const z = require("zod/mini");\n');
    expect(() => checkPeersOnly(dir ?? '')).toThrow(
      'The construct would load what a consumer does not install: zod/mini (infra/bad.js)',
    );
    rmSync(join(dir, 'infra', 'bad.js'));
    // A declaration that names a package the app lacks breaks the app's type-check.
    writeFileSync(join(dir, 'infra', 'bad.d.ts'), "import type { Handler } from 'aws-lambda';\n");
    expect(() => checkPeersOnly(dir ?? '')).toThrow('aws-lambda (infra/bad.d.ts)');
  });

  it('is released with the repository: one version, the licence, and peers at the versions tested here', () => {
    const manifest = (path: string) =>
      JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
    const [root, construct, client] = ['package.json', 'construct/package.json', 'client/package.json'].map(
      manifest,
    );
    expect(construct.version).toBe(root.version);
    expect(client.version).toBe(root.version);
    for (const pkg of [root, construct, client]) expect(pkg.license).toBe('Apache-2.0');
    expect(construct.peerDependencies).toEqual({
      'aws-cdk-lib': `^${root.devDependencies['aws-cdk-lib']}`,
      constructs: `^${root.devDependencies.constructs}`,
    });
    expect(construct.devDependencies).toEqual({
      'aws-cdk-lib': root.devDependencies['aws-cdk-lib'],
      constructs: root.devDependencies.constructs,
    });
  });
});
