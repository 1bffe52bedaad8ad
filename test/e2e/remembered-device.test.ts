// Routes: POST /devices, PUT /devices/{deviceKey}/status, DELETE /devices/{deviceKey}. Flow: a remembered device
// skips MFA with amazon-cognito-identity-js; forgotten, it is challenged again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeviceSecretVerifier, DeviceBffClient } from '../../client/index.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { enrolTotp } from '../../local/users.js';
import { cognitoClient, PASSWORD, signIn, startTestStack } from '../support/local-stack.js';
import { srpSignIn } from '../support/srp-client.js';

let stack: LocalStack;
let secret: string;

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  // A user with TOTP MFA enabled (the pool's MFA is optional).
  const first = await signIn(stack, 'remembering');
  const cognito = cognitoClient(stack);
  secret = await enrolTotp(cognito, first.accessToken);
});
afterAll(async () => {
  await stack?.close();
});

it('a device confirmed and remembered through the BFF skips MFA; once forgotten, it is challenged again', async () => {
  const base = {
    cognito: cognitoClient(stack),
    clientId: stack.clients.spa,
    poolName: stack.userPoolId.split('_')[1] ?? '',
    username: 'remembering',
    password: PASSWORD,
    totp: () => totpCode(secret, Date.now()),
  };

  // 1. SRP sign-in with TOTP → NewDeviceMetadata.
  const first = await srpSignIn(base);
  expect(first.challenges).toEqual(['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA']);
  const metadata = first.result.NewDeviceMetadata;
  if (!metadata?.DeviceKey || !metadata.DeviceGroupKey) throw new Error('expected NewDeviceMetadata');

  // 2. The app makes the device secret with our client and confirms it through the BFF, then remembers it.
  const bff = new DeviceBffClient({
    baseUrl: stack.api.url,
    accessToken: () => first.result.AccessToken ?? '',
  });
  const { devicePassword, ...verifier } = createDeviceSecretVerifier(
    metadata.DeviceKey,
    metadata.DeviceGroupKey,
  );
  expect(
    await bff.confirmDevice({ deviceKey: metadata.DeviceKey, deviceSecretVerifierConfig: verifier }),
  ).toEqual({
    deviceKey: metadata.DeviceKey,
    userConfirmationNecessary: true,
  });
  await bff.setDeviceStatus(metadata.DeviceKey, 'remembered');
  const device = { key: metadata.DeviceKey, groupKey: metadata.DeviceGroupKey, password: devicePassword };

  // 3. The next sign-in from that device proves it and skips MFA; its tokens name the device.
  const remembered = await srpSignIn({ ...base, device });
  expect(remembered.challenges).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  const claims = JSON.parse(
    Buffer.from((remembered.result.AccessToken ?? '').split('.')[1] ?? '', 'base64url').toString(),
  );
  expect(claims.device_key).toBe(metadata.DeviceKey);

  // 4. Forgotten through the BFF, the device is refused at PASSWORD_VERIFIER; the sign-in goes on without it
  // (as the libraries do), is challenged for MFA again and gets a new device.
  await bff.forgetDevice(metadata.DeviceKey);
  const forgotten = await srpSignIn({ ...base, device });
  expect(forgotten.deviceRefused).toBe(true);
  expect(forgotten.challenges).toEqual(['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA']);
  expect(forgotten.result.NewDeviceMetadata?.DeviceKey).toMatch(/^eu-west-1_/);
  expect(forgotten.result.NewDeviceMetadata?.DeviceKey).not.toBe(metadata.DeviceKey);
});
