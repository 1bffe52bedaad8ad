import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  GlobalSignOutCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeList } from '../../functions/routes.js';
import type { LocalStack } from '../../local/stack.js';
import {
  call,
  cognitoClient,
  issuedSecrets,
  onApiCall,
  type SignedIn,
  signIn,
  startTestStack,
} from '../support/local-stack.js';
import { captureOutput, expectNoSecrets } from '../support/output-capture.js';
import {
  createSigningKey,
  type SigningKey,
  signHs256WithPublicKey,
  signRs256,
  unsignedToken,
} from '../support/tokens.js';

let stack: LocalStack;
let output: ReturnType<typeof captureOutput>;
let alice: SignedIn;
let poolKey: SigningKey;
let realClaims: Record<string, unknown>;
const DEVICE = 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** One request per route, valid in every way but the token. */
const requests = routeList.map((route) => ({
  route: route.id,
  method: route.method,
  path: route.path.replace('{deviceKey}', DEVICE),
  json: route.jsonBody
    ? route.id === 'confirmDevice'
      ? { deviceKey: DEVICE }
      : { status: 'remembered' }
    : undefined,
}));

const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  output = captureOutput();
  stack = await startTestStack('opt-in', { logLevel: 'DEBUG' });
  alice = await signIn(stack, 'alice');
  const record = stack.cognito.store.data.pools[stack.userPoolId]?.signingKey;
  if (!record) throw new Error('no pool key');
  poolKey = {
    kid: record.kid,
    privateKey: createPrivateKey(record.privateKeyPem),
    publicKey: createPublicKey({ key: record.jwk, format: 'jwk' }),
    jwk: record.jwk,
  };
  realClaims = decode(alice.accessToken);
});

afterAll(async () => {
  await stack?.close();
  output.stop();
  expectNoSecrets(output.text(), issuedSecrets);
});

/** Sends `authorization` to every route; none may reach Cognito. */
async function everyRoute(authorization: string | undefined) {
  const calls: string[] = [];
  const stop = onApiCall(stack, (op) => calls.push(op));
  const responses = [];
  for (const request of requests) {
    const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
    responses.push({
      route: request.route,
      res: await call(stack, request.method, request.path, { json: request.json, headers }),
    });
  }
  stop();
  return { responses, calls };
}

async function otherPoolToken(): Promise<string> {
  const cognito = cognitoClient(stack);
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'other',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
    }),
  );
  const pool = stack.cognito.store.data.pools[UserPool?.Id ?? ''];
  if (!pool) throw new Error('no pool');
  const key = pool.signingKey;
  // Same client id as ours, so only the issuer (and key) tells them apart.
  const claims = { ...realClaims, iss: `https://cognito-idp.eu-west-1.amazonaws.com/${pool.id}` };
  return signRs256({ ...poolKey, kid: key.kid, privateKey: createPrivateKey(key.privateKeyPem) }, claims);
}

async function foreignClientToken(): Promise<string> {
  const { UserPoolClient } = await cognitoClient(stack).send(
    new CreateUserPoolClientCommand({
      UserPoolId: stack.userPoolId,
      ClientName: 'not-allowed',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
    }),
  );
  return signRs256(poolKey, { ...realClaims, client_id: UserPoolClient?.ClientId });
}

describe('hostile tokens on every route: refused before Cognito', () => {
  const cases: Array<[string, () => Promise<string | undefined> | string | undefined, 401 | 403, string]> = [
    ['no Authorization header', () => undefined, 401, 'Bearer'],
    ['"Bearer" with an empty token', () => 'Bearer ', 401, 'Bearer'],
    [
      'an access token of our pool without any scope claim',
      () => `Bearer ${signRs256(poolKey, { ...realClaims, scope: undefined })}`,
      403,
      'Bearer error="insufficient_scope", scope="aws.cognito.signin.user.admin"',
    ],
    ['garbage', () => 'Bearer garbage', 401, 'Bearer error="invalid_token"'],
    ['a 64 KiB token', () => `Bearer ${'a'.repeat(64 * 1024)}`, 401, 'Bearer error="invalid_token"'],
    ['alg none', () => `Bearer ${unsignedToken(poolKey, realClaims)}`, 401, 'Bearer error="invalid_token"'],
    [
      'HS256 signed with the public key',
      () => `Bearer ${signHs256WithPublicKey(poolKey, realClaims)}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'RS256 by another key under our kid',
      () => `Bearer ${signRs256({ ...createSigningKey(), kid: poolKey.kid }, realClaims)}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'a tampered payload with the original signature',
      () => {
        const [h, , s] = alice.accessToken.split('.');
        return `Bearer ${h}.${Buffer.from(JSON.stringify({ ...realClaims, username: 'mallory' })).toString('base64url')}.${s}`;
      },
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'expired',
      () => `Bearer ${signRs256(poolKey, { ...realClaims, iat: now() - 7200, exp: now() - 3600 })}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'nbf in the future',
      () => `Bearer ${signRs256(poolKey, { ...realClaims, nbf: now() + 600 })}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'a wrong issuer',
      () => `Bearer ${signRs256(poolKey, { ...realClaims, iss: 'https://evil.example.com/pool' })}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      "another pool's token",
      async () => `Bearer ${await otherPoolToken()}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'an unknown kid',
      () => `Bearer ${signRs256(createSigningKey(), realClaims)}`,
      401,
      'Bearer error="invalid_token"',
    ],
    ['an ID token', () => `Bearer ${alice.idToken}`, 401, 'Bearer error="invalid_token"'],
    [
      'a client not on the allow-list',
      async () => `Bearer ${await foreignClientToken()}`,
      401,
      'Bearer error="invalid_token"',
    ],
    [
      'no admin scope',
      () => `Bearer ${signRs256(poolKey, { ...realClaims, scope: 'openid email' })}`,
      403,
      'Bearer error="insufficient_scope", scope="aws.cognito.signin.user.admin"',
    ],
  ];

  it.each(cases)('%s → %i', async (_name, make, status, challenge) => {
    const authorization = await make();
    const { responses, calls } = await everyRoute(authorization);
    // Never echoed: the token's own kid and issuer (attacker-chosen) or the client ids we accept.
    const [header, payload] = (authorization?.replace(/^Bearer /, '') ?? '').split('.');
    const claim = (part: string | undefined, name: string): unknown => {
      try {
        return JSON.parse(Buffer.from(part ?? '', 'base64url').toString())[name];
      } catch {
        return undefined;
      }
    };
    const forbidden = [
      stack.clients.mobile,
      stack.clients.spa,
      claim(header, 'kid'),
      claim(payload, 'iss'),
    ].filter(
      (value): value is string =>
        typeof value === 'string' && value !== poolKey.kid && value !== realClaims.iss,
    );
    for (const { route, res } of responses) {
      for (const value of forbidden)
        expect({ route, echoed: res.text.includes(value) }).toEqual({ route, echoed: false });
      expect({ route, status: res.status }).toEqual({ route, status });
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.headers.get('www-authenticate')).toBe(challenge);
      expect(res.body).toMatchObject({
        status,
        type: expect.stringMatching(/^urn:/),
        code: expect.any(String),
      });
    }
    expect(calls).toEqual([]);
  });

  it('a burst of 1,000 unknown-kid tokens makes a bounded number of JWKS fetches', async () => {
    const before = stack.cognito.stats.jwksFetches;
    const statuses = new Set<number>();
    for (let batch = 0; batch < 20; batch++) {
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          call(stack, 'GET', '/devices', {
            token: signRs256({ ...poolKey, kid: `unknown-${Math.random()}` }, realClaims),
          }),
        ),
      );
      for (const r of results) statuses.add(r.status);
    }
    expect([...statuses]).toEqual([401]);
    expect(stack.cognito.stats.jwksFetches - before).toBeLessThanOrEqual(2);
  });

  it('a signed-out token that verifies locally still ends as 401, because Cognito refuses it', async () => {
    const session = await signIn(stack, 'alice');
    await cognitoClient(stack).send(new GlobalSignOutCommand({ AccessToken: session.accessToken }));
    const { responses } = await everyRoute(`Bearer ${session.accessToken}`);
    for (const { route, res } of responses) {
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
      expect(res.body).toMatchObject({ code: 'not_authorized' });
    }
  });
});
