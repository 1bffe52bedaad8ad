import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInKind } from '../../infra/sign-in.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { LocalStack } from '../../local/stack.js';
import { createTotpUser, PASSWORD, startTestStack } from '../support/local-stack.js';
import { identityJsSignIn, memoryStorage } from './identity-js-session.js';

// A browser's navigator, for Amplify's device name; set before either library loads, as in a browser app.
Object.defineProperty(globalThis, 'navigator', {
  configurable: true,
  value: {
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  },
});
const { Amplify } = await import('aws-amplify');
const auth = await import('aws-amplify/auth');
const amplifySnippets = await import('../../docs/snippets/amplify.js');
const identityJsSnippets = await import('../../docs/snippets/identity-js.js');

/**
 * The unmodified amazon-cognito-identity-js and aws-amplify 6 sign in with the user's email (and the email in other
 * capitals) in one kind of pool the stack makes; each library confirms its device itself, the BFF lists and remembers
 * it, and the next sign-in on that device skips MFA. One kind per test file (one pool per process for the local API).
 */
export function describeLibrariesWithEmail(kind: SignInKind): void {
  const EMAIL = 'lib-user@example.com';
  let stack: LocalStack;
  let secret = '';
  const totp = () => totpCode(secret, Date.now());

  beforeAll(async () => {
    stack = await startTestStack('opt-in', { signInWith: kind });
    ({ secret } = await createTotpUser(stack, kind === 'email' ? EMAIL : 'lib-user', { email: EMAIL }));
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
    await auth.signOut();
    await stack?.close();
  });

  describe(`signInWith ${kind}: the sign-in libraries with the email`, () => {
    it('aws-amplify 6: confirms its device at the first sign-in; remembered through the BFF, MFA is skipped after', async () => {
      const signIn = async (username: string) => {
        const steps: string[] = [];
        let result = await auth.signIn({ username, password: PASSWORD });
        while (!result.isSignedIn) {
          steps.push(result.nextStep.signInStep);
          if (result.nextStep.signInStep !== 'CONFIRM_SIGN_IN_WITH_TOTP_CODE')
            throw new Error('unexpected step');
          result = await auth.confirmSignIn({ challengeResponse: totp() });
        }
        return steps;
      };
      expect(await signIn(EMAIL)).toEqual(['CONFIRM_SIGN_IN_WITH_TOTP_CODE']);
      const deviceKey = await amplifySnippets.thisDeviceKey();
      const bff = amplifySnippets.deviceBff(stack.api.url);
      await amplifySnippets.rememberThisDevice(bff);
      expect((await bff.listDevices()).devices).toEqual([
        expect.objectContaining({
          deviceKey,
          displayName: 'Safari on macOS',
          status: 'remembered',
          current: true,
        }),
      ]);
      await auth.signOut();
      expect(await signIn('Lib-User@Example.com')).toEqual([]);
      expect(await amplifySnippets.thisDeviceKey()).toBe(deviceKey);
      await auth.signOut();
    });

    it('amazon-cognito-identity-js: the same, with the device it keeps in its storage', async () => {
      const storage = memoryStorage();
      const first = await identityJsSignIn(stack, EMAIL, totp, storage);
      expect(first.askedForMfa).toBe(true);
      const bff = identityJsSnippets.deviceBff(stack.api.url, first.user);
      await identityJsSnippets.rememberThisDevice(bff, first.user);
      const listed = (await bff.listDevices()).devices;
      expect(listed.filter((d) => d.current)).toEqual([
        expect.objectContaining({ deviceKey: first.deviceKey, status: 'remembered' }),
      ]);
      for (const typed of ['LIB-USER@EXAMPLE.COM', ...(kind === 'username' ? ['lib-user'] : [])]) {
        const again = await identityJsSignIn(stack, typed, totp, storage);
        expect({ typed, askedForMfa: again.askedForMfa, deviceKey: again.deviceKey }).toEqual({
          typed,
          askedForMfa: false,
          deviceKey: first.deviceKey,
        });
      }
    });
  });
}
