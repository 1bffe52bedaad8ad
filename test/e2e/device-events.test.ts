// Routes: POST /devices, PUT /devices/{deviceKey}/status, DELETE /devices/{deviceKey}, POST /devices/forget-others,
// POST /sign-out-everywhere. Flow: each change's device event, as the schema says, with nothing secret in it.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeviceSecretVerifier } from '../../client/index.js';
import type { PublishedEvent } from '../../local/events/server.js';
import type { LocalStack } from '../../local/stack.js';
import { call, issuedSecrets, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';

/**
 * Every successful device change publishes one event to the bus (the local stack's EventBridge stand-in), shaped
 * as docs/events.schema.json says, with who, what, from where and when, and nothing secret, after the change's
 * answer; a bus that refuses delays the events, never the change, and loses none of them.
 */
const schema = JSON.parse(readFileSync(new URL('../../docs/events.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({
  strictSchema: true,
  strictTypes: false,
  strictRequired: false,
  validateFormats: false,
  allErrors: true,
}).compile(schema);

let stack: LocalStack;
let user: SignedIn;
let second: SignedIn;
const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  user = await signIn(stack, 'events-user');
  second = await signIn(stack, 'events-user');
});
afterAll(async () => {
  await stack?.close();
});

/** The events `act`'s changes published (delivered after the answers, a few hundred milliseconds later). */
async function published(act: () => Promise<void>): Promise<PublishedEvent[]> {
  await stack.eventsDelivered();
  const before = stack.events.events.length;
  await act();
  await stack.eventsDelivered();
  return stack.events.events.slice(before);
}
const asReceived = (e: PublishedEvent) => ({
  source: e.source,
  'detail-type': e.detailType,
  detail: e.detail,
});

async function confirm(device: SignedIn, name: string) {
  const meta = device.newDevice;
  if (!meta) throw new Error('expected a new device');
  const { devicePassword: _secret, ...verifier } = createDeviceSecretVerifier(
    meta.DeviceKey,
    meta.DeviceGroupKey,
  );
  const res = await call(stack, 'POST', '/devices', {
    token: device.accessToken,
    json: { deviceKey: meta.DeviceKey, deviceName: name, deviceSecretVerifierConfig: verifier },
    headers: { 'user-agent': USER_AGENT },
  });
  expect(res.status).toBe(201);
  return meta.DeviceKey;
}

describe('device events', () => {
  let first = '';
  let other = '';

  it('confirm, remember, stop remembering, forget: one event each, named, from where and when', async () => {
    const events = await published(async () => {
      first = await confirm(user, 'Work laptop');
      const remembered = await call(stack, 'PUT', `/devices/${first}/status`, {
        token: user.accessToken,
        json: { status: 'remembered' },
        headers: { 'user-agent': USER_AGENT },
      });
      expect(remembered.status).toBe(200);
    });
    expect(events.map((e) => [e.detailType, e.detail.deviceKey, e.detail.deviceName])).toEqual([
      ['Device confirmed', first, 'Work laptop'],
      ['Device remembered', first, 'Work laptop'],
    ]);
    for (const event of events) {
      expect(validate(asReceived(event)), JSON.stringify(validate.errors)).toBe(true);
      expect(event).toMatchObject({ bus: 'default', source: 'cognito-device-bff' });
      expect(event.detail).toMatchObject({
        version: 1,
        sub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientId: stack.clients.mobile,
        sourceIp: '127.0.0.1',
        userAgent: USER_AGENT,
      });
      expect(Date.now() - Date.parse(String(event.detail.time))).toBeLessThan(60_000);
    }

    const stopped = await published(async () => {
      await call(stack, 'PUT', `/devices/${first}/status`, {
        token: user.accessToken,
        json: { status: 'not_remembered' },
      });
    });
    // Named from before the change: the token API no longer sees a device that is not remembered.
    expect(stopped.map((e) => [e.detailType, e.detail.deviceName])).toEqual([
      ['Device no longer remembered', 'Work laptop'],
    ]);
  });

  it('forget the others, then sign out everywhere: the forgotten devices listed, the kept one named by key', async () => {
    other = await confirm(second, 'Old phone');
    await call(stack, 'PUT', `/devices/${other}/status`, {
      token: second.accessToken,
      json: { status: 'remembered' },
    });
    await call(stack, 'PUT', `/devices/${first}/status`, {
      token: user.accessToken,
      json: { status: 'remembered' },
    });
    const events = await published(async () => {
      expect((await call(stack, 'POST', '/devices/forget-others', { token: user.accessToken })).status).toBe(
        200,
      );
      expect((await call(stack, 'POST', '/sign-out-everywhere', { token: user.accessToken })).status).toBe(
        200,
      );
    });
    expect(events.map((e) => e.detailType)).toEqual(['Other devices forgotten', 'Signed out everywhere']);
    expect(events[0]?.detail).toMatchObject({
      deviceKey: first,
      devices: [{ deviceKey: other, deviceName: 'Old phone' }],
    });
    expect(events[1]?.detail).toMatchObject({ deviceKey: first, deviceName: null });
    for (const event of events)
      expect(validate(asReceived(event)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a single forget, with its name looked up before it is gone', async () => {
    // A new sign-in (the last one signed out everywhere) forgets the remembered laptop.
    const again = await signIn(stack, 'events-user');
    const events = await published(async () => {
      expect((await call(stack, 'DELETE', `/devices/${first}`, { token: again.accessToken })).status).toBe(
        204,
      );
    });
    expect(events.map((e) => [e.detailType, e.detail.deviceKey, e.detail.deviceName])).toEqual([
      ['Device forgotten', first, 'Work laptop'],
    ]);
  });

  it('never carries a token, a verifier or a device secret', () => {
    const all = JSON.stringify(stack.events.events);
    for (const secret of issuedSecrets) expect(all).not.toContain(secret);
    expect(all).not.toMatch(/passwordVerifier|salt|devicePassword|eyJ/);
  });

  it('a bus that refuses delays the events, never the change, and loses none of them', async () => {
    const device = await signIn(stack, 'events-refused');
    const key = device.newDevice?.DeviceKey ?? '';
    await stack.eventsDelivered();
    const before = stack.events.events.length;
    stack.events.refuse = 'AccessDeniedException';
    try {
      expect(
        (await call(stack, 'POST', '/devices', { token: device.accessToken, json: { deviceKey: key } }))
          .status,
      ).toBe(201);
      const status = await call(stack, 'PUT', `/devices/${key}/status`, {
        token: device.accessToken,
        json: { status: 'remembered' },
      });
      expect(status.status).toBe(200);
      // The change stands: the device is listed, remembered.
      const list = await call(stack, 'GET', '/devices', { token: device.accessToken });
      expect((list.body as { devices: Array<{ deviceKey: string; status: string }> }).devices).toEqual([
        expect.objectContaining({ deviceKey: key, status: 'remembered' }),
      ]);
      // Kept for later: the retry queue holds them while the bus refuses.
      await expect(stack.eventsDelivered(3_000)).rejects.toThrow(/still holds/);
      expect(stack.events.events.length).toBe(before);
    } finally {
      stack.events.refuse = undefined;
    }
    await stack.eventsDelivered();
    expect(
      stack.events.events
        .slice(before)
        .map((e) => e.detailType)
        .sort(),
    ).toEqual(['Device confirmed', 'Device remembered']);
  });
});
