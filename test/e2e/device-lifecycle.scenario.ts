import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceTrackingMode } from '../../infra/device-tracking.js';
import type { LocalStack } from '../../local/stack.js';
import { call, clock, cognitoClient, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';

const VERIFIER = {
  passwordVerifier: Buffer.from('verifier').toString('base64'),
  salt: Buffer.from('salt').toString('base64'),
};
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The whole device lifecycle over real HTTP, against the stand-in, for one device-tracking mode. */
export function describeDeviceLifecycle(mode: Exclude<DeviceTrackingMode, 'off'>): void {
  describe(`device lifecycle, device tracking "${mode}"`, () => {
    let stack: LocalStack;
    let alice: SignedIn;
    let bob: SignedIn;
    const newKey = (user: SignedIn) => {
      if (!user.newDevice) throw new Error('expected NewDeviceMetadata');
      return user.newDevice.DeviceKey;
    };

    beforeAll(async () => {
      stack = await startTestStack(mode);
      alice = await signIn(stack, 'alice');
      bob = await signIn(stack, 'bob');
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('confirm → status → get → forget', async () => {
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

      const fetched = await call(stack, 'GET', `/devices/${key}`, { token: alice.accessToken });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toMatchObject({
        deviceKey: key,
        name: 'Alice phone',
        status: mode === 'opt-in' ? 'not_remembered' : 'remembered',
        createdAt: expect.stringMatching(ISO),
        lastModifiedAt: expect.stringMatching(ISO),
        lastAuthenticatedAt: expect.stringMatching(ISO),
        lastIpUsed: '127.0.0.1',
        attributes: { device_status: 'valid', device_name: 'Alice phone' },
      });

      for (const status of ['remembered', 'not_remembered', 'remembered'] as const) {
        const updated = await call(stack, 'PUT', `/devices/${key}/status`, {
          token: alice.accessToken,
          json: { status },
        });
        expect(updated.status).toBe(200);
        expect(updated.body).toEqual({ deviceKey: key, status });
        const after = await call(stack, 'GET', `/devices/${key}`, { token: alice.accessToken });
        expect((after.body as { status: string }).status).toBe(status);
      }

      const forgotten = await call(stack, 'DELETE', `/devices/${key}`, { token: alice.accessToken });
      expect(forgotten.status).toBe(204);
      expect(forgotten.text).toBe('');
      const gone = await call(stack, 'GET', `/devices/${key}`, { token: alice.accessToken });
      expect(gone.status).toBe(404);
      expect(gone.headers.get('content-type')).toBe('application/problem+json');
      expect(gone.body).toMatchObject({ status: 404, code: 'device_not_found' });
      expect((await call(stack, 'DELETE', `/devices/${key}`, { token: alice.accessToken })).status).toBe(404);
    });

    it('lists every device exactly once across pages', async () => {
      const carol = await signIn(stack, 'carol');
      const keys = [newKey(carol)];
      for (let i = 0; i < 4; i++) keys.push(newKey(await signIn(stack, 'carol')));
      for (const key of keys) {
        const res = await call(stack, 'POST', '/devices', {
          token: carol.accessToken,
          json: { deviceKey: key },
        });
        expect(res.status).toBe(201);
      }
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

      const all = await call(stack, 'GET', '/devices', { token: carol.accessToken });
      expect((all.body as { devices: unknown[]; nextCursor: null }).devices).toHaveLength(5);
      expect((all.body as { nextCursor: null }).nextCursor).toBeNull();
    });

    it("never shows or changes another user's device", async () => {
      const dave = await signIn(stack, 'dave');
      const key = newKey(dave);
      expect(
        (await call(stack, 'POST', '/devices', { token: dave.accessToken, json: { deviceKey: key } })).status,
      ).toBe(201);

      const attempts = [
        await call(stack, 'GET', `/devices/${key}`, { token: bob.accessToken }),
        await call(stack, 'PUT', `/devices/${key}/status`, {
          token: bob.accessToken,
          json: { status: 'remembered' },
        }),
        await call(stack, 'DELETE', `/devices/${key}`, { token: bob.accessToken }),
        await call(stack, 'POST', '/devices', {
          token: bob.accessToken,
          json: { deviceKey: key, deviceName: 'mine now' },
        }),
      ];
      for (const attempt of attempts) {
        expect(attempt.status).toBe(404);
        expect(attempt.body).toMatchObject({ code: 'device_not_found' });
      }
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
      await call(stack, 'POST', '/devices', { token: erin.accessToken, json: { deviceKey: key } });
      const before = (await call(stack, 'GET', `/devices/${key}`, { token: erin.accessToken })).body as {
        lastAuthenticatedAt: string;
      };
      await new Promise((resolve) => setTimeout(resolve, 5));
      const again = await signIn(stack, 'erin', key);
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
      const stop = stack.cognito.onCall((op) => calls.push(op));
      const res = await call(stack, 'GET', '/devices', { token: stale.accessToken });
      stop();
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'invalid_token', detail: expect.stringMatching(/expired/i) });
      expect(calls).toEqual([]);
    });

    it('answers bad input with 4xx problem+json and never reaches Cognito', async () => {
      const calls: string[] = [];
      const stop = stack.cognito.onCall((op) => calls.push(op));
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

    it('confirming a well-formed key Cognito never issued is 404', async () => {
      const res = await call(stack, 'POST', '/devices', {
        token: bob.accessToken,
        json: { deviceKey: 'eu-west-1_00000000-0000-0000-0000-000000000000' },
      });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'device_not_found' });
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
  });
}
