// Routes: POST /devices, PUT /devices/{deviceKey}/status, DELETE /devices/{deviceKey}. Flow: the
// client's CognitoSignIn: SRP, TOTP, the device's proof, refresh, a forgotten device, typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoAuthError,
  CognitoSignIn,
  type ConfirmedDevice,
  DeviceBffClient,
  type SignInStep,
} from '../../client/index.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createConfirmedUser, enrolTotp } from '../../local/users.js';
import { cognitoClient, PASSWORD, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let client: CognitoSignIn;
let secret = '';
/** The Cognito operations this client itself sent (the BFF's functions call the stand-in too). */
const calls: string[] = [];
const recordingFetch: typeof fetch = (url, init) => {
  const target = new Headers(init?.headers).get('x-amz-target') ?? '';
  calls.push(target.replace('AWSCognitoIdentityProviderService.', ''));
  return fetch(url, init);
};

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  client = new CognitoSignIn({
    userPoolId: stack.userPoolId,
    clientId: stack.clients.spa,
    endpoint: stack.cognito.url,
    fetch: recordingFetch,
  });
  const cognito = cognitoClient(stack);
  for (const username of ['plain', 'totp']) {
    await createConfirmedUser(cognito, { userPoolId: stack.userPoolId, username, password: PASSWORD });
  }
  // `totp` enrols an authenticator app.
  const first = await client.signIn({ username: 'totp', password: PASSWORD });
  if (first.kind !== 'signedIn') throw new Error('expected tokens');
  const AccessToken = first.tokens.accessToken;
  secret = await enrolTotp(cognito, AccessToken);
});
afterAll(async () => {
  await stack?.close();
});

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
async function signedIn(step: Promise<SignInStep>, totp?: () => string) {
  let current = await step;
  const asked: string[] = [];
  while (current.kind === 'totpRequired') {
    asked.push('totp');
    if (!totp) throw new Error('TOTP asked');
    current = await current.answer(totp());
  }
  return { ...current, asked };
}

describe('CognitoSignIn against the stand-in', () => {
  it('signs in with SRP and hands the new device to the app without confirming it', async () => {
    calls.length = 0;
    const result = await signedIn(client.signIn({ username: 'plain', password: PASSWORD }));
    expect(result.asked).toEqual([]);
    expect(result.deviceRefused).toBe(false);
    expect(result.newDevice?.deviceKey).toMatch(/^eu-west-1_/);
    expect(result.tokens.refreshToken).toBeTruthy();
    expect(claims(result.tokens.accessToken)).toMatchObject({
      username: 'plain',
      device_key: result.newDevice?.deviceKey,
    });
    expect(calls).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
  });

  it('remembered-device flow: TOTP, confirm through the BFF, skip MFA, refresh, then a forgotten device', async () => {
    const totp = () => totpCode(secret, Date.now());
    // 1. A new device: TOTP is asked, and Cognito issues the device.
    const first = await signedIn(client.signIn({ username: 'totp', password: PASSWORD }), totp);
    expect(first.asked).toEqual(['totp']);
    const meta = first.newDevice;
    if (!meta) throw new Error('expected a new device');
    // 2. The app confirms it through the BFF right away and, the user agreeing, remembers it.
    const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => first.tokens.accessToken });
    const confirmed = await bff.confirmNewDevice(meta);
    expect(confirmed.userConfirmationNecessary).toBe(true);
    await bff.setDeviceStatus(meta.deviceKey, 'remembered');
    const device: ConfirmedDevice = confirmed.device;
    // 3. The remembered device proves itself and skips MFA; its tokens name it.
    calls.length = 0;
    const again = await signedIn(client.signIn({ username: 'totp', password: PASSWORD, device }));
    expect(again.asked).toEqual([]);
    expect(again.newDevice).toBeUndefined();
    expect(claims(again.tokens.accessToken).device_key).toBe(meta.deviceKey);
    expect(calls).toEqual([
      'InitiateAuth',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
    ]);
    // 4. Refresh on that device (GetTokensFromRefreshToken); this client does not rotate, so the refresh token
    // to keep is the one it has.
    const refreshed = await client.refresh({
      refreshToken: again.tokens.refreshToken,
      deviceKey: meta.deviceKey,
    });
    expect(claims(refreshed.accessToken).device_key).toBe(meta.deviceKey);
    expect(refreshed.refreshToken).toBe(again.tokens.refreshToken);
    expect(calls.at(-1)).toBe('GetTokensFromRefreshToken');
    // 5. Forgotten elsewhere: the sign-in goes on without it, asks TOTP again and issues a new device.
    await new DeviceBffClient({
      baseUrl: stack.api.url,
      accessToken: () => again.tokens.accessToken,
    }).forgetDevice(meta.deviceKey);
    const stale = await signedIn(client.signIn({ username: 'totp', password: PASSWORD, device }), totp);
    expect(stale.deviceRefused).toBe(true);
    expect(stale.asked).toEqual(['totp']);
    expect(stale.newDevice?.deviceKey).not.toBe(meta.deviceKey);
    // The client itself never confirmed, remembered or forgot a device: the BFF did.
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((op) => /Device/.test(op))).toEqual([]);
  });

  it('a wrong password or TOTP code is a typed error', async () => {
    const refuse = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (e: unknown) => e,
      );
    const wrongPassword = await refuse(client.signIn({ username: 'plain', password: `${PASSWORD}x` }));
    expect(wrongPassword).toBeInstanceOf(CognitoAuthError);
    expect(wrongPassword).toMatchObject({
      type: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    const step = await client.signIn({ username: 'totp', password: PASSWORD });
    if (step.kind !== 'totpRequired') throw new Error('expected the TOTP challenge');
    expect(await refuse(step.answer('000000'))).toMatchObject({ type: 'CodeMismatchException' });
  });
});
