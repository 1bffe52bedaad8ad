import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEVICE_NAMES_USER_AGENT } from '../../functions/cognito/device-names.js';
import type { LocalStack } from '../../local/stack.js';
import { call, issuedSecrets, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';
import { captureOutput, expectNoSecrets } from '../support/output-capture.js';

/** Tight budgets so that every timeout path runs in about a second; the SDK backs off up to ~1 s after a throttle. */
const ATTEMPT_MS = 300;
const BUDGET_MS = 2_000;
const LAMBDA_TIMEOUT_MS = 10_000;
const VERIFIER = { passwordVerifier: 'dmVyaWZpZXI=', salt: 'c2FsdA==' };

let stack: LocalStack;
let output: ReturnType<typeof captureOutput>;
let user: SignedIn;
let device: string;
let calls: string[] = [];

beforeAll(async () => {
  output = captureOutput();
  stack = await startTestStack('opt-in', {
    logLevel: 'DEBUG',
    functionEnv: {
      COGNITO_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_MS),
      COGNITO_CALL_BUDGET_MS: String(BUDGET_MS),
      COGNITO_MAX_ATTEMPTS: '2',
    },
  });
  user = await signIn(stack, 'faulty');
  device = user.newDevice?.DeviceKey ?? '';
  const confirmed = await call(stack, 'POST', '/devices', {
    token: user.accessToken,
    json: { deviceKey: device, deviceSecretVerifierConfig: VERIFIER },
  });
  expect(confirmed.status).toBe(201);
  // An opt-in pool: the token API reads the device only once it is remembered.
  const remembered = await call(stack, 'PUT', `/devices/${device}/status`, {
    token: user.accessToken,
    json: { status: 'remembered' },
  });
  expect(remembered.status).toBe(200);
  // What the API asked; the event delivery's reads of device names (after the response) are not counted.
  stack.cognito.onCall((op, _body, userAgent) => {
    if (userAgent !== DEVICE_NAMES_USER_AGENT) calls.push(op);
  });
});
beforeEach(() => {
  calls = [];
  stack.cognito.faults.clear();
});
afterAll(async () => {
  await stack?.close();
  output.stop();
  expectNoSecrets(output.text(), [...issuedSecrets, VERIFIER.passwordVerifier, VERIFIER.salt]);
});

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

const getDevice = () => call(stack, 'GET', `/devices/${device}`, { token: user.accessToken });

describe('Cognito faults', () => {
  it('persistent throttling → 429 with Retry-After, after exactly two attempts', async () => {
    stack.cognito.faults.inject({ kind: 'throttle', operation: 'ListDevices', times: 5 });
    const res = await call(stack, 'GET', '/devices', { token: user.accessToken });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(calls).toEqual(['ListDevices', 'ListDevices']);
  });

  it('one throttled attempt is retried and succeeds', async () => {
    stack.cognito.faults.inject({ kind: 'throttle', operation: 'ListDevices', times: 1 });
    const res = await call(stack, 'GET', '/devices', { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(calls).toEqual(['ListDevices', 'ListDevices']);
  });

  it('an internal error → 502 that reveals nothing, and a failed forget leaves the device in place', async () => {
    stack.cognito.faults.inject({ kind: 'internal', operation: 'ForgetDevice', times: 2 });
    const res = await call(stack, 'DELETE', `/devices/${device}`, { token: user.accessToken });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ status: 502, code: 'upstream_internal_error' });
    expect(JSON.stringify(res.body)).not.toMatch(/injected/);
    // The device's name for its event first (GetDevice), then the forget and its retry.
    expect(calls).toEqual(['GetDevice', 'ForgetDevice', 'ForgetDevice']);
    expect((await getDevice()).status).toBe(200);
  });

  it('an operation Cognito does not offer here (a replica’s write) → 503 operation_not_enabled, once, no Retry-After', async () => {
    stack.cognito.faults.inject({ kind: 'not-enabled', operation: 'UpdateDeviceStatus', times: 5 });
    const res = await call(stack, 'PUT', `/devices/${device}/status`, {
      token: user.accessToken,
      json: { status: 'remembered' },
    });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      type: 'urn:cognito-device-bff:problem:operation_not_enabled',
      title: 'Service Unavailable',
      status: 503,
      detail:
        'This operation is not available for this user pool here; retrying will not help. Report the request id.',
      code: 'operation_not_enabled',
    });
    expect(res.headers.get('retry-after')).toBeNull();
    // Asked once: the SDK does not retry it, and neither does the BFF.
    expect(calls.filter((op) => op === 'UpdateDeviceStatus')).toEqual(['UpdateDeviceStatus']);
  });

  it('a failed status change is not reported as done and changes nothing', async () => {
    const before = ((await getDevice()).body as { status: string }).status;
    const wanted = before === 'remembered' ? 'not_remembered' : 'remembered';
    stack.cognito.faults.inject({ kind: 'internal', operation: 'UpdateDeviceStatus', times: 2 });
    const res = await call(stack, 'PUT', `/devices/${device}/status`, {
      token: user.accessToken,
      json: { status: wanted },
    });
    expect(res.status).toBe(502);
    expect(((await getDevice()).body as { status: string }).status).toBe(before);
  });

  it('a failed confirmation leaves the device unconfirmed', async () => {
    const fresh = await signIn(stack, 'faulty');
    const key = fresh.newDevice?.DeviceKey ?? '';
    stack.cognito.faults.inject({ kind: 'internal', operation: 'ConfirmDevice', times: 2 });
    const res = await call(stack, 'POST', '/devices', { token: fresh.accessToken, json: { deviceKey: key } });
    expect(res.status).toBe(502);
    const listed = (await call(stack, 'GET', '/devices', { token: fresh.accessToken })).body as {
      devices: Array<{ deviceKey: string }>;
    };
    expect(listed.devices.map((d) => d.deviceKey)).not.toContain(key);
  });

  it('a hanging Cognito → 504 within the call budget, far inside the Lambda timeout', async () => {
    stack.cognito.faults.inject({ kind: 'hang', operation: 'GetDevice', times: 5 });
    const { result, ms } = await timed(getDevice);
    expect(result.status).toBe(504);
    expect(result.body).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(ms).toBeLessThan(BUDGET_MS + 500);
    expect(ms).toBeLessThan(LAMBDA_TIMEOUT_MS);
    expect(calls.length).toBeLessThanOrEqual(2);
  });

  it('a slow but timely answer succeeds', async () => {
    stack.cognito.faults.inject({ kind: 'slow', operation: 'GetDevice', times: 1, delayMs: ATTEMPT_MS / 3 });
    expect((await getDevice()).status).toBe(200);
    expect(calls).toEqual(['GetDevice']);
  });

  it('answers slower than an attempt may take → 504 after bounded attempts', async () => {
    stack.cognito.faults.inject({ kind: 'slow', operation: 'GetDevice', times: 5, delayMs: ATTEMPT_MS * 2 });
    const { result, ms } = await timed(getDevice);
    expect(result.status).toBe(504);
    expect(calls).toEqual(['GetDevice', 'GetDevice']);
    expect(ms).toBeLessThan(BUDGET_MS + 500);
  });

  it('a dropped connection is retried once; dropped twice → 502', async () => {
    stack.cognito.faults.inject({ kind: 'drop', operation: 'GetDevice', times: 1 });
    expect((await getDevice()).status).toBe(200);
    expect(calls).toEqual(['GetDevice', 'GetDevice']);
    calls = [];
    stack.cognito.faults.inject({ kind: 'drop', operation: 'GetDevice', times: 2 });
    const res = await getDevice();
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_unavailable' });
    expect(calls).toEqual(['GetDevice', 'GetDevice']);
  });

  it('a forget whose answer was lost is retried and reported as done, not 404', async () => {
    const fresh = await signIn(stack, 'lost-forget');
    const key = fresh.newDevice?.DeviceKey ?? '';
    await call(stack, 'POST', '/devices', { token: fresh.accessToken, json: { deviceKey: key } });
    await call(stack, 'PUT', `/devices/${key}/status`, {
      token: fresh.accessToken,
      json: { status: 'remembered' },
    });
    calls = [];
    stack.cognito.faults.inject({ kind: 'lose-answer', operation: 'ForgetDevice', times: 1 });
    const res = await call(stack, 'DELETE', `/devices/${key}`, { token: fresh.accessToken });
    expect(calls).toEqual(['GetDevice', 'ForgetDevice', 'ForgetDevice']);
    expect(res.status).toBe(204);
    expect((await call(stack, 'GET', `/devices/${key}`, { token: fresh.accessToken })).status).toBe(404);
    // Without a lost answer, forgetting twice is still a 404: only a retry after a lost answer is forgiven.
    expect((await call(stack, 'DELETE', `/devices/${key}`, { token: fresh.accessToken })).status).toBe(404);
  });

  it('a confirmation whose answer was lost is retried and reported as done, with the flag Cognito would have sent', async () => {
    const fresh = await signIn(stack, 'lost-confirm');
    const key = fresh.newDevice?.DeviceKey ?? '';
    calls = [];
    stack.cognito.faults.inject({ kind: 'lose-answer', operation: 'ConfirmDevice', times: 1 });
    const res = await call(stack, 'POST', '/devices', { token: fresh.accessToken, json: { deviceKey: key } });
    // First the check that it is not confirmed already, then the confirmation and its retry.
    expect(calls).toEqual(['GetDevice', 'UpdateDeviceStatus', 'ConfirmDevice', 'ConfirmDevice', 'GetDevice']);
    expect(res.status).toBe(201);
    // An opt-in pool: the device is confirmed but not remembered, so the user must still choose.
    expect(res.body).toEqual({ deviceKey: key, userConfirmationNecessary: true });
    // Confirming again is refused before any ConfirmDevice: the device's secret is never replaced.
    calls = [];
    expect(
      (await call(stack, 'POST', '/devices', { token: fresh.accessToken, json: { deviceKey: key } })).status,
    ).toBe(409);
    expect(calls).toEqual(['GetDevice', 'UpdateDeviceStatus']);
  });

  it('client errors are never retried', async () => {
    const res = await call(stack, 'GET', '/devices/eu-west-1_00000000-0000-0000-0000-000000000000', {
      token: user.accessToken,
    });
    expect(res.status).toBe(404);
    expect(calls).toEqual(['GetDevice']);
  });
});
