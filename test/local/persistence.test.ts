import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../local/cognito/state.js';

const dir = mkdtempSync(join(tmpdir(), 'stand-in-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stand-in state file', () => {
  it('round-trips the state', () => {
    const file = join(dir, 'roundtrip.json');
    const store = Store.open(file);
    const pool = { id: 'eu-west-1_abc', idSigningKey: { kid: 'id-key' } };
    store.data.pools['eu-west-1_abc'] = pool as never;
    store.save();
    expect(Store.open(file).data.pools['eu-west-1_abc']).toEqual(pool);
  });

  it('gives pools of an earlier state file their own ID-token signing key', () => {
    const file = join(dir, 'earlier.json');
    writeFileSync(
      file,
      JSON.stringify({ version: 1, pools: { p: { id: 'p', signingKey: { kid: 'access' } } } }),
    );
    const pool = Store.open(file).data.pools.p;
    expect(pool?.idSigningKey.kid).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(pool?.idSigningKey.kid).not.toBe('access');
    rmSync(file);
  });

  it('refuses a corrupt file instead of overwriting it', () => {
    const file = join(dir, 'corrupt.json');
    writeFileSync(file, '{"version":1,"pools":{');
    expect(() => Store.open(file)).toThrow(/Cannot read the stand-in state/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,"pools":{');
  });

  it('never leaves a torn file when the process is killed mid-write', async () => {
    const file = join(dir, 'killed.json');
    const writer = `
      import { Store } from ${JSON.stringify(new URL('../../local/cognito/state.ts', import.meta.url).pathname)};
      const store = Store.open(${JSON.stringify(file)});
      const padding = 'x'.repeat(200_000);
      for (let i = 0; ; i++) {
        store.data.pools['p'] = { id: 'p', counter: i, padding };
        store.save();
        if (i === 0) process.stdout.write('ready\\n');
      }`;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 15));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const state = Store.open(file).data.pools.p as unknown as { counter: number; padding: string };
      expect(state.padding).toHaveLength(200_000);
      expect(state.counter).toBeGreaterThanOrEqual(0);
    }
  });
});
