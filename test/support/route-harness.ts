import { beforeEach } from 'vitest';
import { createCursors } from '../../functions/devices/cursor.js';
import { httpEvent } from './events.js';
import { fixedSecret, sampleDevice } from './fake-directory.js';
import { createHarness, TEST_CURSOR_KEY } from './harness.js';

/**
 * What the route tests (test/unit/devices/actions/, test/unit/http/route-handler.test.ts) share: a fresh harness per
 * test (the API's real route handler on a fake directory and a real token verifier), its requests and the answers
 * they expect.
 */
export type Harness = ReturnType<typeof createHarness>;

/** A new harness before each test of the file; `h` always reaches the current one. */
export function routeHarness(): Harness {
  let current: Harness | undefined;
  beforeEach(() => {
    current = createHarness();
  });
  return new Proxy({} as Harness, {
    get: (_, property) => {
      if (!current) throw new Error('the route harness exists only inside a test');
      return Reflect.get(current, property);
    },
  });
}

/** Cursors as the harness's list route seals them, for the harness token's user. */
export const cursors = createCursors(fixedSecret(TEST_CURSOR_KEY));
export const binding = { sub: 'a1b2c3d4-0000-4000-8000-000000000001', view: 'remembered' as const };

export const KEY = sampleDevice.deviceKey;
/** The `username` claim of the harness's access token: whose devices every call is about. */
export const USERNAME = 'alice';
export const JSON_HEADERS = { 'content-type': 'application/json' };
export const STANDARD = { 'Cache-Control': 'no-store', 'X-Request-Id': 'req-0001' };

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return { type: `urn:cognito-device-bff:problem:${code}`, title, status, detail, code, ...extra };
}
/** A device as the API answers it: `displayName` after the raw `name`, `current` last. */
export function seen(device: typeof sampleDevice, displayName: string | null, current = false) {
  const { deviceKey, name, ...rest } = device;
  return { deviceKey, name, displayName, ...rest, current, trustEndsAt: null, trustEndsAtUnknown: false };
}
export const SERVER_DETAIL =
  'The request could not be completed. Retry later; if it persists, report the request id.';

/** The requests most route tests send, with the harness's token. */
export function routeEvents(h: Harness) {
  return {
    confirmEvent: (body: unknown, headers: Record<string, string> = {}) =>
      httpEvent({
        method: 'POST',
        path: '/devices',
        headers: { ...h.bearer, ...JSON_HEADERS, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    keyEvent: (
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
      }),
  };
}
