/**
 * The unmodified amazon-cognito-identity-js against the local stack's stand-in, with the BFF over HTTP for
 * everything device-related, through the whole lifecycle. The library names its device with `navigator.userAgent`
 * (CognitoUser.js): here an iPhone's Safari.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceBffClient, UnauthenticatedError } from '../../client/index.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createTotpUser, onApiCall, startTestStack } from '../support/local-stack.js';

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
Object.defineProperty(globalThis, 'navigator', { configurable: true, value: { userAgent: IPHONE_SAFARI } });
// Imported after `navigator` is set: the library reads it once, when it loads.
const { identityJsSignIn, memoryStorage } = await import('./identity-js-session.js');
const snippets = await import('../../docs/snippets/identity-js.js');

let stack: LocalStack;
let secret = '';
const USERNAME = 'identity-js-user';
const seen: Array<{ operation: string; body: Record<string, unknown> }> = [];
const called = (operation: string) => seen.filter((c) => c.operation === operation);
/** This app install's storage: the library keeps its device's key and secret there between sign-ins. */
const storage = memoryStorage();
const signIn = () => identityJsSignIn(stack, USERNAME, () => totpCode(secret, Date.now()), storage);

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  onApiCall(stack, (operation, body) => seen.push({ operation, body: JSON.parse(body || '{}') }));
  ({ secret } = await createTotpUser(stack, USERNAME));
});
afterAll(async () => {
  await stack?.close();
});

describe('amazon-cognito-identity-js, unmodified, with the BFF', () => {
  let session: Awaited<ReturnType<typeof signIn>>;
  let bff: DeviceBffClient;

  it('new device: TOTP, then the library confirms the device itself, named with the User-Agent', async () => {
    session = await signIn();
    bff = snippets.deviceBff(stack.api.url, session.user);
    expect(session.askedForMfa).toBe(true);
    expect(snippets.thisDeviceKey(session.user)).toBe(session.deviceKey);
    expect(called('ConfirmDevice').at(-1)?.body).toMatchObject({
      DeviceKey: session.deviceKey,
      DeviceName: IPHONE_SAFARI,
    });
  });

  it('the app remembers it through the BFF; the list shows it as this device, "Safari on iPhone"', async () => {
    await snippets.rememberThisDevice(bff, session.user);
    expect((await bff.listDevices()).devices).toEqual([
      expect.objectContaining({
        deviceKey: session.deviceKey,
        name: IPHONE_SAFARI,
        displayName: 'Safari on iPhone',
        current: true,
      }),
    ]);
  });

  it('the library refreshes with REFRESH_TOKEN_AUTH and its device key', async () => {
    const fresh = await session.refresh();
    expect(fresh.getAccessToken().decodePayload().device_key).toBe(session.deviceKey);
    expect(called('InitiateAuth').at(-1)?.body).toMatchObject({
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: expect.objectContaining({ DEVICE_KEY: session.deviceKey }),
    });
  });

  it('signing in again skips MFA: the library proves its own device secret', async () => {
    const again = await signIn();
    expect(again.askedForMfa).toBe(false);
    expect(again.deviceKey).toBe(session.deviceKey);
    session = again;
  });

  it('another device: stop remembering it from this session; it leaves the list', async () => {
    // Another install of the app (its own storage): another device, named with the same User-Agent.
    const other = await identityJsSignIn(stack, USERNAME, () => totpCode(secret, Date.now()));
    await bff.setDeviceStatus(other.deviceKey, 'remembered');
    expect((await bff.listDevices()).devices.map((d) => [d.deviceKey, d.current])).toEqual(
      expect.arrayContaining([
        [session.deviceKey, true],
        [other.deviceKey, false],
      ]),
    );
    await bff.setDeviceStatus(other.deviceKey, 'not_remembered');
    expect((await bff.listDevices()).devices.map((d) => d.deviceKey)).toEqual([session.deviceKey]);
  });

  it('the app forgets this device through the BFF: the library recovers at the next sign-in, MFA again, a new device', async () => {
    await bff.forgetDevice(session.deviceKey);
    const recovered = await signIn();
    expect(recovered.askedForMfa).toBe(true);
    expect(recovered.deviceKey).not.toBe(session.deviceKey);
    expect(called('ConfirmDevice').at(-1)?.body.DeviceKey).toBe(recovered.deviceKey);
    session = recovered;
    bff = snippets.deviceBff(stack.api.url, session.user);
  });

  it("forget the other devices and sign out everywhere, from the library's session", async () => {
    await snippets.rememberThisDevice(bff, session.user);
    const other = await identityJsSignIn(stack, USERNAME, () => totpCode(secret, Date.now()));
    await bff.setDeviceStatus(other.deviceKey, 'remembered');
    const kept = session.deviceKey;
    const accessToken = session.session.getAccessToken().getJwtToken();
    await snippets.signOutEverywhere(bff, session.user);
    // Every session is over: the other one cannot refresh (the library retries for ~6 s before it gives up), this
    // one's access token is refused, and the library holds no tokens any more.
    await expect(other.refresh()).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    const revoked = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => accessToken });
    await expect(revoked.listDevices()).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(session.user.getSignInUserSession()).toBeNull();
    // This device is still remembered: the library signs in again without MFA; the other one was forgotten.
    const again = await signIn();
    expect(again.askedForMfa).toBe(false);
    expect(again.deviceKey).toBe(kept);
    const after = snippets.deviceBff(stack.api.url, again.user);
    expect((await after.listDevices()).devices.map((d) => d.deviceKey)).toEqual([kept]);
  });
});
