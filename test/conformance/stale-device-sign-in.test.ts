/**
 * A sign-in from an app that kept the key of a device Cognito no longer knows (forgotten from another device,
 * or by an admin). amazon-cognito-identity-js 6.3.21 (`CognitoUser.authenticateUser`, USER_SRP_AUTH) sends the
 * cached DEVICE_KEY with its PASSWORD_VERIFIER answer; on ResourceNotFoundException whose message mentions
 * "device" it clears the cached device and sends the same request again, same Session, with
 * `"DEVICE_KEY": null` (amplify-js v6 `retryOnResourceNotFoundException` does the same without the member).
 * The libraries depend on real Cognito accepting that second answer; this runs the unmodified library.
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createConfirmedUser, enrolTotp } from '../../local/users.js';
import { call, cognitoClient, onApiCall, PASSWORD, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let cognito: CognitoIdentityProviderClient;
let pool: CognitoUserPool;

beforeAll(async () => {
  // "Always" remember: the device the library confirms is remembered, so the BFF can list and forget it.
  stack = await startTestStack('always');
  cognito = cognitoClient(stack);
  pool = new CognitoUserPool({
    UserPoolId: stack.userPoolId,
    ClientId: stack.clients.spa,
    endpoint: stack.cognito.url,
  });
});
afterAll(async () => {
  await stack?.close();
});

interface LibrarySignIn {
  session: CognitoUserSession;
  askedForMfa: boolean;
}

/** The library's own sign-in, as an app runs it; the library keeps the device key in its storage between runs. */
function librarySignIn(username: string, totpSecret?: string): Promise<LibrarySignIn> {
  const user = new CognitoUser({ Username: username, Pool: pool });
  let askedForMfa = false;
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession) => resolve({ session, askedForMfa }),
      onFailure: reject,
      totpRequired: () => {
        askedForMfa = true;
        if (!totpSecret) return reject(new Error('TOTP asked for a user without TOTP'));
        user.sendMFACode(totpCode(totpSecret, Date.now()), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), callbacks);
  });
}

const deviceOf = (signedIn: LibrarySignIn): string =>
  signedIn.session.getAccessToken().decodePayload().device_key;

/** Records the PASSWORD_VERIFIER answers the library sends: their Session and DEVICE_KEY. */
function recordVerifierAnswers() {
  const answers: Array<{ session: string; deviceKey: unknown }> = [];
  const stop = onApiCall(stack, (op, body) => {
    if (op !== 'RespondToAuthChallenge') return;
    const input = JSON.parse(body);
    if (input.ChallengeName === 'PASSWORD_VERIFIER') {
      answers.push({ session: input.Session, deviceKey: input.ChallengeResponses?.DEVICE_KEY });
    }
  });
  return { answers, stop };
}

/** Forgets the device through the BFF, as the user would from another device's device list. */
async function forgetThroughBff(accessToken: string, deviceKey: string) {
  const res = await call(stack, 'DELETE', `/devices/${deviceKey}`, { token: accessToken });
  expect(res.status).toBe(204);
}

it('the library retries PASSWORD_VERIFIER without the forgotten device, on the same Session, and signs in with a new device', async () => {
  await createConfirmedUser(cognito, {
    userPoolId: stack.userPoolId,
    username: 'stale-plain',
    password: PASSWORD,
  });
  const first = await librarySignIn('stale-plain');
  const forgotten = deviceOf(first);
  expect(forgotten).toMatch(/^eu-west-1_/);
  await forgetThroughBff(first.session.getAccessToken().getJwtToken(), forgotten);

  const { answers, stop } = recordVerifierAnswers();
  const second = await librarySignIn('stale-plain').finally(stop);
  expect(answers).toEqual([
    { session: expect.any(String), deviceKey: forgotten },
    { session: answers[0]?.session, deviceKey: null },
  ]);
  expect(deviceOf(second)).toMatch(/^eu-west-1_/);
  expect(deviceOf(second)).not.toBe(forgotten);
});

it('with TOTP MFA in between: refused device, same Session again, then the TOTP challenge, then a new device', async () => {
  await createConfirmedUser(cognito, {
    userPoolId: stack.userPoolId,
    username: 'stale-totp',
    password: PASSWORD,
  });
  const enrol = await librarySignIn('stale-totp');
  const accessToken = enrol.session.getAccessToken().getJwtToken();
  const secret = await enrolTotp(cognito, accessToken);
  // The remembered device skips MFA...
  const remembered = await librarySignIn('stale-totp', secret);
  expect(remembered.askedForMfa).toBe(false);
  const forgotten = deviceOf(remembered);
  expect(forgotten).toBe(deviceOf(enrol));
  // ...until it is forgotten elsewhere; the library still holds its key.
  await forgetThroughBff(remembered.session.getAccessToken().getJwtToken(), forgotten);

  const { answers, stop } = recordVerifierAnswers();
  const again = await librarySignIn('stale-totp', secret).finally(stop);
  expect(answers.map((a) => a.deviceKey)).toEqual([forgotten, null]);
  expect(answers[1]?.session).toBe(answers[0]?.session);
  expect(again.askedForMfa).toBe(true);
  expect(deviceOf(again)).not.toBe(forgotten);
});

it('a wrong password with a forgotten device is a wrong password: the device is checked only once the password is proven', async () => {
  await createConfirmedUser(cognito, {
    userPoolId: stack.userPoolId,
    username: 'stale-wrong',
    password: PASSWORD,
  });
  const first = await librarySignIn('stale-wrong');
  await forgetThroughBff(first.session.getAccessToken().getJwtToken(), deviceOf(first));
  const user = new CognitoUser({ Username: 'stale-wrong', Pool: pool });
  const error = await new Promise<Error>((resolve) =>
    user.authenticateUser(new AuthenticationDetails({ Username: 'stale-wrong', Password: `${PASSWORD}x` }), {
      onSuccess: () => resolve(new Error('signed in with a wrong password')),
      onFailure: resolve,
    }),
  );
  expect({ name: error.name, message: error.message }).toEqual({
    name: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
});
