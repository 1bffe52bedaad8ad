import {
  AuthenticationDetails,
  CognitoUser,
  type CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CognitoStandIn } from '../../local/cognito/server.js';
import { totpCode } from '../../local/cognito/totp.js';
import { standInWithUser } from '../support/stand-in.js';

const PASSWORD = 'Mfa-passw0rd!';
let standIn: CognitoStandIn;
let userPool: CognitoUserPool;
let secret = '';

beforeAll(async () => {
  ({ standIn, userPool } = await standInWithUser({
    pool: {
      MfaConfiguration: 'OPTIONAL',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    },
    username: 'mfa-user',
    password: PASSWORD,
  }));
});
afterAll(async () => {
  await standIn.close();
});

/** amazon-cognito-identity-js's sign-in; answers a TOTP challenge when asked, and reports whether it was. */
function signIn() {
  const user = new CognitoUser({ Username: 'mfa-user', Pool: userPool });
  let askedForMfa = false;
  return new Promise<{ user: CognitoUser; session: CognitoUserSession; askedForMfa: boolean }>(
    (resolve, reject) => {
      const callbacks = {
        onSuccess: (session: CognitoUserSession) => resolve({ user, session, askedForMfa }),
        onFailure: reject,
        totpRequired: () => {
          askedForMfa = true;
          user.sendMFACode(totpCode(secret, Date.now()), callbacks, 'SOFTWARE_TOKEN_MFA');
        },
      };
      user.authenticateUser(
        new AuthenticationDetails({ Username: 'mfa-user', Password: PASSWORD }),
        callbacks,
      );
    },
  );
}

const call = <T>(run: (done: (error: unknown, value?: T) => void) => void) =>
  new Promise<T>((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));

it('TOTP is challenged until the device is remembered, skipped on the remembered device, and back after forgetting it', async () => {
  // First sign-in: no MFA yet; the library confirms this new device (opt-in pool: not remembered).
  const first = await signIn();
  expect(first.askedForMfa).toBe(false);
  const deviceKey = first.session.getAccessToken().decodePayload().device_key;

  // Enable TOTP: associate, verify a first code, prefer it.
  secret = await new Promise<string>((resolve, reject) =>
    first.user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }),
  );
  expect(secret).toMatch(/^[A-Z2-7]{52}$/);
  await new Promise((resolve, reject) =>
    first.user.verifySoftwareToken(totpCode(secret, Date.now()), 'phone', {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
  await call((done) => first.user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, done));

  // Known but not remembered device: the device proves itself, then MFA is still asked.
  const second = await signIn();
  expect(second.askedForMfa).toBe(true);
  expect(second.session.getAccessToken().decodePayload().device_key).toBe(deviceKey);

  // Remember it: the next sign-in from it skips MFA.
  await new Promise((resolve, reject) =>
    second.user.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }),
  );
  const third = await signIn();
  expect(third.askedForMfa).toBe(false);
  expect(third.session.getAccessToken().decodePayload().device_key).toBe(deviceKey);

  // Forget it: MFA again, as for any new device.
  await new Promise((resolve, reject) => third.user.forgetDevice({ onSuccess: resolve, onFailure: reject }));
  const fourth = await signIn();
  expect(fourth.askedForMfa).toBe(true);
  expect(fourth.session.getAccessToken().decodePayload().device_key).not.toBe(deviceKey);
});

it('refuses a wrong TOTP code', async () => {
  const user = new CognitoUser({ Username: 'mfa-user', Pool: userPool });
  const failure = await new Promise<{ code?: string }>((resolve) => {
    const callbacks = {
      onSuccess: () => resolve({ code: 'unexpected success' }),
      onFailure: resolve,
      totpRequired: () =>
        user.sendMFACode(
          '000000' === totpCode(secret, Date.now()) ? '111111' : '000000',
          callbacks,
          'SOFTWARE_TOKEN_MFA',
        ),
    };
    user.authenticateUser(new AuthenticationDetails({ Username: 'mfa-user', Password: PASSWORD }), callbacks);
  });
  expect(failure.code).toBe('CodeMismatchException');
});
