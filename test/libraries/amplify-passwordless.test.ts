/**
 * The unmodified aws-amplify 6 signing in without a password (`authFlowType: 'USER_AUTH'`, an email code) against the
 * local stack's stand-in: Amplify confirms the new device itself, and the BFF lists it as this device.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { codeSentTo, createPasswordUser, onApiCall, startTestStack } from '../support/local-stack.js';

Object.defineProperty(globalThis, 'navigator', {
  configurable: true,
  value: {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  },
});
const { Amplify } = await import('aws-amplify');
const auth = await import('aws-amplify/auth');
const snippets = await import('../../docs/snippets/amplify.js');

const EMAIL = 'linus@example.com';
let stack: LocalStack;
const operations: string[] = [];

beforeAll(async () => {
  stack = await startTestStack('opt-in', { passwordless: ['email_otp'] });
  onApiCall(stack, (operation) => operations.push(operation));
  await createPasswordUser(stack, 'linus', EMAIL);
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: stack.userPoolId,
        userPoolClientId: stack.clients.spa,
        userPoolEndpoint: stack.cognito.url,
      },
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('aws-amplify 6, USER_AUTH with an email code', () => {
  it('chooses the email code among the first factors offered, and Amplify confirms the new device', async () => {
    const started = await auth.signIn({ username: EMAIL, options: { authFlowType: 'USER_AUTH' } });
    expect(started.nextStep).toMatchObject({
      signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
      availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
    });
    const chosen = await auth.confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    expect(chosen.nextStep).toMatchObject({
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'l***@e***' },
    });
    const done = await auth.confirmSignIn({ challengeResponse: await codeSentTo(stack, EMAIL) });
    expect(done.isSignedIn).toBe(true);
    expect(operations).toContain('ConfirmDevice');
    const deviceKey = await snippets.thisDeviceKey();
    expect(deviceKey).toMatch(/^eu-west-1_/);

    const bff = snippets.deviceBff(stack.api.url);
    await snippets.rememberThisDevice(bff);
    const { devices } = await bff.listDevices();
    expect(devices).toEqual([
      expect.objectContaining({
        deviceKey,
        current: true,
        status: 'remembered',
        displayName: 'Safari on macOS',
      }),
    ]);
    await auth.signOut();
  });

  it('goes straight to the code with preferredChallenge EMAIL_OTP', async () => {
    const started = await auth.signIn({
      username: EMAIL,
      options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' },
    });
    expect(started.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const done = await auth.confirmSignIn({ challengeResponse: await codeSentTo(stack, EMAIL) });
    expect(done.isSignedIn).toBe(true);
    expect(await snippets.thisDeviceKey()).toMatch(/^eu-west-1_/);
    await auth.signOut();
  });
});
