// Routes: POST /devices, and the post-authentication trigger. Flow: a sign-in on a new device is an event; the same device again
// is not; a bus that refuses delays the event, never the sign-in.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CognitoSignIn, DeviceBffClient, type SignInStep } from '../../client/index.js';
import type { LocalStack } from '../../local/stack.js';
import { createConfirmedUser } from '../../local/users.js';
import { cognitoClient, PASSWORD, startTestStack } from '../support/local-stack.js';

/**
 * "A new device signed in to your account": the stand-in runs the pool's post-authentication trigger on every
 * sign-in, as Cognito does, and the trigger publishes `New device sign-in` when Cognito says the device is new.
 */
let stack: LocalStack;
let signIn: CognitoSignIn;
/** The events published so far (a sign-in's are delivered a few hundred milliseconds after its answer). */
const newDeviceSignIns = async () => {
  await stack.eventsDelivered();
  return stack.events.events.filter((e) => e.detailType === 'New device sign-in');
};

beforeAll(async () => {
  stack = await startTestStack('always');
  await createConfirmedUser(cognitoClient(stack), {
    userPoolId: stack.userPoolId,
    username: 'alerted',
    password: PASSWORD,
  });
  signIn = new CognitoSignIn({
    userPoolId: stack.userPoolId,
    clientId: stack.clients.spa,
    endpoint: stack.cognito.url,
  });
});
afterAll(async () => {
  await stack?.close();
});

const signedIn = (step: SignInStep) => {
  if (step.kind !== 'signedIn') throw new Error('no MFA in this test');
  return step;
};

it('a sign-in on a new device is an event; the same device signing in again is not', async () => {
  const first = signedIn(await signIn.signIn({ username: 'alerted', password: PASSWORD }));
  const sub = JSON.parse(
    Buffer.from(first.tokens.accessToken.split('.')[1] ?? '', 'base64url').toString(),
  ).sub;
  expect((await newDeviceSignIns()).map((e) => e.detail)).toEqual([
    expect.objectContaining({
      sub,
      clientId: stack.clients.spa,
      deviceKey: null,
      sourceIp: null,
      userAgent: null,
    }),
  ]);
  if (!first.newDevice) throw new Error('expected a new device');
  const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => first.tokens.accessToken });
  const { device } = await bff.confirmNewDevice(first.newDevice);

  signedIn(await signIn.signIn({ username: 'alerted', password: PASSWORD, device }));
  expect(await newDeviceSignIns()).toHaveLength(1);
  // Another browser: another device, another event.
  signedIn(await signIn.signIn({ username: 'alerted', password: PASSWORD }));
  expect(await newDeviceSignIns()).toHaveLength(2);
});

it('a bus that refuses delays the event, never the sign-in', async () => {
  stack.events.refuse = 'AccessDeniedException';
  try {
    const step = signedIn(await signIn.signIn({ username: 'alerted', password: PASSWORD }));
    expect(step.tokens.accessToken).toBeTruthy();
    await expect(stack.eventsDelivered(2_000)).rejects.toThrow(/still holds/);
    expect(stack.events.events.filter((e) => e.detailType === 'New device sign-in')).toHaveLength(2);
  } finally {
    stack.events.refuse = undefined;
  }
  expect(await newDeviceSignIns()).toHaveLength(3);
});
