import { describe, expect, it } from 'vitest';
import { httpEvent } from '../../../support/events.js';
import { sampleDevice } from '../../../support/fake-directory.js';
import { KEY, routeEvents, routeHarness, STANDARD, seen, USERNAME } from '../../../support/route-harness.js';
import { accessClaims, signRs256 } from '../../../support/tokens.js';

const h = routeHarness();
const { keyEvent } = routeEvents(h);

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
