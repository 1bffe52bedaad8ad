// Routes: POST /devices, PUT /devices/{deviceKey}/status, GET /devices, DELETE /devices/{deviceKey},
// POST /passkeys/registrations. Flow: sign-in with an email code (USER_AUTH) and its device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoAuthError,
  CognitoSignIn,
  type ConfirmedDevice,
  DeviceBffClient,
} from '../../client/index.js';
import type { LocalStack } from '../../local/stack.js';
import { codeSentTo, createPasswordUser, passwordToken, startTestStack } from '../support/local-stack.js';

// A pool whose users may sign in with a code sent to their email (stage setting `passwordless: email_otp`): the device
// of such a sign-in is confirmed through the BFF, listed as this device, and proves itself at the next code sign-in.
let stack: LocalStack;
let cognito: CognitoSignIn;
const EMAIL = 'grace@example.com';

beforeAll(async () => {
  stack = await startTestStack('opt-in', { passwordless: ['email_otp'] });
  await createPasswordUser(stack, 'grace', EMAIL);
  cognito = new CognitoSignIn({
    userPoolId: stack.userPoolId,
    clientId: stack.clients.spa,
    endpoint: stack.cognito.url,
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('sign-in with an email code', () => {
  let device: ConfirmedDevice;

  it('gives a new device, confirmed and remembered through the BFF, listed as this device', async () => {
    const step = await cognito.signInWithEmailCode({ username: EMAIL });
    expect(step.destination).toBe('g***@e***');
    const signedIn = await step.answer(await codeSentTo(stack, EMAIL));
    if (signedIn.kind !== 'signedIn') throw new Error(`expected tokens, got ${signedIn.kind}`);
    // The user's username in the pool, not the email they typed.
    expect(signedIn.username).toBe('grace');
    expect(signedIn.newDevice?.deviceKey).toMatch(/^eu-west-1_/);
    const bff = new DeviceBffClient({
      baseUrl: stack.api.url,
      accessToken: () => signedIn.tokens.accessToken,
    });
    const newDevice = signedIn.newDevice ?? { deviceKey: '', deviceGroupKey: '' };
    const confirmed = await bff.confirmNewDevice(newDevice, { deviceName: 'Grace’s phone' });
    expect(confirmed.userConfirmationNecessary).toBe(true);
    device = confirmed.device;
    await bff.setDeviceStatus(device.deviceKey, 'remembered');
    const { devices } = await bff.listDevices();
    expect(devices).toEqual([
      expect.objectContaining({ deviceKey: device.deviceKey, current: true, status: 'remembered' }),
    ]);
  });

  it('names the same device at the next code sign-in: it proves its secret, and no new device is issued', async () => {
    const step = await cognito.signInWithEmailCode({ username: 'GRACE@example.com', device: () => device });
    const signedIn = await step.answer(await codeSentTo(stack, EMAIL));
    if (signedIn.kind !== 'signedIn') throw new Error(`expected tokens, got ${signedIn.kind}`);
    expect(signedIn.newDevice).toBeUndefined();
    expect(signedIn.deviceRefused).toBe(false);
    const bff = new DeviceBffClient({
      baseUrl: stack.api.url,
      accessToken: () => signedIn.tokens.accessToken,
    });
    const { devices } = await bff.listDevices();
    expect(devices.map((d) => [d.deviceKey, d.current])).toEqual([[device.deviceKey, true]]);
  });

  it('a forgotten device is dropped and the sign-in goes on, with a new device', async () => {
    const step = await cognito.signInWithEmailCode({ username: EMAIL, device });
    const first = await step.answer(await codeSentTo(stack, EMAIL));
    if (first.kind !== 'signedIn') throw new Error(`expected tokens, got ${first.kind}`);
    await new DeviceBffClient({
      baseUrl: stack.api.url,
      accessToken: () => first.tokens.accessToken,
    }).forgetDevice(device.deviceKey);
    const again = await cognito.signInWithEmailCode({ username: EMAIL, device });
    const signedIn = await again.answer(await codeSentTo(stack, EMAIL));
    if (signedIn.kind !== 'signedIn') throw new Error(`expected tokens, got ${signedIn.kind}`);
    expect(signedIn.deviceRefused).toBe(true);
    expect(signedIn.newDevice?.deviceKey).not.toBe(device.deviceKey);
  });

  it('a wrong code is refused and ends the sign-in; a user without a verified email is told to use the password', async () => {
    const step = await cognito.signInWithEmailCode({ username: EMAIL });
    const right = await codeSentTo(stack, EMAIL);
    const wrong = right === '12345678' ? '87654321' : '12345678';
    await expect(step.answer(wrong)).rejects.toMatchObject({ type: 'CodeMismatchException' });
    await expect(step.answer(right)).rejects.toMatchObject({ type: 'NotAuthorizedException' });

    await createPasswordUser(stack, 'no-email');
    const refused = await cognito.signInWithEmailCode({ username: 'no-email' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CognitoAuthError);
    expect(refused).toMatchObject({ type: 'EmailCodeUnavailable' });
  });
});

describe('passkeys on a pool that does not allow them', () => {
  it('answers 409 passkeys_not_enabled', async () => {
    const token = await passwordToken(stack, 'grace');
    const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => token });
    await expect(bff.startPasskeyRegistration()).rejects.toMatchObject({
      status: 409,
      code: 'passkeys_not_enabled',
    });
  });
});
