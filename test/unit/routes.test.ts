import { beforeEach, describe, expect, it } from 'vitest';
import { createCursors } from '../../functions/devices/cursor.js';
import {
  ConflictError,
  ForbiddenError,
  MisconfigurationError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  UpstreamError,
  UpstreamTimeoutError,
} from '../../functions/errors.js';
import { httpEvent } from '../support/events.js';
import { fixedSecret, sampleDevice } from '../support/fake-directory.js';
import { createHarness, TEST_CURSOR_KEY } from '../support/harness.js';

/** Cursors as the harness's list route seals them, for the harness token's user. */
const cursors = createCursors(fixedSecret(TEST_CURSOR_KEY));
const binding = { sub: 'a1b2c3d4-0000-4000-8000-000000000001', view: 'remembered' as const };

import { accessClaims, signRs256 } from '../support/tokens.js';

const KEY = sampleDevice.deviceKey;
/** The `username` claim of the harness's access token: whose devices every call is about. */
const USERNAME = 'alice';
const JSON_HEADERS = { 'content-type': 'application/json' };
const STANDARD = { 'Cache-Control': 'no-store', 'X-Request-Id': 'req-0001' };

function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return { type: `urn:cognito-device-bff:problem:${code}`, title, status, detail, code, ...extra };
}
/** A device as the API answers it: `displayName` after the raw `name`, `current` last. */
function seen(device: typeof sampleDevice, displayName: string | null, current = false) {
  const { deviceKey, name, ...rest } = device;
  return { deviceKey, name, displayName, ...rest, current, trustEndsAt: null, trustEndsAtUnknown: false };
}
const SERVER_DETAIL =
  'The request could not be completed. Retry later; if it persists, report the request id.';

let h: ReturnType<typeof createHarness>;
beforeEach(() => {
  h = createHarness();
});

const confirmEvent = (body: unknown, headers: Record<string, string> = {}) =>
  httpEvent({
    method: 'POST',
    path: '/devices',
    headers: { ...h.bearer, ...JSON_HEADERS, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const keyEvent = (
  method: string,
  path = `/devices/${KEY}`,
  deviceKey = KEY,
  extra: Record<string, unknown> = {},
) =>
  httpEvent({
    method,
    path,
    routeKey: `${method} /devices/{deviceKey}`,
    headers: { ...h.bearer },
    pathParameters: { deviceKey },
    ...extra,
  });

describe('POST /devices (ConfirmDevice)', () => {
  it('confirms with name and verifier, answering 201 with Location', async () => {
    h.directory.userConfirmationNecessary = true;
    const res = await h.invoke(
      'confirmDevice',
      confirmEvent({
        deviceKey: KEY,
        deviceName: 'Work laptop',
        deviceSecretVerifierConfig: { passwordVerifier: 'cGFzcw==', salt: 'c2FsdA==' },
      }),
    );
    expect(res).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: `/devices/${KEY}`, ...STANDARD },
      body: JSON.stringify({ deviceKey: KEY, userConfirmationNecessary: true }),
    });
    expect(h.directory.calls).toEqual([
      {
        method: 'confirm',
        accessToken: h.token,
        username: USERNAME,
        args: [
          {
            deviceKey: KEY,
            deviceName: 'Work laptop',
            verifier: { passwordVerifier: 'cGFzcw==', salt: 'c2FsdA==' },
          },
        ],
      },
    ]);
  });

  it('names the device from the User-Agent when no name is given', async () => {
    const chrome =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
    const res = await h.invoke('confirmDevice', confirmEvent({ deviceKey: KEY }, { 'user-agent': chrome }));
    expect(res.statusCode).toBe(201);
    expect(h.directory.calls[0]?.args).toEqual([
      { deviceKey: KEY, deviceName: 'Chrome on macOS', verifier: undefined },
    ]);
  });

  it('accepts a base64-encoded body as API Gateway delivers binary payloads', async () => {
    const event = confirmEvent('');
    event.body = Buffer.from(JSON.stringify({ deviceKey: KEY, deviceName: 'Phone' })).toString('base64');
    event.isBase64Encoded = true;
    const res = await h.invoke('confirmDevice', event);
    expect(res.statusCode).toBe(201);
    expect(h.directory.calls[0]?.args).toEqual([
      { deviceKey: KEY, deviceName: 'Phone', verifier: undefined },
    ]);
  });

  it.each([
    ['a key that breaks the pattern', { deviceKey: 'no-underscore' }, '/deviceKey'],
    ['a key longer than 55', { deviceKey: `eu-west-1_${'a'.repeat(50)}` }, '/deviceKey'],
    ['a key with upper-case hex', { deviceKey: 'eu-west-1_ABCDEF' }, '/deviceKey'],
    ['an empty name', { deviceKey: KEY, deviceName: '' }, '/deviceName'],
    ['a name over 1024', { deviceKey: KEY, deviceName: 'x'.repeat(1025) }, '/deviceName'],
    ['a non-string name', { deviceKey: KEY, deviceName: 42 }, '/deviceName'],
    [
      'half a verifier',
      { deviceKey: KEY, deviceSecretVerifierConfig: { passwordVerifier: 'cGFzcw==' } },
      '/deviceSecretVerifierConfig/salt',
    ],
    [
      'a non-base64 verifier',
      { deviceKey: KEY, deviceSecretVerifierConfig: { passwordVerifier: 'not base64!', salt: 'c2FsdA==' } },
      '/deviceSecretVerifierConfig/passwordVerifier',
    ],
    [
      'an empty salt',
      { deviceKey: KEY, deviceSecretVerifierConfig: { passwordVerifier: 'cGFzcw==', salt: '' } },
      '/deviceSecretVerifierConfig/salt',
    ],
    ['an unknown field', { deviceKey: KEY, admin: true }, '/admin'],
    ['a missing key', {}, '/deviceKey'],
  ])('rejects %s with 400 and never calls Cognito', async (_name, body, pointer) => {
    const res = await h.invoke('confirmDevice', confirmEvent(body));
    expect(res.statusCode).toBe(400);
    expect(res.headers).toEqual({ 'Content-Type': 'application/problem+json', ...STANDARD });
    const problemBody = JSON.parse(String(res.body));
    expect(problemBody).toMatchObject({
      type: 'urn:cognito-device-bff:problem:invalid_request',
      status: 400,
      code: 'invalid_request',
    });
    expect(problemBody.invalidParams.map((p: { name: string }) => p.name)).toContain(pointer);
    expect(h.directory.calls).toEqual([]);
  });

  it('rejects a JSON array or null body with 400', async () => {
    for (const body of ['[]', 'null', '"x"']) {
      const res = await h.invoke('confirmDevice', confirmEvent(body));
      expect(res.statusCode).toBe(400);
    }
    expect(h.directory.calls).toEqual([]);
  });

  it('answers 400 malformed_json for broken JSON', async () => {
    const res = await h.invoke('confirmDevice', confirmEvent('{"deviceKey":'));
    expect(res).toEqual({
      statusCode: 400,
      headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
      body: JSON.stringify(
        problem(400, 'malformed_json', 'Bad Request', 'The request body is not valid JSON'),
      ),
    });
  });

  it('answers 400 forbidden_json_key for a prototype-pollution key, saying what was refused', async () => {
    for (const body of [
      `{"deviceKey":"${KEY}","__proto__":{"x":1}}`,
      `{"deviceKey":"${KEY}","constructor":{"prototype":{"x":1}}}`,
    ]) {
      const res = await h.invoke('confirmDevice', confirmEvent(body));
      expect(res).toEqual({
        statusCode: 400,
        headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
        body: JSON.stringify(
          problem(
            400,
            'forbidden_json_key',
            'Bad Request',
            'The request body uses a key that is refused to prevent prototype pollution (__proto__ or constructor)',
          ),
        ),
      });
    }
    expect(h.directory.calls).toEqual([]);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['']])(
    'answers 415 for content type %j',
    async (type) => {
      const res = await h.invoke('confirmDevice', confirmEvent({ deviceKey: KEY }, { 'content-type': type }));
      expect(res).toEqual({
        statusCode: 415,
        headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
        body: JSON.stringify(
          problem(
            415,
            'unsupported_media_type',
            'Unsupported Media Type',
            'The request body must be sent as application/json',
          ),
        ),
      });
    },
  );

  it('answers 413 for a body over 16 KiB, before parsing it', async () => {
    const res = await h.invoke('confirmDevice', confirmEvent(`{"deviceKey":"${'a'.repeat(17_000)}"`));
    expect(res).toEqual({
      statusCode: 413,
      headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
      body: JSON.stringify(
        problem(413, 'payload_too_large', 'Content Too Large', 'The request body exceeds 16384 bytes'),
      ),
    });
  });

  it('checks the token before looking at the body', async () => {
    const event = confirmEvent('{broken', { authorization: '' });
    const res = await h.invoke('confirmDevice', event);
    expect(res.statusCode).toBe(401);
  });
});

describe('PUT /devices/{deviceKey}/status (UpdateDeviceStatus)', () => {
  const statusEvent = (body: string, deviceKey = KEY) =>
    httpEvent({
      method: 'PUT',
      path: `/devices/${deviceKey}/status`,
      routeKey: 'PUT /devices/{deviceKey}/status',
      headers: { ...h.bearer, ...JSON_HEADERS },
      pathParameters: { deviceKey },
      body,
    });

  it('sets the remembered status', async () => {
    const res = await h.invoke('updateDeviceStatus', statusEvent('{"status":"not_remembered"}'));
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', ...STANDARD },
      body: JSON.stringify({ deviceKey: KEY, status: 'not_remembered', trustEndsAt: null }),
    });
    expect(h.directory.calls).toEqual([
      { method: 'setStatus', accessToken: h.token, username: USERNAME, args: [KEY, 'not_remembered'] },
    ]);
  });

  it.each([['{"status":"forgotten"}'], ['{"status":null}'], ['{}'], ['{"status":"remembered","x":1}']])(
    'rejects body %s with 400',
    async (body) => {
      const res = await h.invoke('updateDeviceStatus', statusEvent(body));
      expect(res.statusCode).toBe(400);
      expect(h.directory.calls).toEqual([]);
    },
  );

  it('rejects a path key that breaks the pattern', async () => {
    const res = await h.invoke('updateDeviceStatus', statusEvent('{"status":"remembered"}', '../admin_00'));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(String(res.body)).invalidParams).toEqual([
      { name: 'path:deviceKey', reason: 'Invalid string: must match pattern /^[\\w-]+_[0-9a-f-]+$/' },
    ]);
  });
});

describe('GET /devices (ListDevices)', () => {
  const listEvent = (query?: Record<string, string>) =>
    httpEvent({
      method: 'GET',
      path: '/devices',
      headers: { ...h.bearer },
      ...(query && { queryStringParameters: query }),
    });

  it('lists one page and wraps the next page token in an opaque cursor', async () => {
    h.directory.page = { devices: [sampleDevice], nextPageToken: 'cognito-page-2' };
    const res = await h.invoke(
      'listDevices',
      listEvent({ limit: '10', cursor: await cursors.seal('cognito-page-1', binding) }),
    );
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', ...STANDARD },
      body: JSON.stringify({
        devices: [seen(sampleDevice, 'Chrome on macOS')],
        nextCursor: await cursors.seal('cognito-page-2', binding),
      }),
    });
    expect(h.directory.calls).toEqual([
      {
        method: 'list',
        accessToken: h.token,
        username: USERNAME,
        args: [{ limit: 10, pageToken: 'cognito-page-1' }],
      },
    ]);
  });

  it('answers nextCursor null on the last page and asks Cognito for 60 when no limit is given', async () => {
    const res = await h.invoke('listDevices', listEvent());
    expect(JSON.parse(String(res.body)).nextCursor).toBeNull();
    expect(h.directory.calls[0]?.args).toEqual([{ limit: 60, pageToken: undefined }]);
  });

  it.each([
    [{ limit: '0' }],
    [{ limit: '61' }],
    [{ limit: '1.5' }],
    [{ limit: 'ten' }],
    [{ limit: '1,2' }],
    [{ cursor: '!!!' }],
    [{ cursor: Buffer.from('has space').toString('base64url') }],
    [{ page: '2' }],
  ])('rejects query %j with 400', async (query) => {
    const res = await h.invoke('listDevices', listEvent(query));
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['Content-Type']).toBe('application/problem+json');
    expect(h.directory.calls).toEqual([]);
  });
});

describe('GET and DELETE /devices/{deviceKey}', () => {
  it('gets a device, its raw name made readable and safe to show', async () => {
    h.directory.device = { ...sampleDevice, name: '\u202Efdp.exe SM-S911B' };
    const raw = await h.invoke('getDevice', keyEvent('GET'));
    expect(JSON.parse(String(raw.body))).toMatchObject({
      name: '\u202Efdp.exe SM-S911B',
      displayName: 'fdp.exe SM-S911B',
    });
    h.directory.device = { ...sampleDevice, name: 'SM-S911B' };
    expect(JSON.parse(String((await h.invoke('getDevice', keyEvent('GET'))).body)).displayName).toBe(
      'Samsung Galaxy S23',
    );
    h.directory.device = sampleDevice;
    h.directory.calls.length = 0;
    const res = await h.invoke('getDevice', keyEvent('GET'));
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', ...STANDARD },
      body: JSON.stringify(seen(sampleDevice, 'Chrome on macOS')),
    });
    expect(h.directory.calls).toEqual([
      { method: 'get', accessToken: h.token, username: USERNAME, args: [KEY] },
    ]);
  });

  it("marks the device of the caller's own sign-in as current, from the verified token only", async () => {
    const other = { ...sampleDevice, deviceKey: 'eu-west-1_11111111-2222-4333-8444-555555555555' };
    h.directory.page = { devices: [sampleDevice, other], nextPageToken: null };
    const onThisDevice = signRs256(h.key, accessClaims({ device_key: KEY }));
    const headers = { authorization: `Bearer ${onThisDevice}` };
    const listed = await h.invoke('listDevices', httpEvent({ method: 'GET', path: '/devices', headers }));
    expect(JSON.parse(String(listed.body)).devices.map((d: { current: boolean }) => d.current)).toEqual([
      true,
      false,
    ]);
    const got = await h.invoke('getDevice', keyEvent('GET', `/devices/${KEY}`, KEY, { headers }));
    expect(JSON.parse(String(got.body)).current).toBe(true);
    // A header cannot claim a device: only the token's device_key counts.
    const claimed = await h.invoke(
      'getDevice',
      keyEvent('GET', `/devices/${KEY}`, KEY, {
        headers: { ...h.bearer, 'x-device-key': KEY, 'device-key': KEY },
      }),
    );
    expect(JSON.parse(String(claimed.body)).current).toBe(false);
  });

  it('forgets a device with 204 and no body', async () => {
    const res = await h.invoke('forgetDevice', keyEvent('DELETE'));
    expect(res).toEqual({ statusCode: 204, headers: STANDARD });
    expect(h.directory.calls).toEqual([
      { method: 'forget', accessToken: h.token, username: USERNAME, args: [KEY] },
    ]);
  });

  it.each([['%00'], ['a/b_0'], ['x'.repeat(60)], ['eu-west-1_xyz']])(
    'rejects key %j with 400',
    async (key) => {
      const res = await h.invoke('getDevice', keyEvent('GET', `/devices/${key}`, key));
      expect(res.statusCode).toBe(400);
      expect(h.directory.calls).toEqual([]);
    },
  );
});

describe('authentication on every route', () => {
  const everyRoute = [
    ['confirmDevice', () => confirmEvent({ deviceKey: KEY })],
    [
      'updateDeviceStatus',
      () => keyEvent('PUT', `/devices/${KEY}/status`, KEY, { body: '{"status":"remembered"}' }),
    ],
    ['listDevices', () => httpEvent({ method: 'GET', path: '/devices' })],
    ['getDevice', () => keyEvent('GET')],
    ['forgetDevice', () => keyEvent('DELETE')],
  ] as const;

  it.each(everyRoute)('%s: no token → 401 with a bare Bearer challenge', async (id, make) => {
    const event = make();
    delete event.headers.authorization;
    const res = await h.invoke(id, event);
    expect(res).toEqual({
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer', ...STANDARD },
      body: JSON.stringify(problem(401, 'missing_token', 'Unauthorized', 'An access token is required')),
    });
    expect(h.directory.calls).toEqual([]);
  });

  it.each(everyRoute)('%s: expired token → 401 invalid_token', async (id, make) => {
    const event = make();
    const past = Math.floor(Date.now() / 1000) - 7200;
    event.headers.authorization = `Bearer ${signRs256(h.key, accessClaims({ iat: past, exp: past + 3600 }))}`;
    const res = await h.invoke(id, event);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(String(res.body)).code).toBe('invalid_token');
    expect(h.directory.calls).toEqual([]);
  });

  it.each(everyRoute)('%s: token without the admin scope → 403 insufficient_scope', async (id, make) => {
    const event = make();
    event.headers.authorization = `Bearer ${signRs256(h.key, accessClaims({ scope: 'openid email' }))}`;
    const res = await h.invoke(id, event);
    expect(res).toEqual({
      statusCode: 403,
      headers: {
        'Content-Type': 'application/problem+json',
        'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="aws.cognito.signin.user.admin"',
        ...STANDARD,
      },
      body: JSON.stringify(
        problem(
          403,
          'insufficient_scope',
          'Forbidden',
          'The access token lacks the scope aws.cognito.signin.user.admin',
        ),
      ),
    });
    expect(h.directory.calls).toEqual([]);
  });

  it('another scheme is no credentials: a bare challenge', async () => {
    const event = keyEvent('GET');
    event.headers.authorization = 'Basic dXNlcjpwYXNz';
    const res = await h.invoke('getDevice', event);
    expect(res.statusCode).toBe(401);
    expect(res.headers?.['WWW-Authenticate']).toBe('Bearer');
  });

  it.each([['Bearer a b'], [`Bearer ${'a'.repeat(9000)}`], ['bearer not.a.jwt']])(
    'malformed Authorization %j → 401 invalid_token',
    async (authorization) => {
      const event = keyEvent('GET');
      event.headers.authorization = authorization.slice(0, 9100);
      const res = await h.invoke('getDevice', event);
      expect(res.statusCode).toBe(401);
      expect(res.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
      expect(h.directory.calls).toEqual([]);
    },
  );
});

describe('observability', () => {
  it('logs one line per request: ids, route, outcome, the Cognito call and the user by sub only', async () => {
    await h.invoke('getDevice', keyEvent('GET'));
    expect(h.log.entries).toEqual([
      {
        level: 'info',
        message: 'request',
        extra: {
          requestId: 'req-0001',
          route: 'getDevice',
          sub: 'a1b2c3d4-0000-4000-8000-000000000001',
          status: 200,
          code: undefined,
          cognitoOperation: 'GetDevice',
          cognitoLatencyMs: expect.any(Number),
        },
      },
    ]);
    expect(h.log.text()).not.toContain(h.token);
  });

  it('records metrics for successes, rejections before Cognito, throttling and a misconfigured stack', async () => {
    await h.invoke('listDevices', httpEvent({ method: 'GET', path: '/devices', headers: { ...h.bearer } }));
    await h.invoke('listDevices', httpEvent({ method: 'GET', path: '/devices' }));
    h.directory.failWith = new TooManyRequestsError({
      code: 'too_many_requests',
      detail: 'slow down',
      retryAfterSeconds: 1,
    });
    await h.invoke('listDevices', httpEvent({ method: 'GET', path: '/devices', headers: { ...h.bearer } }));
    // Device tracking turned off on the pool: counted, so that the alarm fires.
    h.directory.failWith = new MisconfigurationError({
      code: 'invalid_user_pool_configuration',
      detail: 'Device tracking is not enabled for this user pool.',
    });
    await h.invoke('listDevices', httpEvent({ method: 'GET', path: '/devices', headers: { ...h.bearer } }));
    expect(h.metrics.outcomes).toEqual([
      {
        route: 'listDevices',
        status: 200,
        code: undefined,
        misconfigured: false,
        cognitoOperation: 'ListDevices',
        cognitoMs: expect.any(Number),
      },
      { route: 'listDevices', status: 401, code: 'missing_token', misconfigured: false },
      {
        route: 'listDevices',
        status: 429,
        code: 'too_many_requests',
        misconfigured: false,
        cognitoOperation: 'ListDevices',
        cognitoMs: expect.any(Number),
      },
      {
        route: 'listDevices',
        status: 500,
        code: 'invalid_user_pool_configuration',
        misconfigured: true,
        cognitoOperation: 'ListDevices',
        cognitoMs: expect.any(Number),
      },
    ]);
  });
});

describe('Cognito failures become problem+json', () => {
  const cases = [
    [
      new UnauthorizedError({
        code: 'not_authorized',
        detail: 'The access token was rejected by Cognito',
        tokenPresented: true,
      }),
      401,
      { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    ],
    [new ForbiddenError({ code: 'user_not_confirmed', detail: 'The user is not confirmed' }), 403, {}],
    [new NotFoundError({ code: 'device_not_found', detail: 'No such device' }), 404, {}],
    [new ConflictError({ code: 'device_key_exists', detail: 'The device is already confirmed' }), 409, {}],
    [
      new TooManyRequestsError({
        code: 'too_many_requests',
        detail: 'Too many requests',
        retryAfterSeconds: 1,
      }),
      429,
      { 'Retry-After': '1' },
    ],
  ] as const;

  it.each(cases)('%s → %i with its detail', async (error, status, headers) => {
    h.directory.failWith = error;
    const res = await h.invoke('getDevice', keyEvent('GET'));
    expect(res).toEqual({
      statusCode: status,
      headers: { 'Content-Type': 'application/problem+json', ...headers, ...STANDARD },
      body: JSON.stringify(problem(status, error.code, error.title, error.message)),
    });
  });

  it.each([
    [
      new UpstreamError({ code: 'internal_error', detail: 'Cognito said: internal failure 123' }),
      502,
      'Bad Gateway',
    ],
    [
      new UpstreamTimeoutError({ code: 'upstream_timeout', detail: 'Cognito did not answer in time' }),
      504,
      'Gateway Timeout',
    ],
    [
      new MisconfigurationError({
        code: 'invalid_user_pool_configuration',
        detail: 'Device tracking is off',
      }),
      500,
      'Internal Server Error',
    ],
  ] as const)('%s → %i with a generic detail, the real one logged', async (error, status, title) => {
    h.directory.failWith = error;
    const res = await h.invoke('forgetDevice', keyEvent('DELETE'));
    expect(res).toEqual({
      statusCode: status,
      headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
      body: JSON.stringify(problem(status, error.code, title, SERVER_DETAIL)),
    });
    expect(h.log.entries).toEqual([
      {
        level: 'error',
        message: error.message,
        extra: {
          requestId: 'req-0001',
          routeKey: 'DELETE /devices/{deviceKey}',
          status,
          code: error.code,
          error,
        },
      },
      {
        level: 'info',
        message: 'request',
        extra: {
          requestId: 'req-0001',
          route: 'forgetDevice',
          sub: 'a1b2c3d4-0000-4000-8000-000000000001',
          status,
          code: error.code,
          cognitoOperation: 'ForgetDevice',
          cognitoLatencyMs: expect.any(Number),
        },
      },
    ]);
  });

  it('turns an unexpected exception into a 500 that reveals nothing', async () => {
    h.directory.failWith = new TypeError('secret internal state at line 42');
    const res = await h.invoke('getDevice', keyEvent('GET'));
    expect(res).toEqual({
      statusCode: 500,
      headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
      body: JSON.stringify(problem(500, 'internal_error', 'Internal Server Error', SERVER_DETAIL)),
    });
    expect(h.log.text()).toContain('secret internal state at line 42');
  });

  it('never logs the access token or the device verifier, on 4xx or 5xx', async () => {
    const secrets = { passwordVerifier: 'VkVSSUZJRVI=', salt: 'U0FMVFNBTFQ=' };
    const body = JSON.stringify({ deviceKey: KEY, deviceSecretVerifierConfig: secrets });
    h.directory.failWith = new TypeError('boom');
    await h.invoke('confirmDevice', confirmEvent(body));
    await h.invoke('confirmDevice', confirmEvent(body.slice(0, -2)));
    await h.invoke('confirmDevice', confirmEvent(body, { 'content-type': 'text/plain' }));
    await h.invoke('confirmDevice', confirmEvent(`{"__proto__":{},${body.slice(1)}`));
    h.directory.failWith = new UpstreamError({ code: 'upstream_internal_error', detail: 'Cognito failed' });
    await h.invoke('confirmDevice', confirmEvent(body));
    expect(h.log.entries.filter((e) => e.message === 'request').map((e) => e.extra.status)).toEqual([
      500, 400, 415, 400, 502,
    ]);
    const logged = h.log.text();
    expect(logged).not.toContain(h.token);
    expect(logged).not.toContain(h.token.split('.')[2]);
    expect(logged).not.toContain(secrets.passwordVerifier);
    expect(logged).not.toContain(secrets.salt);
  });
});

describe('POST /devices/forget-others', () => {
  const other = { ...sampleDevice, deviceKey: 'eu-west-1_11111111-2222-4333-8444-555555555555' };
  const forgetEvent = (token: string) =>
    httpEvent({
      method: 'POST',
      path: '/devices/forget-others',
      headers: { authorization: `Bearer ${token}` },
    });

  it('forgets every device but the one the verified token names, and counts again what remains', async () => {
    h.directory.page = { devices: [sampleDevice, other], nextPageToken: null };
    const res = await h.invoke(
      'forgetOtherDevices',
      forgetEvent(signRs256(h.key, accessClaims({ device_key: KEY }))),
    );
    expect(h.directory.calls.filter((c) => c.method === 'forget').map((c) => c.args)).toEqual([
      [other.deviceKey],
    ]);
    // The fake still lists both afterwards: the answer says so instead of claiming success.
    expect(JSON.parse(String(res.body))).toEqual({
      forgotten: 1,
      remaining: 1,
      complete: false,
      keptDeviceKey: KEY,
    });
  });

  it('a token naming no device keeps none: every listed device is another', async () => {
    h.directory.page = { devices: [sampleDevice, other], nextPageToken: null };
    const res = await h.invoke('forgetOtherDevices', forgetEvent(h.token));
    expect(h.directory.calls.filter((c) => c.method === 'forget').map((c) => c.args)).toEqual([
      [KEY],
      [other.deviceKey],
    ]);
    expect(JSON.parse(String(res.body))).toMatchObject({ forgotten: 2, keptDeviceKey: null });
  });
});

describe('a token Cognito refused', () => {
  const listEvent = (token = h.token) =>
    httpEvent({ method: 'GET', path: '/devices', headers: { authorization: `Bearer ${token}` } });

  it('is refused on the next requests without asking Cognito again, on every route', async () => {
    h.directory.failWith = new UnauthorizedError({
      code: 'not_authorized',
      detail: 'The access token was rejected by Cognito',
      tokenPresented: true,
    });
    expect((await h.invoke('listDevices', listEvent())).statusCode).toBe(401);
    expect(h.directory.calls).toHaveLength(1);
    h.directory.failWith = undefined;
    for (const [id, event] of [
      ['listDevices', listEvent()],
      ['getDevice', keyEvent('GET')],
      ['forgetDevice', keyEvent('DELETE')],
    ] as const) {
      const res = await h.invoke(id, event);
      expect(res.statusCode).toBe(401);
      expect(JSON.parse(String(res.body))).toMatchObject({ code: 'not_authorized' });
      expect(res.headers?.['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    }
    expect(h.directory.calls).toHaveLength(1);
    // Another token of the same user is not affected.
    expect(
      (await h.invoke('listDevices', listEvent(signRs256(h.key, accessClaims({ jti: 'other' }))))).statusCode,
    ).toBe(200);
  });
});

describe('POST /sign-out-everywhere (GlobalSignOut)', () => {
  const signOutEvent = (headers: Record<string, string> = h.bearer) =>
    httpEvent({ method: 'POST', path: '/sign-out-everywhere', headers });

  it('signs the verified caller out everywhere with their own token and tells the app to sign in again', async () => {
    const res = await h.invoke('signOutEverywhere', signOutEvent());
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', ...STANDARD },
      body: JSON.stringify({ signedOut: 'everywhere', next: 'sign_in' }),
    });
    expect(h.directory.calls).toEqual([
      { method: 'signOutEverywhere', accessToken: h.token, username: USERNAME, args: [] },
    ]);
  });

  it('a token Cognito already refuses is a 401, and nothing is signed out twice', async () => {
    h.directory.failWith = new UnauthorizedError({
      code: 'not_authorized',
      detail: 'The access token was rejected by Cognito',
      tokenPresented: true,
    });
    const res = await h.invoke('signOutEverywhere', signOutEvent());
    expect(res.statusCode).toBe(401);
    expect(h.directory.calls).toHaveLength(1);
  });

  it('without a token nothing reaches Cognito', async () => {
    const res = await h.invoke('signOutEverywhere', signOutEvent({}));
    expect(res.statusCode).toBe(401);
    expect(h.directory.calls).toEqual([]);
  });
});
