/**
 * The unmodified aws-amplify 6 (as an app installs it) against the local stack's stand-in, with the BFF over HTTP
 * for everything device-related, through the whole lifecycle. Amplify names its device from `globalThis.navigator`
 * (getDeviceName.ts): here a Chromium's client hints, as Amplify builds them in a browser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceBffClient } from '../../client/index.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createTotpUser, onApiCall, PASSWORD, startTestStack } from '../support/local-stack.js';
import { identityJsSignIn } from './identity-js-session.js';

/** What Chrome 131 on an arm Mac answers to `navigator.userAgentData.getHighEntropyValues()`. */
const CHROME_ON_MAC = {
  platform: 'macOS',
  platformVersion: '14.2.1',
  architecture: 'arm',
  model: '',
  fullVersionList: [
    { brand: 'Google Chrome', version: '131.0.6778.86' },
    { brand: 'Chromium', version: '131.0.6778.86' },
    { brand: 'Not_A Brand', version: '24.0.0.0' },
  ],
};
Object.defineProperty(globalThis, 'navigator', {
  configurable: true,
  value: {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    userAgentData: { getHighEntropyValues: async () => CHROME_ON_MAC },
  },
});
// Imported after `navigator` is set, as a browser app would have it.
const { Amplify } = await import('aws-amplify');
const auth = await import('aws-amplify/auth');
const snippets = await import('../../docs/snippets/amplify.js');

let stack: LocalStack;
let secret = '';
let bff: DeviceBffClient;
/** Every operation that reached the stand-in, with its body (Amplify's calls and the BFF's). */
const seen: Array<{ operation: string; body: Record<string, unknown> }> = [];
const called = (operation: string) => seen.filter((c) => c.operation === operation);
const USERNAME = 'amplify-user';

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  onApiCall(stack, (operation, body) => seen.push({ operation, body: JSON.parse(body || '{}') }));
  ({ secret } = await createTotpUser(stack, USERNAME));
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: stack.userPoolId,
        userPoolClientId: stack.clients.spa,
        userPoolEndpoint: stack.cognito.url,
      },
    },
  });
  bff = snippets.deviceBff(stack.api.url);
});
afterAll(async () => {
  await stack?.close();
});

/** Amplify's own sign-in; answers TOTP when Amplify asks. Returns the steps Amplify went through. */
async function amplifySignIn(): Promise<string[]> {
  const steps: string[] = [];
  let result = await auth.signIn({ username: USERNAME, password: PASSWORD });
  while (!result.isSignedIn) {
    steps.push(result.nextStep.signInStep);
    if (result.nextStep.signInStep !== 'CONFIRM_SIGN_IN_WITH_TOTP_CODE') throw new Error('unexpected step');
    result = await auth.confirmSignIn({ challengeResponse: totpCode(secret, Date.now()) });
  }
  return steps;
}

describe('aws-amplify 6, unmodified, with the BFF', () => {
  let firstDevice: string | undefined;

  it('new device: TOTP, then Amplify confirms the device itself, named with client hints', async () => {
    expect(await amplifySignIn()).toEqual(['CONFIRM_SIGN_IN_WITH_TOTP_CODE']);
    firstDevice = await snippets.thisDeviceKey();
    expect(firstDevice).toMatch(/^eu-west-1_/);
    const [confirmation] = called('ConfirmDevice');
    expect(confirmation?.body).toMatchObject({
      DeviceKey: firstDevice,
      DeviceName:
        'macOS 14.2.1 arm macOS Google Chrome/131.0.6778.86;Chromium/131.0.6778.86;Not_A Brand/24.0.0.0',
      DeviceSecretVerifierConfig: { PasswordVerifier: expect.any(String), Salt: expect.any(String) },
    });
  });

  it('the app remembers it through the BFF; the list shows it as this device, with a readable name', async () => {
    await snippets.rememberThisDevice(bff);
    const { devices } = await bff.listDevices();
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({
      deviceKey: firstDevice,
      name: expect.stringMatching(/^macOS 14\.2\.1 arm macOS Google Chrome/),
      displayName: 'Chrome on macOS',
      status: 'remembered',
      current: true,
    });
  });

  it('a POST /devices for the device Amplify confirmed is refused, and its secret is left alone', async () => {
    const before = called('ConfirmDevice').length;
    const refused = await bff.confirmDevice({ deviceKey: firstDevice ?? '' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 409, code: 'device_key_exists' });
    expect((refused as Error).message).toMatch(/PUT \/devices\/\{deviceKey\}\/status/);
    expect(called('ConfirmDevice')).toHaveLength(before);
  });

  it('Amplify refreshes with GetTokensFromRefreshToken and its device key', async () => {
    const before = (await auth.fetchAuthSession()).tokens?.accessToken.toString();
    const after = (await auth.fetchAuthSession({ forceRefresh: true })).tokens?.accessToken.toString();
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(called('GetTokensFromRefreshToken').at(-1)?.body).toMatchObject({
      ClientId: stack.clients.spa,
      DeviceKey: firstDevice,
    });
    expect((await bff.listDevices()).devices.map((d) => d.current)).toEqual([true]);
  });

  it('signing in again skips MFA: Amplify proves its own device secret', async () => {
    await auth.signOut();
    const before = called('RespondToAuthChallenge').length;
    expect(await amplifySignIn()).toEqual([]);
    expect(await snippets.thisDeviceKey()).toBe(firstDevice);
    const challenges = called('RespondToAuthChallenge')
      .slice(before)
      .map((c) => c.body.ChallengeName);
    expect(challenges).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  });

  it('another device: stop remembering it from this session; it leaves the list', async () => {
    const other = await identityJsSignIn(stack, USERNAME, () => totpCode(secret, Date.now()));
    await bff.setDeviceStatus(other.deviceKey, 'remembered');
    expect((await bff.listDevices()).devices.map((d) => [d.displayName, d.current])).toEqual(
      expect.arrayContaining([
        ['Chrome on macOS', true],
        ['Node.js app', false],
      ]),
    );
    await bff.setDeviceStatus(other.deviceKey, 'not_remembered');
    expect((await bff.listDevices()).devices.map((d) => d.deviceKey)).toEqual([firstDevice]);
  });

  it('the app forgets this device through the BFF: Amplify recovers at the next sign-in, MFA again, a new device', async () => {
    await bff.forgetDevice(firstDevice ?? '');
    await auth.signOut();
    const refusals = () =>
      seen.filter(
        (c) => c.operation === 'RespondToAuthChallenge' && c.body.ChallengeName === 'PASSWORD_VERIFIER',
      );
    const before = refusals().length;
    expect(await amplifySignIn()).toEqual(['CONFIRM_SIGN_IN_WITH_TOTP_CODE']);
    // The stale device was refused and the same answer sent again without it, as Amplify does.
    expect(
      refusals()
        .slice(before)
        .map((c) => c.body.ChallengeResponses),
    ).toEqual([
      expect.objectContaining({ DEVICE_KEY: firstDevice }),
      expect.not.objectContaining({ DEVICE_KEY: expect.anything() }),
    ]);
    const newDevice = await snippets.thisDeviceKey();
    expect(newDevice).not.toBe(firstDevice);
    expect(called('ConfirmDevice').at(-1)?.body.DeviceKey).toBe(newDevice);
  });

  it('forget the other devices and sign out everywhere, from Amplify’s session', async () => {
    await snippets.rememberThisDevice(bff);
    const other = await identityJsSignIn(stack, USERNAME, () => totpCode(secret, Date.now()));
    await bff.setDeviceStatus(other.deviceKey, 'remembered');
    const kept = await snippets.thisDeviceKey();
    await snippets.signOutEverywhere(bff);
    // The other session cannot refresh any more, and Amplify has nothing left.
    await expect(other.refresh()).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    expect((await auth.fetchAuthSession()).tokens).toBeUndefined();
    // This device is still remembered: Amplify signs in again without MFA; the other one was forgotten.
    expect(await amplifySignIn()).toEqual([]);
    expect((await bff.listDevices()).devices.map((d) => d.deviceKey)).toEqual([kept]);
  });
});
