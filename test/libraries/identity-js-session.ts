import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
  type ICognitoStorage,
} from 'amazon-cognito-identity-js';
import type { LocalStack } from '../../local/stack.js';
import { PASSWORD } from '../support/local-stack.js';

/** One app install's storage (the library keeps tokens and its device's key and secret there). */
export function memoryStorage(): ICognitoStorage {
  const items = new Map<string, string>();
  return {
    setItem: (key, value) => void items.set(key, value),
    getItem: (key) => items.get(key) ?? null,
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  };
}

export interface IdentityJsSession {
  readonly user: CognitoUser;
  readonly session: CognitoUserSession;
  /** The device of this sign-in (the access token's `device_key`). */
  readonly deviceKey: string;
  /** Whether the library was asked for the TOTP code. */
  readonly askedForMfa: boolean;
  /** The library's own refresh (REFRESH_TOKEN_AUTH with its stored DEVICE_KEY). */
  refresh(): Promise<CognitoUserSession>;
}

/**
 * A sign-in with the unmodified amazon-cognito-identity-js (USER_SRP_AUTH, TOTP when asked, the device proof when
 * it has a device), in `storage` (a fresh one by default: another app install, so another device). The library
 * confirms a new device itself, named with its `navigator.userAgent` ("nodejs" without one).
 */
export function identityJsSignIn(
  stack: LocalStack,
  username: string,
  totp: () => string,
  storage: ICognitoStorage = memoryStorage(),
): Promise<IdentityJsSession> {
  const pool = new CognitoUserPool({
    UserPoolId: stack.userPoolId,
    ClientId: stack.clients.spa,
    endpoint: stack.cognito.url,
    Storage: storage,
  });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  let askedForMfa = false;
  return new Promise((resolve, reject) => {
    const callbacks = {
      onSuccess: (session: CognitoUserSession) =>
        resolve({
          user,
          session,
          askedForMfa,
          deviceKey: session.getAccessToken().decodePayload().device_key,
          refresh: () =>
            new Promise<CognitoUserSession>((done, fail) =>
              user.refreshSession(session.getRefreshToken(), (error, fresh) =>
                error ? fail(error) : done(fresh),
              ),
            ),
        }),
      onFailure: reject,
      totpRequired: () => {
        askedForMfa = true;
        user.sendMFACode(totp(), callbacks, 'SOFTWARE_TOKEN_MFA');
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), callbacks);
  });
}
