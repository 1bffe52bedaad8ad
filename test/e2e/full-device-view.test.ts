// Routes: GET /devices, GET /devices/{deviceKey}, DELETE /devices/{deviceKey}, POST /devices/forget-others, with
// `fullDeviceView`. Flow: devices never remembered listed, got and forgotten; cursors bound to their user.
import { AdminGetDeviceCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import {
  call,
  cognitoClient,
  onApiCall,
  type SignedIn,
  signIn,
  startTestStack,
} from '../support/local-stack.js';
import { expectConforms } from '../support/openapi.js';

/**
 * The stage setting `fullDeviceView` over real HTTP against the stand-in, in an opt-in pool: real Cognito's
 * token API hides every device the user did not choose to remember; with the setting, the user sees (and can
 * forget) every device that signed in to their account, and still nobody else's.
 */
let stack: LocalStack;
const operations: string[] = [];

beforeAll(async () => {
  stack = await startTestStack('opt-in', { fullDeviceView: true });
  onApiCall(stack, (op) => operations.push(op));
});
afterAll(async () => {
  await stack?.close();
});

/** Signs in on a new device and confirms it, as an app does; in this opt-in pool it stays not remembered. */
async function onNewDevice(username: string): Promise<SignedIn & { key: string }> {
  const user = await signIn(stack, username);
  const key = user.newDevice?.DeviceKey ?? '';
  const confirmed = await call(stack, 'POST', '/devices', {
    token: user.accessToken,
    json: { deviceKey: key },
  });
  expect(confirmed.body).toEqual({ deviceKey: key, userConfirmationNecessary: true });
  return { ...user, key };
}

const keysOf = (body: unknown) =>
  (body as { devices: Array<{ deviceKey: string }> }).devices.map((d) => d.deviceKey);

/** `run`'s result, and the operations that reached the stand-in while it ran. */
async function opsDuring<T>(run: () => Promise<T>): Promise<{ result: T; ops: string[] }> {
  const before = operations.length;
  const result = await run();
  return { result, ops: operations.slice(before) };
}

describe('full device view (fullDeviceView on)', () => {
  // The stand-in answers an unsigned admin call 403 MissingAuthenticationTokenException, as Cognito does, so
  // every admin call that succeeds below was signed with the function's (environment) credentials.
  it('lists and gets devices that were never remembered, with their status', async () => {
    const laptop = await onNewDevice('gina');
    const phone = await onNewDevice('gina');
    const { result: list, ops } = await opsDuring(() =>
      call(stack, 'GET', '/devices', { token: phone.accessToken }),
    );
    expect(list.status).toBe(200);
    expectConforms(list, 'GET', '/devices');
    expect(keysOf(list.body)).toEqual([laptop.key, phone.key]);
    const devices = (list.body as { devices: Array<Record<string, unknown>> }).devices;
    expect(devices.map((d) => [d.status, d.current])).toEqual([
      ['not_remembered', false],
      ['not_remembered', true],
    ]);
    // The admin call for the page, and a token call that has Cognito check the token itself.
    expect(ops.sort()).toEqual(['AdminListDevices', 'ListDevices']);

    const one = await call(stack, 'GET', `/devices/${laptop.key}`, { token: phone.accessToken });
    expect(one.status).toBe(200);
    expectConforms(one, 'GET', '/devices/{deviceKey}');
    expect(one.body).toMatchObject({ deviceKey: laptop.key, status: 'not_remembered', current: false });
    expect(JSON.stringify(one.body)).not.toMatch(/device_arn|device_owner|gina/);
  });

  it('a remembered device is still found by the token API alone, with no admin call', async () => {
    const user = await onNewDevice('hugo');
    const remembered = await call(stack, 'PUT', `/devices/${user.key}/status`, {
      token: user.accessToken,
      json: { status: 'remembered' },
    });
    expect(remembered.status).toBe(200);
    const { result, ops } = await opsDuring(() =>
      call(stack, 'GET', `/devices/${user.key}`, { token: user.accessToken }),
    );
    expect(result.body).toMatchObject({ deviceKey: user.key, status: 'remembered', current: true });
    expect(ops).toEqual(['GetDevice']);
  });

  it('forgets a device that was never remembered, and it is gone for Cognito too', async () => {
    const stolen = await onNewDevice('iris');
    const mine = await onNewDevice('iris');
    const forgotten = await call(stack, 'DELETE', `/devices/${stolen.key}`, { token: mine.accessToken });
    expect(forgotten.status).toBe(204);
    expectConforms(forgotten, 'DELETE', '/devices/{deviceKey}');
    const list = await call(stack, 'GET', '/devices', { token: mine.accessToken });
    expect(keysOf(list.body)).toEqual([mine.key]);
    expect((await call(stack, 'GET', `/devices/${stolen.key}`, { token: mine.accessToken })).status).toBe(
      404,
    );
    await expect(
      cognitoClient(stack).send(
        new AdminGetDeviceCommand({ UserPoolId: stack.userPoolId, Username: 'iris', DeviceKey: stolen.key }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // Forgetting it again is the 404 of a device that does not exist.
    const again = await call(stack, 'DELETE', `/devices/${stolen.key}`, { token: mine.accessToken });
    expect(again.status).toBe(404);
  });

  it("never reaches another user's device: their key is 404 for get and forget, and it stays", async () => {
    const owner = await onNewDevice('jack');
    const other = await onNewDevice('kate');
    for (const method of ['GET', 'DELETE']) {
      const res = await call(stack, method, `/devices/${owner.key}`, { token: other.accessToken });
      expect({ method, status: res.status }).toEqual({ method, status: 404 });
    }
    expect(keysOf((await call(stack, 'GET', '/devices', { token: owner.accessToken })).body)).toEqual([
      owner.key,
    ]);
    expect(keysOf((await call(stack, 'GET', '/devices', { token: other.accessToken })).body)).toEqual([
      other.key,
    ]);
  });

  it('forgetting the other devices reaches the not-remembered ones too', async () => {
    await onNewDevice('lena');
    await onNewDevice('lena');
    const current = await onNewDevice('lena');
    const res = await call(stack, 'POST', '/devices/forget-others', { token: current.accessToken });
    expect(res.status).toBe(200);
    // Kept: the device this sign-in's token names, though it is not remembered either.
    expect(res.body).toEqual({ forgotten: 2, remaining: 0, complete: true, keptDeviceKey: current.key });
    expect(keysOf((await call(stack, 'GET', '/devices', { token: current.accessToken })).body)).toEqual([
      current.key,
    ]);
  });

  it('a cursor is good for the user it was issued to only; a forged one never reaches AdminListDevices', async () => {
    const owner = await onNewDevice('olga');
    await onNewDevice('olga');
    const page = await call(stack, 'GET', '/devices?limit=1', { token: owner.accessToken });
    const { nextCursor } = page.body as { nextCursor: string };
    expect(nextCursor).toBeTruthy();
    const other = await onNewDevice('oscar');
    // A stand-in pagination token names a position; forged, it would reach the IAM-signed admin call as is.
    const position = Buffer.from(JSON.stringify({ createdAt: 0, key: 'x' })).toString('base64url');
    const forged = `${Buffer.from(JSON.stringify([1, other.username, 'all', position])).toString('base64url')}.${'A'.repeat(43)}`;
    const { ops } = await opsDuring(async () => {
      for (const cursor of [nextCursor, forged, position]) {
        const res = await call(stack, 'GET', `/devices?cursor=${encodeURIComponent(cursor)}`, {
          token: other.accessToken,
        });
        expect(res.status).toBe(400);
        expect(res.body, JSON.stringify(res.body)).toMatchObject({ code: 'invalid_cursor' });
      }
    });
    expect(ops).toEqual([]);
    // Its owner pages on with it.
    expect(
      (await call(stack, 'GET', `/devices?limit=1&cursor=${nextCursor}`, { token: owner.accessToken }))
        .status,
    ).toBe(200);
  });

  it('a revoked token is refused by Cognito before any device is read or forgotten', async () => {
    const user = await onNewDevice('mia');
    const spare = await onNewDevice('mia');
    await cognitoClient(stack).send(new GlobalSignOutCommand({ AccessToken: user.accessToken }));
    // aws-jwt-verify still accepts the token (signature and expiry are fine); only Cognito knows it was revoked.
    const { ops } = await opsDuring(async () => {
      for (const [method, path] of [
        ['GET', '/devices'],
        ['GET', `/devices/${spare.key}`],
        ['DELETE', `/devices/${spare.key}`],
        ['POST', '/devices/forget-others'],
      ] as const) {
        const res = await call(stack, method, path, { token: user.accessToken });
        expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
      }
    });
    expect(ops).not.toContain('AdminForgetDevice');
    expect(ops).not.toContain('AdminGetDevice');
    // The first request paid for the refusal (the token check, and the admin read beside it); from then on the
    // function refuses that token itself until it expires, and Cognito sees nothing, admin side included.
    expect([...ops].sort()).toEqual(['AdminListDevices', 'ListDevices']);
    const again = await opsDuring(async () => {
      for (let i = 0; i < 10; i++)
        expect((await call(stack, 'GET', '/devices', { token: user.accessToken })).status).toBe(401);
    });
    expect(again.ops).toEqual([]);
    const device = await cognitoClient(stack).send(
      new AdminGetDeviceCommand({ UserPoolId: stack.userPoolId, Username: 'mia', DeviceKey: spare.key }),
    );
    expect(device.Device?.DeviceKey).toBe(spare.key);
  });
});
