import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { clock, createTotpUser, PASSWORD, startTestStack } from '../support/local-stack.js';
import { installOffline, pack, repositoryRoot } from '../support/packages.js';

/**
 * The client as an app installs it: `npm pack` of client/, installed into a fresh project (offline), and the
 * README's sign-in snippet (docs/snippets/client.ts, word for word) run with it in its own Node process against the
 * local stack: a TOTP user signs in, the new device is confirmed and remembered, and the next sign-in on that
 * device, with the user's email in other capitals, is not asked for the code.
 */
const run = promisify(execFile);
let project: string;
let stack: LocalStack;
let totpSecret = '';

/**
 * The app: keeps devices in memory by user, signs in twice (with the username, then the email in other capitals), and
 * prints what happened (never a token).
 */
const app = `
import { NotFoundError } from 'cognito-device-bff-client';
import { signIn } from './flow.ts';

const settings = JSON.parse(process.env.SETTINGS);
const devices = new Map();
const store = { load: async (user) => devices.get(user), save: async (user, device) => { devices.set(user, device); } };
const as = (username) => ({ username, password: process.env.USER_PASSWORD, totp: async () => process.env.TOTP_CODE });
const summary = (devices) => devices.map(({ deviceKey, displayName, status, current }) => ({ deviceKey, displayName, status, current }));

const first = await signIn(settings, as('packaged'), store, true);
const afterFirst = summary((await first.bff.listDevices()).devices);
const second = await signIn(settings, as('Packaged@Example.com'), store, true);
const stored = devices.get('packaged');
const afterSecond = summary((await second.bff.listDevices({ limit: 5 })).devices);
const missing = await second.bff.getDevice('eu-west-1_00000000-0000-4000-8000-000000000000').catch((e) => e);
console.log(JSON.stringify({
  firstAskedForMfa: first.askedForMfa,
  secondAskedForMfa: second.askedForMfa,
  storedKey: stored?.deviceKey,
  keptSecret: typeof stored?.devicePassword === 'string' && stored.devicePassword.length > 0,
  afterFirst,
  afterSecond,
  missing: { typed: missing instanceof NotFoundError, status: missing.status, code: missing.code },
}));
`;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'client-consumer-'));
  const tarball = await pack(new URL('client/', repositoryRoot), project);
  await installOffline(project, [tarball], []);
  copyFileSync(new URL('docs/snippets/client.ts', repositoryRoot), join(project, 'flow.ts'));
  writeFileSync(join(project, 'app.mjs'), app);

  stack = await startTestStack('opt-in');
  totpSecret = (await createTotpUser(stack, 'packaged', { email: 'packaged@example.com' })).secret;
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed client in a fresh project', () => {
  it('is an ES module with types and one dependency, and no Node built-in in its code', () => {
    const dir = join(project, 'node_modules', 'cognito-device-bff-client');
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const root = JSON.parse(readFileSync(new URL('package.json', repositoryRoot), 'utf8'));
    const openApi = JSON.parse(readFileSync(new URL('docs/openapi.json', repositoryRoot), 'utf8'));
    // Versioned with the API it calls: the root package and the OpenAPI document.
    expect(manifest.version).toBe(root.version);
    expect(manifest.version).toBe(openApi.info.version);
    expect(manifest).toMatchObject({
      type: 'module',
      types: './dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    });
    // The SHA-256/HMAC it needs, at the version this repository tests.
    expect(manifest.dependencies).toEqual({ '@noble/hashes': root.devDependencies['@noble/hashes'] });
    const code = readdirSync(join(dir, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(dir, 'dist', f), 'utf8'))
      .join('\n');
    expect(code).not.toMatch(
      /from ['"]node:|from ['"](fs|crypto|http|https|buffer|path)['"]|\bBuffer\b|\bprocess\./,
    );
    // No BigInt literals: Hermes (React Native) took BigInt() before the `2n` syntax.
    expect(code).not.toMatch(/[^\w.]\d+n\b/);
    expect(readdirSync(dir)).toContain('README.md');
  });

  it('runs the README sign-in flow: the new device confirmed and remembered, the next sign-in skips MFA', async () => {
    const { stdout } = await run(process.execPath, ['app.mjs'], {
      cwd: project,
      env: {
        PATH: process.env.PATH ?? '',
        SETTINGS: JSON.stringify({
          apiUrl: stack.api.url,
          userPoolId: stack.userPoolId,
          clientId: stack.clients.spa,
          cognitoEndpoint: stack.cognito.url,
        }),
        USER_PASSWORD: PASSWORD,
        TOTP_CODE: totpCode(totpSecret, clock.now()),
      },
    });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
    const device = {
      deviceKey: result.storedKey,
      displayName: 'My phone',
      status: 'remembered',
      current: true,
    };
    expect(result).toEqual({
      firstAskedForMfa: true,
      secondAskedForMfa: false,
      storedKey: expect.stringMatching(/^eu-west-1_[0-9a-f-]{36}$/),
      keptSecret: true,
      afterFirst: [device],
      // The same device, signed in again: not a second one.
      afterSecond: [device],
      missing: { typed: true, status: 404, code: 'device_not_found' },
    });
  });
});
