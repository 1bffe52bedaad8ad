// Routes: POST /devices, PUT /devices/{deviceKey}/status, GET /devices. Flow: a pool whose remembered devices still
// answer MFA at every sign-in (run by the devices-*-mfa-every-sign-in.test.ts files).
import { afterAll, describe, expect, it } from 'vitest';
import { CognitoSignIn, type ConfirmedDevice, DeviceBffClient, type SignInStep } from '../../client/index.js';
import type { DeviceTrackingModeName } from '../../infra/device-tracking.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createConfirmedUser, enrolTotp, passwordSignIn } from '../../local/users.js';
import { cognitoClient, PASSWORD, startTestStack } from '../support/local-stack.js';

/**
 * The two device-tracking modes in which a remembered device does not replace MFA (ChallengeRequiredOnNewDevice
 * false): devices are confirmed, remembered and listed as in `always` and `opt-in`, but every sign-in asks for the
 * code, the remembered device's included, which then still proves its secret (local/cognito/README.md).
 */

async function answered(step: Promise<SignInStep>, secret: string) {
  let current = await step;
  let askedForMfa = false;
  while (current.kind === 'totpRequired') {
    askedForMfa = true;
    current = await current.answer(totpCode(secret, Date.now()));
  }
  return { ...current, askedForMfa };
}

/** One mode per test file: the local stack's functions hold one configuration per process. */
export function mfaEverySignIn(mode: DeviceTrackingModeName, userChooses: boolean): void {
  let stack: LocalStack | undefined;
  afterAll(async () => {
    await stack?.close();
  });
  describe(mode, () => {
    it('the device is confirmed and listed as remembered, and every sign-in on it still asks for the code', async () => {
      stack = await startTestStack(mode);
      const cognito = cognitoClient(stack);
      const { api } = stack;
      await createConfirmedUser(cognito, {
        userPoolId: stack.userPoolId,
        username: 'careful',
        password: PASSWORD,
      });
      const enrolment = await passwordSignIn(cognito, {
        clientId: stack.clients.spa,
        username: 'careful',
        password: PASSWORD,
      });
      const secret = await enrolTotp(cognito, enrolment.AccessToken);
      const signIn = new CognitoSignIn({
        userPoolId: stack.userPoolId,
        clientId: stack.clients.spa,
        endpoint: stack.cognito.url,
      });

      const first = await answered(signIn.signIn({ username: 'careful', password: PASSWORD }), secret);
      expect(first.askedForMfa).toBe(true);
      if (!first.newDevice) throw new Error('expected a new device');
      const bff = new DeviceBffClient({ baseUrl: api.url, accessToken: () => first.tokens.accessToken });
      const { device, userConfirmationNecessary } = await bff.confirmNewDevice(first.newDevice);
      // As in `always` and `opt-in`: remembered at once, or when the user says so.
      expect(userConfirmationNecessary).toBe(userChooses);
      if (userConfirmationNecessary) await bff.setDeviceStatus(device.deviceKey, 'remembered');
      expect((await bff.listDevices()).devices).toEqual([
        expect.objectContaining({ deviceKey: device.deviceKey, status: 'remembered', current: true }),
      ]);

      // The remembered device signs in again: the code is asked all the same, and the sign-in stays on that device.
      const kept: ConfirmedDevice = device;
      const again = await answered(
        signIn.signIn({ username: 'careful', password: PASSWORD, device: kept }),
        secret,
      );
      expect(again.askedForMfa).toBe(true);
      expect(again.newDevice).toBeUndefined();
      expect(again.deviceRefused).toBe(false);
      const after = new DeviceBffClient({
        baseUrl: api.url,
        accessToken: () => again.tokens.accessToken,
      });
      expect((await after.listDevices()).devices.map((d) => [d.deviceKey, d.current])).toEqual([
        [device.deviceKey, true],
      ]);
    });
  });
}
