import { createPrivateKey, createPublicKey } from 'node:crypto';
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../infra/openapi.js';
import type { LocalStack } from '../../local/stack.js';
import { call, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';
import { documentedDoc as doc, expectConforms } from '../support/openapi.js';
import { signRs256 } from '../support/tokens.js';

describe('the OpenAPI document', () => {
  it('is the one generated from the route table and schemas (run `npm run openapi` after changing them)', () => {
    expect(doc).toEqual(buildOpenApi());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const api = await SwaggerParser.validate(structuredClone(doc) as never);
    expect((api as { openapi?: string }).openapi).toBe('3.1.0');
  });
});

describe('contract: every route, success and each error class, against the document', () => {
  let stack: LocalStack;
  let user: SignedIn;
  let confirmed: string;
  /** Issued to the user by a sign-in, not confirmed yet. */
  let pending: string;
  let noScope: string;

  beforeAll(async () => {
    stack = await startTestStack('opt-in', {
      functionEnv: {
        COGNITO_ATTEMPT_TIMEOUT_MS: '300',
        COGNITO_CALL_BUDGET_MS: '2000',
        COGNITO_MAX_ATTEMPTS: '2',
      },
    });
    pending = (await signIn(stack, 'contract')).newDevice?.DeviceKey ?? '';
    user = await signIn(stack, 'contract');
    confirmed = user.newDevice?.DeviceKey ?? '';
    const res = await call(stack, 'POST', '/devices', {
      token: user.accessToken,
      json: {
        deviceKey: confirmed,
        deviceSecretVerifierConfig: { passwordVerifier: 'dmVy', salt: 'c2FsdA==' },
      },
    });
    expect(res.status).toBe(201);
    // An opt-in pool: the token API sees the device only once it is remembered.
    const remembered = await call(stack, 'PUT', `/devices/${confirmed}/status`, {
      token: user.accessToken,
      json: { status: 'remembered' },
    });
    expect(remembered.status).toBe(200);
    const key = stack.cognito.store.data.pools[stack.userPoolId]?.signingKey;
    if (!key) throw new Error('no pool key');
    const claims = JSON.parse(Buffer.from(user.accessToken.split('.')[1] ?? '', 'base64url').toString());
    noScope = signRs256(
      {
        kid: key.kid,
        privateKey: createPrivateKey(key.privateKeyPem),
        publicKey: createPublicKey({ key: key.jwk, format: 'jwk' }),
        jwk: key.jwk,
      },
      { ...claims, scope: 'openid' },
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const key = () => confirmed;
  const fault = (kind: 'throttle' | 'internal' | 'hang', operation: string) => () =>
    stack.cognito.faults.inject({ kind, operation, times: 5 });
  type Case = [
    string,
    number,
    string,
    () => string,
    (s: SignedIn) => Parameters<typeof call>[3],
    (() => void)?,
  ];
  const cases: Case[] = [
    [
      'POST',
      201,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken, json: { deviceKey: pending, deviceName: 'Second' } }),
    ],
    [
      'POST',
      400,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken, json: { deviceKey: 'nope' } }),
    ],
    ['POST', 401, '/devices', () => '/devices', () => ({ json: { deviceKey: key() } })],
    ['POST', 403, '/devices', () => '/devices', () => ({ token: noScope, json: { deviceKey: key() } })],
    [
      'POST',
      400,
      '/devices',
      () => '/devices',
      () => ({
        token: user.accessToken,
        json: { deviceKey: 'eu-west-1_00000000-0000-0000-0000-000000000000' },
      }),
    ],
    [
      'POST',
      409,
      '/devices',
      () => '/devices',
      () => ({
        token: user.accessToken,
        json: { deviceKey: key(), deviceName: 'Renamed' },
      }),
    ],
    [
      'POST',
      413,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken, json: { deviceKey: key(), deviceName: 'x'.repeat(17_000) } }),
    ],
    [
      'POST',
      415,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken, body: 'x', headers: { 'content-type': 'text/plain' } }),
    ],
    [
      'POST',
      429,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken, json: { deviceKey: key() } }),
      // Its first Cognito call: the check that the device is not confirmed already.
      fault('throttle', 'GetDevice'),
    ],
    [
      'POST',
      502,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken, json: { deviceKey: key() } }),
      fault('internal', 'GetDevice'),
    ],
    [
      'PUT',
      200,
      '/devices/{deviceKey}/status',
      () => `/devices/${key()}/status`,
      () => ({ token: user.accessToken, json: { status: 'remembered' } }),
    ],
    [
      'PUT',
      400,
      '/devices/{deviceKey}/status',
      () => `/devices/${key()}/status`,
      () => ({ token: user.accessToken, json: { status: 'maybe' } }),
    ],
    [
      'PUT',
      404,
      '/devices/{deviceKey}/status',
      () => '/devices/eu-west-1_00000000-0000-0000-0000-000000000000/status',
      () => ({ token: user.accessToken, json: { status: 'remembered' } }),
    ],
    [
      'PUT',
      415,
      '/devices/{deviceKey}/status',
      () => `/devices/${key()}/status`,
      () => ({ token: user.accessToken, body: 'x', headers: { 'content-type': 'text/plain' } }),
    ],
    ['GET', 200, '/devices', () => '/devices?limit=1', () => ({ token: user.accessToken })],
    ['GET', 400, '/devices', () => '/devices?limit=0', () => ({ token: user.accessToken })],
    ['GET', 401, '/devices', () => '/devices', () => ({ token: 'garbage' })],
    [
      'GET',
      429,
      '/devices',
      () => '/devices',
      () => ({ token: user.accessToken }),
      fault('throttle', 'ListDevices'),
    ],
    ['GET', 200, '/devices/{deviceKey}', () => `/devices/${key()}`, () => ({ token: user.accessToken })],
    ['GET', 400, '/devices/{deviceKey}', () => '/devices/no-underscore', () => ({ token: user.accessToken })],
    ['GET', 403, '/devices/{deviceKey}', () => `/devices/${key()}`, () => ({ token: noScope })],
    [
      'GET',
      502,
      '/devices/{deviceKey}',
      () => `/devices/${key()}`,
      () => ({ token: user.accessToken }),
      fault('internal', 'GetDevice'),
    ],
    [
      'GET',
      504,
      '/devices/{deviceKey}',
      () => `/devices/${key()}`,
      () => ({ token: user.accessToken }),
      fault('hang', 'GetDevice'),
    ],
    ['DELETE', 401, '/devices/{deviceKey}', () => `/devices/${key()}`, () => ({})],
    [
      'DELETE',
      404,
      '/devices/{deviceKey}',
      () => '/devices/eu-west-1_00000000-0000-0000-0000-000000000000',
      () => ({ token: user.accessToken }),
    ],
    ['DELETE', 204, '/devices/{deviceKey}', () => `/devices/${key()}`, () => ({ token: user.accessToken })],
    ['POST', 401, '/devices/forget-others', () => '/devices/forget-others', () => ({})],
    [
      'POST',
      200,
      '/devices/forget-others',
      () => '/devices/forget-others',
      () => ({ token: user.accessToken }),
    ],
    // A pool without passkeys (stage setting `passwordless`): the passkey routes say so.
    [
      'POST',
      409,
      '/passkeys/registrations',
      () => '/passkeys/registrations',
      () => ({ token: user.accessToken }),
    ],
    [
      'POST',
      429,
      '/devices/forget-others',
      () => '/devices/forget-others',
      () => ({ token: user.accessToken }),
      fault('throttle', 'ListDevices'),
    ],
  ];

  it.each(cases)('%s %i %s', async (method, status, template, path, options, arrange) => {
    stack.cognito.faults.clear();
    arrange?.();
    const res = await call(stack, method, path(), options(user));
    stack.cognito.faults.clear();
    expect(res.status).toBe(status);
    expectConforms(res, method, template);
  });

  it.each([
    ['PATCH', '/devices', 405],
    ['GET', '/nothing/here', 404],
  ])('unmatched %s %s → %i problem+json', async (method, path, status) => {
    const res = await call(stack, method, path, { token: user.accessToken });
    expect(res.status).toBe(status);
    expectConforms(res, method, undefined);
  });

  it('the local API serves the document, its first server being where it really listens', async () => {
    const res = await call(stack, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    const { servers, ...rest } = res.body as { servers: Array<{ url: string }> };
    const { servers: documented, ...expected } = doc as unknown as { servers: Array<{ url: string }> };
    expect(rest).toEqual(expected);
    expect(servers[0]?.url).toBe(stack.api.url);
    expect(servers.slice(1)).toEqual(documented.slice(1));
  });
});
