import { describe, expect, it } from 'vitest';
import { httpEvent } from '../../../support/events.js';
import { JSON_HEADERS, KEY, routeHarness, STANDARD, USERNAME } from '../../../support/route-harness.js';

const h = routeHarness();

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
