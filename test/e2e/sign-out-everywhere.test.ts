// Routes: POST /devices/forget-others, POST /sign-out-everywhere. Flow: other devices forgotten, every session
// ended, this remembered device signs in again without MFA.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CognitoAuthError,
  CognitoSignIn,
  type ConfirmedDevice,
  DeviceBffClient,
  type SignInStep,
  UnauthenticatedError,
} from '../../client/index.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createConfirmedUser, enrolTotp } from '../../local/users.js';
import { cognitoClient, PASSWORD, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let secret = '';

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  const cognito = cognitoClient(stack);
  await createConfirmedUser(cognito, { userPoolId: stack.userPoolId, username: 'owner', password: PASSWORD });
  const enrolment = await app().signIn({ username: 'owner', password: PASSWORD });
  if (enrolment.kind !== 'signedIn') throw new Error('expected tokens');
  secret = await enrolTotp(cognito, enrolment.tokens.accessToken);
});
afterAll(async () => {
  await stack?.close();
});

const app = () =>
  new CognitoSignIn({
    userPoolId: stack.userPoolId,
    clientId: stack.clients.spa,
    endpoint: stack.cognito.url,
  });

/** An app's sign-in as the demo does it: TOTP when asked, a new device confirmed through the BFF at once. */
async function session(device?: ConfirmedDevice) {
  const asked: string[] = [];
  let step: SignInStep = await app().signIn({ username: 'owner', password: PASSWORD, device });
  while (step.kind === 'totpRequired') {
    asked.push('totp');
    step = await step.answer(totpCode(secret, Date.now()));
  }
  const tokens = step.tokens;
  const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => tokens.accessToken });
  const confirmed = step.newDevice ? await bff.confirmNewDevice(step.newDevice) : undefined;
  return { asked, tokens, bff, device: confirmed?.device ?? device };
}

it('sign out everywhere: other devices forgotten, every session ended, and this remembered device signs in again without a code', async () => {
  // The owner's device, remembered.
  const mine = await session();
  expect(mine.asked).toEqual(['totp']);
  const myDevice = mine.device;
  if (!myDevice) throw new Error('expected a confirmed device');
  await mine.bff.setDeviceStatus(myDevice.deviceKey, 'remembered');
  // Someone else with the password and a code: one device remembered, one only confirmed.
  const remembered = await session();
  if (!remembered.device) throw new Error('expected a confirmed device');
  await remembered.bff.setDeviceStatus(remembered.device.deviceKey, 'remembered');
  const notRemembered = await session();

  // The user's action, as the demo runs it: forget the other devices (while this session still works), then
  // sign out everywhere.
  let forgotten = 0;
  for (;;) {
    const step = await mine.bff.forgetOtherDevices();
    forgotten += step.forgotten;
    if (step.complete) break;
  }
  expect(forgotten).toBe(1);
  expect(await mine.bff.signOutEverywhere()).toEqual({ signedOut: 'everywhere', next: 'sign_in' });

  // Every session is over: refresh refused, access tokens 401 from the BFF, this one's included.
  for (const other of [remembered, notRemembered, mine]) {
    const refresh = await app()
      .refresh({ refreshToken: other.tokens.refreshToken, deviceKey: other.device?.deviceKey })
      .catch((error: unknown) => error);
    expect(refresh).toBeInstanceOf(CognitoAuthError);
    expect(refresh).toMatchObject({ type: 'NotAuthorizedException' });
    await expect(other.bff.listDevices()).rejects.toBeInstanceOf(UnauthenticatedError);
  }

  // This device is still remembered: the next sign-in here asks no code. The forgotten one is asked again.
  const back = await session(myDevice);
  expect(back.asked).toEqual([]);
  expect((await back.bff.listDevices()).devices.map((d) => [d.deviceKey, d.current])).toEqual([
    [myDevice.deviceKey, true],
  ]);
  const intruder = await session(remembered.device);
  expect(intruder.asked).toEqual(['totp']);
});
