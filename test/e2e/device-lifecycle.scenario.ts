// Routes: every device route, in one device-tracking mode (run by devices-always and devices-opt-in). Flows: the
// lifecycle, paging, a known DEVICE_KEY at sign-in, revoked and expired tokens, bad input, 405 and 404.
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVICE_NAMES_USER_AGENT } from '../../functions/cognito/device-names.js';
import type { DeviceTrackingModeName } from '../../infra/device-tracking.js';
import type { LocalStack } from '../../local/stack.js';
import {
  call,
  clock,
  cognitoClient,
  onApiCall,
  type SignedIn,
  signIn,
  startTestStack,
} from '../support/local-stack.js';

const VERIFIER = {
  passwordVerifier: Buffer.from('verifier').toString('base64'),
  salt: Buffer.from('salt').toString('base64'),
};
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The whole device lifecycle over real HTTP, against the stand-in, for one device-tracking mode. */
export function describeDeviceLifecycle(mode: Exclude<DeviceTrackingModeName, 'off'>): void {
  describe(`device lifecycle, device tracking "${mode}"`, () => {
    let stack: LocalStack;
    let alice: SignedIn;
    let bob: SignedIn;
    const newKey = (user: SignedIn) => {
      if (!user.newDevice) throw new Error('expected NewDeviceMetadata');
      return user.newDevice.DeviceKey;
    };
    /** Confirms a device and, in an opt-in pool, remembers it: what a user who says "yes" gets. */
    const confirmRemembered = async (user: SignedIn, key: string) => {
      const confirmed = await call(stack, 'POST', '/devices', {
        token: user.accessToken,
        json: { deviceKey: key },
      });
      expect(confirmed.status).toBe(201);
      if (mode === 'opt-in') {
        const remembered = await call(stack, 'PUT', `/devices/${key}/status`, {
          token: user.accessToken,
          json: { status: 'remembered' },
        });
        expect(remembered.status).toBe(200);
      }
    };

    /** Every operation that reached the stand-in during this file; the event delivery's apart. */
    const operations = new Set<string>();
    const deliveryOperations = new Set<string>();

    beforeAll(async () => {
      stack = await startTestStack(mode);
      stack.cognito.onCall((op, _body, userAgent) =>
        (userAgent === DEVICE_NAMES_USER_AGENT ? deliveryOperations : operations).add(op),
      );
      alice = await signIn(stack, 'alice');
      bob = await signIn(stack, 'bob');
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('confirm → status → get → forget, seeing remembered devices only, as real Cognito does', async () => {
      // Real Cognito (aws-sdk-android AWSMobileClientTest.testRememberDevice/testForgetDevice): the token API
      // lists and reads remembered devices only; UpdateDeviceStatus works on a not-remembered one.
      const key = newKey(alice);
      const confirmed = await call(stack, 'POST', '/devices', {
        token: alice.accessToken,
        json: { deviceKey: key, deviceName: 'Alice phone', deviceSecretVerifierConfig: VERIFIER },
      });
      expect(confirmed.status).toBe(201);
      expect(confirmed.headers.get('location')).toBe(`/devices/${key}`);
      expect(confirmed.headers.get('cache-control')).toBe('no-store');
      expect(confirmed.headers.get('x-request-id')).toMatch(/\S+/);
      expect(confirmed.body).toEqual({ deviceKey: key, userConfirmationNecessary: mode === 'opt-in' });

      const listed = async () =>
        (
          (await call(stack, 'GET', '/devices', { token: alice.accessToken })).body as {
            devices: Array<{ deviceKey: string }>;
          }
        ).devices.map((d) => d.deviceKey);
      const expectHidden = async () => {
        const hidden = await call(stack, 'GET', `/devices/${key}`, { token: alice.accessToken });
        expect(hidden.status).toBe(404);
        expect(hidden.body).toMatchObject({
          code: 'device_not_found',
          detail: expect.stringMatching(/remembered/),
        });
        expect(await listed()).not.toContain(key);
      };

      // In an opt-in pool a confirmed device is not remembered until the user says so: not listed, not found.
      if (mode === 'opt-in') await expectHidden();
      else expect(await listed()).toContain(key);

      for (const status of ['remembered', 'not_remembered', 'remembered'] as const) {
        const updated = await call(stack, 'PUT', `/devices/${key}/status`, {
          token: alice.accessToken,
          json: { status },
        });
        expect(updated.status).toBe(200);
        expect(updated.body).toEqual({ deviceKey: key, status, trustEndsAt: null });
        if (status === 'not_remembered') {
          await expectHidden();
          continue;
        }
        const fetched = await call(stack, 'GET', `/devices/${key}`, { token: alice.accessToken });
        expect(fetched.status).toBe(200);
        expect(fetched.body).toEqual({
          deviceKey: key,
          name: 'Alice phone',
          displayName: 'Alice phone',
          status: 'remembered',
          createdAt: expect.stringMatching(ISO),
          lastModifiedAt: expect.stringMatching(ISO),
          lastAuthenticatedAt: expect.stringMatching(ISO),
          lastIpUsed: '127.0.0.1',
          // Alice's token was issued on this very device.
          current: true,
          // This stage does not limit trust (rememberFor).
          trustEndsAt: null,
          trustEndsAtUnknown: false,
          // Only the allow-listed attributes: never dev:device_arn (our account id) or dev:device_owner.
          attributes: {
            device_status: 'valid',
            device_name: 'Alice phone',
            'dev:device_remembered_status': 'remembered',
            last_ip_used: '127.0.0.1',
          },
        });
        expect(await listed()).toContain(key);
      }

      const forgotten = await call(stack, 'DELETE', `/devices/${key}`, { token: alice.accessToken });
      expect(forgotten.status).toBe(204);
      expect(forgotten.text).toBe('');
      expect(await listed()).not.toContain(key);
      const gone = await call(stack, 'GET', `/devices/${key}`, { token: alice.accessToken });
      expect(gone.status).toBe(404);
      expect(gone.headers.get('content-type')).toBe('application/problem+json');
      expect(gone.body).toMatchObject({ status: 404, code: 'device_not_found' });
      const status = await call(stack, 'PUT', `/devices/${key}/status`, {
        token: alice.accessToken,
        json: { status: 'remembered' },
      });
      expect(status.status).toBe(404);
      expect((await call(stack, 'DELETE', `/devices/${key}`, { token: alice.accessToken })).status).toBe(404);
    });

    it('lists every device exactly once across pages', async () => {
      const carol = await signIn(stack, 'carol');
      const keys = [newKey(carol)];
      for (let i = 0; i < 4; i++) keys.push(newKey(await signIn(stack, 'carol')));
      for (const key of keys) await confirmRemembered(carol, key);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await call(stack, 'GET', `/devices${query}`, { token: carol.accessToken });
        expect(page.status).toBe(200);
        const body = page.body as { devices: Array<{ deviceKey: string }>; nextCursor: string | null };
        expect(body.devices.length).toBeLessThanOrEqual(2);
        seen.push(...body.devices.map((d) => d.deviceKey));
        cursor = body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual([...keys].sort());
      // The token of Carol's first sign-in names its device: that one, and only that one, is current.
      const listed = (await call(stack, 'GET', '/devices', { token: carol.accessToken })).body as {
        devices: Array<{ deviceKey: string; current: boolean }>;
      };
      expect(listed.devices.filter((d) => d.current).map((d) => d.deviceKey)).toEqual([keys[0]]);

      const all = await call(stack, 'GET', '/devices', { token: carol.accessToken });
      expect((all.body as { devices: unknown[]; nextCursor: null }).devices).toHaveLength(5);
      expect((all.body as { nextCursor: null }).nextCursor).toBeNull();
    });

    it("never shows or changes another user's device", async () => {
      const dave = await signIn(stack, 'dave');
      const key = newKey(dave);
      await confirmRemembered(dave, key);

      const attempts = [
        await call(stack, 'GET', `/devices/${key}`, { token: bob.accessToken }),
        await call(stack, 'PUT', `/devices/${key}/status`, {
          token: bob.accessToken,
          json: { status: 'remembered' },
        }),
        await call(stack, 'DELETE', `/devices/${key}`, { token: bob.accessToken }),
      ];
      for (const attempt of attempts) {
        expect(attempt.status).toBe(404);
        expect(attempt.body).toMatchObject({ code: 'device_not_found' });
      }
      // Confirming a key Cognito did not issue to this user: InvalidParameterException in real Cognito.
      const claimed = await call(stack, 'POST', '/devices', {
        token: bob.accessToken,
        json: { deviceKey: key, deviceName: 'mine now' },
      });
      expect(claimed.status).toBe(400);
      expect(claimed.body).toMatchObject({ code: 'stale_device_key' });
      const bobsList = await call(stack, 'GET', '/devices', { token: bob.accessToken });
      expect(
        (bobsList.body as { devices: Array<{ deviceKey: string }> }).devices.map((d) => d.deviceKey),
      ).not.toContain(key);
      const still = await call(stack, 'GET', `/devices/${key}`, { token: dave.accessToken });
      expect(still.status).toBe(200);
      expect((still.body as { name: unknown }).name).not.toBe('mine now');
    });

    it('a sign-in with a confirmed DEVICE_KEY gets no new device and updates the last sign-in', async () => {
      const erin = await signIn(stack, 'erin');
      const key = newKey(erin);
      await confirmRemembered(erin, key);
      const before = (await call(stack, 'GET', `/devices/${key}`, { token: erin.accessToken })).body as {
        lastAuthenticatedAt: string;
      };
      // Cognito keeps the last sign-in in whole seconds (AWS CLI `list-devices.rst`): sign in again a second later.
      clock.offsetMs += 1_500;
      const again = await signIn(stack, 'erin', key).finally(() => {
        clock.offsetMs -= 1_500;
      });
      expect(again.newDevice).toBeUndefined();
      const after = (await call(stack, 'GET', `/devices/${key}`, { token: again.accessToken })).body as {
        lastAuthenticatedAt: string;
      };
      expect(Date.parse(after.lastAuthenticatedAt)).toBeGreaterThan(Date.parse(before.lastAuthenticatedAt));
    });

    it('a signed-out token verifies locally but Cognito refuses it: 401', async () => {
      const session = await signIn(stack, 'alice');
      expect((await call(stack, 'GET', '/devices', { token: session.accessToken })).status).toBe(200);
      await cognitoClient(stack).send(new GlobalSignOutCommand({ AccessToken: session.accessToken }));
      const res = await call(stack, 'GET', '/devices', { token: session.accessToken });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(res.body).toMatchObject({ code: 'not_authorized' });
    });

    it('an expired token is refused before Cognito is asked: 401', async () => {
      clock.offsetMs = -2 * 60 * 60 * 1000;
      let stale: SignedIn;
      try {
        stale = await signIn(stack, 'bob');
      } finally {
        clock.offsetMs = 0;
      }
      const calls: string[] = [];
      const stop = onApiCall(stack, (op) => calls.push(op));
      const res = await call(stack, 'GET', '/devices', { token: stale.accessToken });
      stop();
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_token', detail: expect.stringMatching(/expired/i) });
      expect(calls).toEqual([]);
    });

    it('answers bad input with 4xx problem+json and never reaches Cognito', async () => {
      const calls: string[] = [];
      const stop = onApiCall(stack, (op) => calls.push(op));
      const token = bob.accessToken;
      const cases: Array<[number, string, string, Parameters<typeof call>[3]]> = [
        [400, 'POST', '/devices', { token, json: { deviceKey: 'not a key' } }],
        [400, 'POST', '/devices', { token, json: { deviceKey: newKey(bob), extra: true } }],
        [
          400,
          'POST',
          '/devices',
          { token, body: '{"deviceKey":', headers: { 'content-type': 'application/json' } },
        ],
        [
          415,
          'POST',
          '/devices',
          { token, body: 'deviceKey=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        ],
        [
          413,
          'POST',
          '/devices',
          { token, json: { deviceKey: newKey(bob), deviceName: 'x'.repeat(20_000) } },
        ],
        [400, 'PUT', `/devices/${newKey(bob)}/status`, { token, json: { status: 'forever' } }],
        [400, 'GET', '/devices?limit=0', { token }],
        [400, 'GET', '/devices?limit=61', { token }],
        [400, 'GET', '/devices?cursor=%00', { token }],
        [400, 'GET', '/devices/..%2Fadmin', { token }],
        [400, 'GET', '/devices/%00', { token }],
        [400, 'GET', '/devices/%E0%A4%A', { token }],
        [
          400,
          'POST',
          '/devices',
          { token, body: '{"__proto__":{}}', headers: { 'content-type': 'application/json' } },
        ],
        [401, 'GET', '/devices', {}],
        [401, 'GET', '/devices', { token: 'not-a-jwt' }],
      ];
      for (const [status, method, path, options] of cases) {
        const res = await call(stack, method, path, options);
        expect({ method, path, status: res.status }).toEqual({ method, path, status });
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.body).toMatchObject({
          status,
          type: expect.stringMatching(/^urn:/),
          code: expect.any(String),
        });
      }
      stop();
      expect(calls).toEqual([]);
    });

    it('confirming a key Cognito never issued is 400 stale_device_key, saying what to do, echoing nothing', async () => {
      // Real Cognito: InvalidParameterException "Invalid device key given." (boto/boto3 #4059).
      const unknown = 'eu-west-1_00000000-0000-0000-0000-000000000000';
      const res = await call(stack, 'POST', '/devices', {
        token: bob.accessToken,
        json: { deviceKey: unknown },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        type: 'urn:cognito-device-bff:problem:stale_device_key',
        title: 'Bad Request',
        status: 400,
        code: 'stale_device_key',
        detail: expect.stringMatching(/sign in again/i),
      });
      expect(res.text).not.toContain(unknown);
      expect(res.text).not.toContain('Invalid device key given');
    });

    it('re-confirming a confirmed device (a rename) is 409 with the reason, not a 5xx', async () => {
      const frank = await signIn(stack, 'frank');
      const key = newKey(frank);
      await confirmRemembered(frank, key);
      const again = await call(stack, 'POST', '/devices', {
        token: frank.accessToken,
        json: { deviceKey: key, deviceName: 'New name' },
      });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({
        code: 'device_key_exists',
        detail: expect.stringMatching(/already confirmed/),
      });
      const device = await call(stack, 'GET', `/devices/${key}`, { token: frank.accessToken });
      expect((device.body as { name: unknown }).name).toBeNull();
    });

    it('answers a wrong method with 405 and Allow, an unknown path with 404, both problem+json', async () => {
      const wrongMethod = await call(stack, 'PATCH', '/devices', { token: bob.accessToken });
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
      expect(wrongMethod.headers.get('content-type')).toBe('application/problem+json');
      expect(wrongMethod.body).toMatchObject({ status: 405, code: 'method_not_allowed' });
      const unknown = await call(stack, 'GET', '/users/me');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ status: 404, code: 'route_not_found', title: 'Not Found' });
    });
    it('makes no signed call without the full device view: no admin device operation ever reached Cognito from the API', async () => {
      // Runs last: `operations` holds what every test above sent. The API's functions have no Cognito permission,
      // so they must make no call that needs one; the event delivery may read the names of the devices whose status
      // changed, and nothing else.
      await stack.eventsDelivered();
      expect(operations).toContain('ListDevices');
      expect([...operations].filter((op) => /^Admin\w*Device/.test(op))).toEqual([]);
      expect([...deliveryOperations].filter((op) => op !== 'AdminGetDevice')).toEqual([]);
    });
  });
}
