import {
  AdminGetDeviceCommand,
  type CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { call, cognitoClient, type SignedIn, startTestStack } from '../support/local-stack.js';

/**
 * The conformance tests' set-up: a local stack whose pool remembers devices on the user's opt-in (as the pools of
 * the public records they replay) and an unmodified AWS SDK client of its Cognito stand-in, for the whole file.
 */
export function optInStack(): {
  readonly stack: LocalStack;
  readonly cognito: CognitoIdentityProviderClient;
} {
  const current: { stack?: LocalStack; cognito?: CognitoIdentityProviderClient } = {};
  beforeAll(async () => {
    current.stack = await startTestStack('opt-in');
    current.cognito = cognitoClient(current.stack);
  });
  afterAll(async () => {
    await current.stack?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the conformance stack is not started yet (use it inside a test)');
    return value;
  };
  return {
    get stack() {
      return ready(current.stack);
    },
    get cognito() {
      return ready(current.cognito);
    },
  };
}

/** A verifier and salt as the Android SDK sends them with ConfirmDevice (their values do not matter here). */
export const VERIFIER = { PasswordVerifier: 'dmVyaWZpZXI=', Salt: 'c2FsdA==' };

/** What a rejected promise threw, as `{ name, message }`, or `'resolved'`. */
export async function outcome(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string } | 'resolved'> {
  return promise.then(
    () => 'resolved' as const,
    (error: Error) => ({ name: error.name, message: error.message }),
  );
}

/** `checkDeviceAttribute` of AWSMobileClientTest: the admin API's view of one attribute. */
export async function adminAttribute(
  cognito: CognitoIdentityProviderClient,
  stack: LocalStack,
  user: SignedIn,
  name: string,
): Promise<string | undefined> {
  const { Device } = await cognito.send(
    new AdminGetDeviceCommand({
      UserPoolId: stack.userPoolId,
      Username: user.username,
      DeviceKey: user.newDevice?.DeviceKey ?? '',
    }),
  );
  return Device?.DeviceAttributes?.find((a) => a.Name === name)?.Value;
}

/** The Android SDK confirms every new device itself right after sign-in, with a verifier. */
export async function confirmLikeAndroid(
  cognito: CognitoIdentityProviderClient,
  user: SignedIn,
): Promise<void> {
  await cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: user.accessToken,
      DeviceKey: user.newDevice?.DeviceKey,
      DeviceName: 'Android SDK',
      DeviceSecretVerifierConfig: VERIFIER,
    }),
  );
}

/** The device keys `GET /devices` lists for this user, through the BFF over HTTP. */
export async function bffListed(stack: LocalStack, user: SignedIn): Promise<string[]> {
  const res = await call(stack, 'GET', '/devices', { token: user.accessToken });
  if (res.status !== 200) throw new Error(`GET /devices answered ${res.status}`);
  return (res.body as { devices: Array<{ deviceKey: string }> }).devices.map((d) => d.deviceKey);
}
