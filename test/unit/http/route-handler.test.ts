import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  MisconfigurationError,
  NotFoundError,
  TooManyRequestsError,
  UnauthorizedError,
  UpstreamError,
  UpstreamTimeoutError,
} from '../../../functions/errors.js';
import { httpEvent } from '../../support/events.js';
import {
  KEY,
  problem,
  routeEvents,
  routeHarness,
  SERVER_DETAIL,
  STANDARD,
} from '../../support/route-harness.js';
import { accessClaims, signRs256 } from '../../support/tokens.js';

const h = routeHarness();
const { confirmEvent, keyEvent } = routeEvents(h);

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
