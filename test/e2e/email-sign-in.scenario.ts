// Routes: POST /devices, PUT /devices/{deviceKey}/status, GET /devices (and GET /devices/{deviceKey} with the full
// view). Flow: sign-in with the email, in each kind of pool (run by the email-sign-in-*.test.ts files).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CognitoSignIn,
  createDeviceSecretVerifier,
  DeviceBffClient,
  type SignInStep,
} from '../../client/index.js';
import type { SignInKind } from '../../infra/sign-in.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { cognitoClient, createTotpUser, PASSWORD, startTestStack } from '../support/local-stack.js';
import { srpSignIn } from '../support/srp-client.js';

const claims = (token: string | undefined) =>
  JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<
    string,
    string
  >;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Sign-in with an email, end to end on the local stack, in one kind of pool the stack makes (`username`: the verified
 * email is an alias; `email`: the email is the username, as Amplify Gen 2 makes pools): SRP and TOTP, the device
 * confirmed and remembered through the BFF, and MFA skipped on that device whatever name the user types. One kind per
 * test file: the local API loads the handlers for one pool per process.
 */
export function describeEmailSignIn(kind: SignInKind, options: { fullDeviceView?: boolean } = {}): void {
  // The user's username in the pool (the email stands for it in an `email` pool), and every other name that signs
  // them in besides the email as it was given.
  const name = kind === 'email' ? undefined : 'ada';
  const otherNames =
    kind === 'email' ? ['Ada@Example.COM', 'ADA@EXAMPLE.COM'] : ['Ada@Example.COM', 'ada', 'ADA'];
  describe(`signInWith ${kind}${options.fullDeviceView ? ', full device view' : ''}`, () => {
    const EMAIL = 'ada@example.com';
    let stack: LocalStack;
    let secret = '';
    let username = '';
    const totp = () => totpCode(secret, Date.now());

    beforeAll(async () => {
      stack = await startTestStack('opt-in', {
        signInWith: kind,
        fullDeviceView: options.fullDeviceView ?? false,
      });
      ({ secret, username } = await createTotpUser(stack, name ?? EMAIL, { email: EMAIL }));
    });
    afterAll(async () => {
      await stack?.close();
    });

    const srp = (typed: string, device?: { key: string; groupKey: string; password: string }) =>
      srpSignIn({
        cognito: cognitoClient(stack),
        clientId: stack.clients.spa,
        poolName: stack.userPoolId.split('_')[1] ?? '',
        username: typed,
        password: PASSWORD,
        totp,
        ...(device && { device }),
      });

    it('the pool is the stack’s: the user is known by the username Cognito gave them', () => {
      if (kind === 'email') expect(username).toMatch(UUID);
      else expect(username).toBe('ada');
    });

    it('SRP and TOTP with the email; the device confirmed and remembered through the BFF skips MFA for every name', async () => {
      const first = await srp(EMAIL);
      expect(first.challenges).toEqual(['PASSWORD_VERIFIER', 'SOFTWARE_TOKEN_MFA']);
      expect(claims(first.result.AccessToken).username).toBe(username);
      const metadata = first.result.NewDeviceMetadata;
      if (!metadata?.DeviceKey || !metadata.DeviceGroupKey) throw new Error('expected NewDeviceMetadata');

      const bff = new DeviceBffClient({
        baseUrl: stack.api.url,
        accessToken: () => first.result.AccessToken ?? '',
      });
      const { devicePassword, ...verifier } = createDeviceSecretVerifier(
        metadata.DeviceKey,
        metadata.DeviceGroupKey,
      );
      await bff.confirmDevice({
        deviceKey: metadata.DeviceKey,
        deviceSecretVerifierConfig: verifier,
        deviceName: 'Ada’s laptop',
      });
      await bff.setDeviceStatus(metadata.DeviceKey, 'remembered');
      expect((await bff.listDevices()).devices).toEqual([
        expect.objectContaining({ deviceKey: metadata.DeviceKey, status: 'remembered', current: true }),
      ]);

      const device = { key: metadata.DeviceKey, groupKey: metadata.DeviceGroupKey, password: devicePassword };
      for (const typed of [EMAIL, ...otherNames]) {
        const again = await srp(typed, device);
        expect({ typed, challenges: again.challenges }).toEqual({
          typed,
          challenges: ['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER'],
        });
        expect(claims(again.result.AccessToken)).toMatchObject({ username, device_key: metadata.DeviceKey });
        expect(again.result.NewDeviceMetadata).toBeUndefined();
      }
    });

    it('the client: the device the app keeps is one remembered device, whatever name or case the user types', async () => {
      const client = new CognitoSignIn({
        userPoolId: stack.userPoolId,
        clientId: stack.clients.mobile,
        endpoint: stack.cognito.url,
      });
      const signedIn = async (step: Promise<SignInStep>) => {
        let current = await step;
        const asked: string[] = [];
        while (current.kind === 'totpRequired') {
          asked.push('totp');
          current = await current.answer(totp());
        }
        return { ...current, asked };
      };
      const first = await signedIn(client.signIn({ username: EMAIL.toUpperCase(), password: PASSWORD }));
      expect(first.asked).toEqual(['totp']);
      if (!first.newDevice) throw new Error('expected a new device');
      const bff = new DeviceBffClient({
        baseUrl: stack.api.url,
        accessToken: () => first.tokens.accessToken,
      });
      const { device } = await bff.confirmNewDevice(first.newDevice);
      await bff.setDeviceStatus(device.deviceKey, 'remembered');
      for (const typed of [EMAIL, ...otherNames]) {
        const again = await signedIn(client.signIn({ username: typed, password: PASSWORD, device }));
        expect({ typed, asked: again.asked, newDevice: again.newDevice }).toEqual({
          typed,
          asked: [],
          newDevice: undefined,
        });
        expect(claims(again.tokens.accessToken).device_key).toBe(device.deviceKey);
      }
      // Both remembered devices are the user's, listed once each, this one marked.
      const listed = (await bff.listDevices()).devices;
      expect(listed).toHaveLength(2);
      expect(listed.filter((d) => d.current).map((d) => d.deviceKey)).toEqual([device.deviceKey]);
    });

    if (options.fullDeviceView) {
      it('the full view lists a device never remembered: the admin operations take the token’s username', async () => {
        const other = await createTotpUser(stack, kind === 'email' ? 'grace@example.com' : 'grace', {
          email: 'grace@example.com',
        });
        const signIn = await srpSignIn({
          cognito: cognitoClient(stack),
          clientId: stack.clients.spa,
          poolName: stack.userPoolId.split('_')[1] ?? '',
          username: 'Grace@example.com',
          password: PASSWORD,
          totp: () => totpCode(other.secret, Date.now()),
        });
        const metadata = signIn.result.NewDeviceMetadata;
        if (!metadata?.DeviceKey || !metadata.DeviceGroupKey) throw new Error('expected NewDeviceMetadata');
        const bff = new DeviceBffClient({
          baseUrl: stack.api.url,
          accessToken: () => signIn.result.AccessToken ?? '',
        });
        await bff.confirmNewDevice({
          deviceKey: metadata.DeviceKey,
          deviceGroupKey: metadata.DeviceGroupKey,
        });
        expect((await bff.listDevices()).devices).toEqual([
          expect.objectContaining({ deviceKey: metadata.DeviceKey, status: 'not_remembered', current: true }),
        ]);
        expect((await bff.getDevice(metadata.DeviceKey)).status).toBe('not_remembered');
      });
    }
  });
}
