// Routes: every route, through the bundles the stack deploys (fresh Node 24 processes). Flows: a function serves its
// own routes only; a cold start never loads undici; no credentials is a 500 misconfigured.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTION_ENTRY,
  type FunctionId,
  functionsOf,
  type RouteDefinition,
  routes,
} from '../../functions/routes.js';
import { esbuildOptions } from '../../infra/esbuild-options.js';
import { apiVariables } from '../../infra/function-environment.js';
import { bootstrapPool } from '../../local/bootstrap.js';
import { CognitoStandIn } from '../../local/cognito/server.js';
import { SecretsStandIn } from '../../local/secrets/server.js';
import { createConfirmedUser, passwordSignIn } from '../../local/users.js';
import { httpEvent } from '../support/events.js';

/**
 * The bundles the stack deploys, built exactly as it builds them, each imported in a fresh Node 24 process with
 * the stack's environment (as a Lambda execution environment would) and called with a real signed token
 * against the Cognito stand-in: the aliases in infra/bundle-settings.ts must leave every route working.
 */
const run = promisify(execFile);
const region = 'eu-west-1';
let standIn: CognitoStandIn;
let secrets: SecretsStandIn;
let dir: string;
let environment: Record<string, string>;
let token: string;
let deviceKey: string;

/** Imports the bundle in a new process, invokes its handler once, and returns the response. */
const invokeScript = `
const { handler } = await import(process.argv[1]);
const event = JSON.parse(process.argv[2]);
const context = { awsRequestId: 'deployed-1', functionName: 'f', getRemainingTimeInMillis: () => 10_000 };
const result = await handler(event, context);
process.stdout.write('\\nRESULT ' + JSON.stringify({ node: process.version, result }) + '\\n');
`;

/** The routes a function serves, as the stack sets its `ROUTES`. */
const served = (fn: FunctionId, fullDeviceView: boolean) =>
  (functionsOf(fullDeviceView).get(fn) ?? []).map((route) => route.id).join(',');

async function invoke(
  fn: FunctionId,
  request: {
    route?: RouteDefinition;
    path: string;
    body?: unknown;
    pathParameters?: Record<string, string>;
    query?: Record<string, string>;
  },
  extraEnv: Record<string, string> = {},
): Promise<APIGatewayProxyStructuredResultV2 & { body?: string }> {
  const method = request.route?.method ?? 'GET';
  const event = httpEvent({
    method,
    path: request.path,
    routeKey: request.route ? `${method} ${request.route.path}` : '$default',
    headers: {
      authorization: `Bearer ${token}`,
      ...(request.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    ...(request.pathParameters && { pathParameters: request.pathParameters }),
    ...(request.query && { queryStringParameters: request.query }),
  });
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', invokeScript, join(dir, `${FUNCTION_ENTRY}.mjs`), JSON.stringify(event)],
    // Only what Lambda gives a function: its configuration and its role's credentials; nothing of ours.
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...environment,
        ROUTES: served(fn, extraEnv.DEVICE_VISIBILITY === 'all'),
        ...extraEnv,
      },
    },
  );
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  const { node, result } = JSON.parse(line?.slice('RESULT '.length) ?? '{}');
  expect(node).toMatch(/^v24\./);
  return result;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deployed-'));
  // One bundle for every function: each serves the routes its `ROUTES` names.
  await build({ ...esbuildOptions(FUNCTION_ENTRY), outfile: join(dir, `${FUNCTION_ENTRY}.mjs`) });
  standIn = await CognitoStandIn.start({ region });
  secrets = await SecretsStandIn.start({ region });
  const pool = await bootstrapPool(
    standIn.url,
    standIn.store,
    { stage: 'dev', deviceTracking: 'always', mfa: 'off' },
    region,
  );
  environment = {
    ...apiVariables({
      userPoolId: pool.userPoolId,
      clientIds: [pool.clients.mobile, pool.clients.spa],
      logLevel: 'ERROR',
      cursorKeySecretId: secrets.createRandom('cursor-key'),
    }),
    COGNITO_ENDPOINT: standIn.url,
    SECRETS_ENDPOINT: secrets.url,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(secrets.port),
    JWKS_URI: standIn.jwksUri(pool.userPoolId),
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'ASIADEPLOYEDROLE',
    AWS_SECRET_ACCESS_KEY: 'deployed-role-secret',
    AWS_SESSION_TOKEN: 'deployed-role-session',
  };
  const cognito = new CognitoIdentityProviderClient({
    region,
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const user = { userPoolId: pool.userPoolId, username: 'deployed', password: 'Deploy3d-passw0rd' };
  await createConfirmedUser(cognito, user);
  const signIn = await passwordSignIn(cognito, { clientId: pool.clients.mobile, ...user });
  token = signIn.AccessToken;
  deviceKey = signIn.NewDeviceMetadata?.DeviceKey ?? '';
  const other = await passwordSignIn(cognito, { clientId: pool.clients.mobile, ...user });
  // A second device of the same user, for "forget other devices" to forget.
  await invoke('api', {
    route: routes.confirmDevice,
    path: '/devices',
    body: { deviceKey: other.NewDeviceMetadata?.DeviceKey },
  });
});
afterAll(async () => {
  await standIn?.close();
  await secrets?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the deployed bundles, in fresh Node 24 processes, against the stand-in', () => {
  const device = () => ({ path: `/devices/${deviceKey}`, pathParameters: { deviceKey } });

  it('every route answers as the source does', async () => {
    const confirmed = await invoke('api', {
      route: routes.confirmDevice,
      path: '/devices',
      body: { deviceKey, deviceName: 'Deployed phone' },
    });
    expect(confirmed.statusCode).toBe(201);

    const status = await invoke('api', {
      route: routes.updateDeviceStatus,
      path: `/devices/${deviceKey}/status`,
      pathParameters: { deviceKey },
      body: { status: 'remembered' },
    });
    expect(status.statusCode).toBe(200);

    const list = await invoke('api', { route: routes.listDevices, path: '/devices' });
    expect(list.statusCode).toBe(200);
    expect(JSON.parse(list.body ?? '{}').devices).toHaveLength(2);
    // Paging: a cursor sealed with the key read from Secrets Manager, and taken back.
    const first = await invoke('api', {
      route: routes.listDevices,
      path: '/devices',
      query: { limit: '1' },
    });
    const { nextCursor } = JSON.parse(first.body ?? '{}');
    expect(nextCursor).toMatch(/^[\w-]+\.[\w-]+$/);
    const second = await invoke('api', {
      route: routes.listDevices,
      path: '/devices',
      query: { limit: '1', cursor: nextCursor },
    });
    expect(JSON.parse(second.body ?? '{}')).toMatchObject({ devices: [expect.anything()], nextCursor: null });

    const one = await invoke('api', { route: routes.getDevice, ...device() });
    expect(one.statusCode).toBe(200);
    expect(JSON.parse(one.body ?? '{}')).toMatchObject({ name: 'Deployed phone', status: 'remembered' });

    const others = await invoke('forgetOthers', {
      route: routes.forgetOtherDevices,
      path: '/devices/forget-others',
    });
    expect(others.statusCode).toBe(200);
    expect(JSON.parse(others.body ?? '{}')).toEqual({
      forgotten: 1,
      remaining: 0,
      complete: true,
      keptDeviceKey: deviceKey,
    });

    const forgotten = await invoke('api', { route: routes.forgetDevice, ...device() });
    expect(forgotten.statusCode).toBe(204);

    const unmatched = await invoke('api', { path: '/nothing' });
    expect(unmatched.statusCode).toBe(404);
  });

  it('a function runs only the routes the stack gives it: another route reaching it is a deployment error', async () => {
    // forgetOthers holds no cursor key and no route but its own: GET /devices reaching it is never a list.
    const list = await invoke('forgetOthers', { route: routes.listDevices, path: '/devices' });
    expect(list.statusCode).toBe(500);
    expect(JSON.parse(list.body ?? '{}')).toMatchObject({ code: 'misconfigured' });
    // With the full view, api no longer serves the list: apiAdmin does, with the IAM actions it needs.
    const adminless = await invoke(
      'api',
      { route: routes.listDevices, path: '/devices' },
      { DEVICE_VISIBILITY: 'all', ROUTES: served('api', true) },
    );
    expect(adminless.statusCode).toBe(500);
  });

  it("with the full device view, signs its admin calls with the environment's credentials", async () => {
    const list = await invoke(
      'apiAdmin',
      { route: routes.listDevices, path: '/devices' },
      { DEVICE_VISIBILITY: 'all' },
    );
    expect(list.statusCode).toBe(200);
  });

  it('a cold start never loads undici (Node http as an ES module would: nodejs/node#59686)', async () => {
    // As in production, where aws-jwt-verify fetches the JWKS with node:https; here a file holds the keys, because
    // the local http JWKS is fetched with the global fetch, which is undici itself.
    const jwks = await (await fetch(environment.JWKS_URI ?? '')).text();
    writeFileSync(join(dir, 'jwks.json'), jwks);
    const probe = `
const { handler } = await import(process.argv[1]);
const undici = () => process.moduleLoadList.filter((m) => m.includes('undici')).length;
const afterImport = undici();
const result = await handler(JSON.parse(process.argv[2]), { awsRequestId: 'cold-1', getRemainingTimeInMillis: () => 10_000 });
process.stdout.write('\\nRESULT ' + JSON.stringify({ afterImport, afterRequest: undici(), status: result.statusCode }) + '\\n');
`;
    const event = httpEvent({
      method: 'GET',
      path: '/devices',
      routeKey: `GET ${routes.listDevices.path}`,
      headers: { authorization: `Bearer ${token}` },
    });
    for (const fn of ['api', 'forgetOthers'] as const) {
      const { stdout } = await run(
        process.execPath,
        ['--input-type=module', '-e', probe, join(dir, `${FUNCTION_ENTRY}.mjs`), JSON.stringify(event)],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ...environment,
            ROUTES: served(fn, false),
            JWKS_URI: pathToFileURL(join(dir, 'jwks.json')).href,
          },
        },
      );
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      const outcome = JSON.parse(line?.slice('RESULT '.length) ?? '{}');
      expect(outcome, fn).toMatchObject({ afterImport: 0 });
      // api also answers (its first call to Cognito included); forgetOthers does not serve GET /devices.
      expect(outcome).toEqual({ afterImport: 0, afterRequest: 0, status: fn === 'api' ? 200 : 500 });
    }
  });

  it('without credentials in the environment, a signed call is a 500 misconfigured, not a crash', async () => {
    const list = await invoke(
      'apiAdmin',
      { route: routes.listDevices, path: '/devices' },
      { DEVICE_VISIBILITY: 'all', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' },
    );
    expect(list.statusCode).toBe(500);
    expect(JSON.parse(list.body ?? '{}')).toMatchObject({ code: 'misconfigured' });
  });
});
