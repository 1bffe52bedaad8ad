import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The README's Python app is what jsii-rosetta (the translator Construct Hub and the CDK's own docs use) makes of its
 * TypeScript app, so the two cannot drift; and it is valid Python. (Running it needs aws-cdk-lib for Python, from
 * PyPI, which this machine cannot reach: the package test proves the construct behind it synthesizes.)
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const snippet = (name: string) => new URL(`../../docs/snippets/${name}`, import.meta.url);

describe('docs/snippets/cdk-app.py', () => {
  it('is jsii-rosetta’s translation of docs/snippets/cdk-app.ts', async () => {
    const { stdout } = await run(
      `${root}node_modules/.bin/jsii-rosetta`,
      ['snippet', fileURLToPath(snippet('cdk-app.ts')), '--language', 'python'],
      { cwd: root },
    );
    expect(stdout).toBe(readFileSync(snippet('cdk-app.py'), 'utf8'));
  }, 60_000);

  it('is valid Python (compiled by the system python3, nothing written)', () => {
    const compile = (source: string) =>
      spawnSync('python3', ['-c', "import sys; compile(sys.stdin.read(), 'cdk-app.py', 'exec')"], {
        input: source,
        encoding: 'utf8',
      });
    expect(compile(readFileSync(snippet('cdk-app.py'), 'utf8'))).toMatchObject({ status: 0, stderr: '' });
    // A syntax error is caught: the check is real.
    expect(compile('DeviceBff((\n').stderr).toMatch(/SyntaxError/);
  });
});
