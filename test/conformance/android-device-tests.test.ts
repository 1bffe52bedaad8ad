/**
 * aws-amplify/aws-sdk-android, aws-android-sdk-mobile-client/src/androidTest/java/com/amazonaws/mobile/client/
 * AWSMobileClientTest.java (commit 0331532a), `testRememberDevice` and `testForgetDevice`: integration tests
 * that AWS ran against a real user pool whose device tracking is "user opt-in" (a new device is listed only
 * once remembered). Each is replayed step for step, first with the unmodified AWS SDK against the stand-in,
 * then through the BFF over HTTP. `AWSMobileClient.getDeviceOperations()` acts on the signed-in device:
 * `list()` = ListDevices, `updateStatus(b)` = UpdateDeviceStatus, `get()` = GetDevice, `forget()` =
 * ForgetDevice; the SDK confirms each new device itself after sign-in.
 */
import {
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { call, type SignedIn, signIn } from '../support/local-stack.js';
import { adminAttribute, bffListed, confirmLikeAndroid, optInStack, outcome } from './support.js';

const conformance = optInStack();

const NOT_FOUND = { name: 'ResourceNotFoundException', message: 'Device does not exist.' };

describe('through the AWS SDK', () => {
  const ops = (user: SignedIn) => {
    const DeviceKey = user.newDevice?.DeviceKey ?? '';
    const AccessToken = user.accessToken;
    return {
      list: async () =>
        (await conformance.cognito.send(new ListDevicesCommand({ AccessToken }))).Devices ?? [],
      updateStatus: (remembered: boolean) =>
        conformance.cognito.send(
          new UpdateDeviceStatusCommand({
            AccessToken,
            DeviceKey,
            DeviceRememberedStatus: remembered ? 'remembered' : 'not_remembered',
          }),
        ),
      get: async () =>
        (await conformance.cognito.send(new GetDeviceCommand({ AccessToken, DeviceKey }))).Device,
      forget: () => conformance.cognito.send(new ForgetDeviceCommand({ AccessToken, DeviceKey })),
    };
  };

  it('testRememberDevice', async () => {
    const user = await signIn(conformance.stack, 'android-remember');
    await confirmLikeAndroid(conformance.cognito, user);
    const device = ops(user);
    for (let i = 0; i < 2; ++i) {
      expect(await device.list()).toHaveLength(0);
      await device.updateStatus(true);
      const deviceKey = (await device.get())?.DeviceKey;
      expect(deviceKey).toBe(user.newDevice?.DeviceKey);
      expect(await device.list()).toHaveLength(1);
      expect(
        await adminAttribute(conformance.cognito, conformance.stack, user, 'dev:device_remembered_status'),
      ).toBe('remembered');

      await device.updateStatus(false);
      // "Expected the device not the be found because it is not remembered"
      expect(await outcome(device.get())).toEqual(NOT_FOUND);
      expect(
        await adminAttribute(conformance.cognito, conformance.stack, user, 'dev:device_remembered_status'),
      ).toBe('not_remembered');
    }
  });

  it('testForgetDevice', async () => {
    const user = await signIn(conformance.stack, 'android-forget');
    await confirmLikeAndroid(conformance.cognito, user);
    const device = ops(user);
    expect(await device.list()).toHaveLength(0);
    await device.updateStatus(true);
    expect((await device.get())?.DeviceKey).toBe(user.newDevice?.DeviceKey);
    expect(await device.list()).toHaveLength(1);

    await device.forget();

    expect(await device.list()).toHaveLength(0);
    // "Expected ResourceNotFoundException: Device does not exist."
    expect(await outcome(device.updateStatus(true))).toEqual(NOT_FOUND);

    // signOut; signIn again: the SDK dropped the forgotten device, so this sign-in gets a new one.
    const again = await signIn(conformance.stack, 'android-forget');
    expect(again.newDevice?.DeviceKey).not.toBe(user.newDevice?.DeviceKey);
    await confirmLikeAndroid(conformance.cognito, again);
    await ops(again).updateStatus(true);
    expect(await ops(again).list()).toHaveLength(1);
  });
});

describe('through the BFF over HTTP', () => {
  const ops = (user: SignedIn) => {
    const key = user.newDevice?.DeviceKey ?? '';
    const token = user.accessToken;
    return {
      list: () => bffListed(conformance.stack, user),
      updateStatus: (remembered: boolean) =>
        call(conformance.stack, 'PUT', `/devices/${key}/status`, {
          token,
          json: { status: remembered ? 'remembered' : 'not_remembered' },
        }),
      get: () => call(conformance.stack, 'GET', `/devices/${key}`, { token }),
      forget: () => call(conformance.stack, 'DELETE', `/devices/${key}`, { token }),
    };
  };
  const confirm = async (user: SignedIn) => {
    const res = await call(conformance.stack, 'POST', '/devices', {
      token: user.accessToken,
      json: { deviceKey: user.newDevice?.DeviceKey },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ userConfirmationNecessary: true });
  };

  it('testRememberDevice', async () => {
    const user = await signIn(conformance.stack, 'bff-remember');
    await confirm(user);
    const device = ops(user);
    for (let i = 0; i < 2; ++i) {
      expect(await device.list()).toHaveLength(0);
      expect((await device.updateStatus(true)).status).toBe(200);
      const got = await device.get();
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ deviceKey: user.newDevice?.DeviceKey, status: 'remembered' });
      expect(await device.list()).toEqual([user.newDevice?.DeviceKey]);
      expect(
        await adminAttribute(conformance.cognito, conformance.stack, user, 'dev:device_remembered_status'),
      ).toBe('remembered');

      expect((await device.updateStatus(false)).status).toBe(200);
      const hidden = await device.get();
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject({ code: 'device_not_found' });
      expect(
        await adminAttribute(conformance.cognito, conformance.stack, user, 'dev:device_remembered_status'),
      ).toBe('not_remembered');
    }
  });

  it('testForgetDevice', async () => {
    const user = await signIn(conformance.stack, 'bff-forget');
    await confirm(user);
    const device = ops(user);
    expect(await device.list()).toHaveLength(0);
    expect((await device.updateStatus(true)).status).toBe(200);
    expect((await device.get()).status).toBe(200);
    expect(await device.list()).toHaveLength(1);

    expect((await device.forget()).status).toBe(204);

    expect(await device.list()).toHaveLength(0);
    const status = await device.updateStatus(true);
    expect(status.status).toBe(404);
    expect(status.body).toMatchObject({ code: 'device_not_found' });

    const again = await signIn(conformance.stack, 'bff-forget');
    await confirm(again);
    expect((await ops(again).updateStatus(true)).status).toBe(200);
    expect(await ops(again).list()).toHaveLength(1);
  });
});
