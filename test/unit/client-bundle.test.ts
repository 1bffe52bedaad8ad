import { build } from 'esbuild';
import { expect, it } from 'vitest';

it('the app client builds for browsers and React Native: no Node built-ins anywhere in it', async () => {
  const result = await build({
    entryPoints: ['client/index.ts'],
    bundle: true,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs).toEqual(expect.arrayContaining(['client/sign-in.ts', 'client/srp-client.ts']));
  const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
  expect(
    imports.filter((path) => path.startsWith('node:') || ['crypto', 'buffer', 'fs'].includes(path)),
  ).toEqual([]);
  expect(result.outputFiles[0]?.text).not.toMatch(/\bBuffer\b|\brequire\(/);
});
