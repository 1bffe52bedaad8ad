import { cognitoTimestamp, passwordClaim, type RandomBytes, srpKey, startSrp } from './srp-client.js';

/**
 * Sign-in to a Cognito user pool for apps that do not use Amplify: SRP (`USER_SRP_AUTH`), the TOTP challenge,
 * a known device's proof (`DEVICE_SRP_AUTH`, `DEVICE_PASSWORD_VERIFIER`) and token refresh with
 * GetTokensFromRefreshToken and the device key. It does not call ConfirmDevice itself: a new device comes back
 * as `newDevice`, and the app confirms it through the BFF right away (`DeviceBffClient.confirmNewDevice`), as
 * the AWS libraries do at every sign-in: Cognito refuses to refresh a sign-in whose new device was never
 * confirmed. Only `fetch`, BigInt and `crypto.getRandomValues`: browsers, React Native and Node.
 */

export interface CognitoSignInOptions {
  /** The user pool, e.g. `eu-west-1_AbCdEf123`; its region picks the endpoint. */
  readonly userPoolId: string;
  /** An app client without a secret that allows `ALLOW_USER_SRP_AUTH` (refresh needs no auth flow of its own). */
  readonly clientId: string;
  /** Defaults to `https://cognito-idp.<region>.amazonaws.com/`; the local stack's stand-in elsewhere. */
  readonly endpoint?: string;
  readonly fetch?: typeof fetch;
  /** For tests; defaults to `crypto.getRandomValues`. */
  readonly randomBytes?: RandomBytes;
  /** For tests; defaults to the current time (Cognito accepts a claim within minutes of its clock). */
  readonly now?: () => Date;
}

/**
 * A device the app confirmed: its key and group key from `NewDeviceMetadata`, and the secret it created. Keep it
 * for every confirmed device, remembered or not (as the AWS libraries do): the next sign-in names it, so this app
 * stays one device instead of a new one each time, and a remembered one skips MFA by proving the secret.
 */
export interface ConfirmedDevice {
  readonly deviceKey: string;
  readonly deviceGroupKey: string;
  /** `devicePassword` from `createDeviceSecretVerifier`: keep it in secure storage, never send it. */
  readonly devicePassword: string;
}

/** Finds the device the app keeps for a user, by the user's username in the pool (see `CognitoSignIn.signIn`). */
export type DeviceLookUp = (
  username: string,
) => ConfirmedDevice | undefined | Promise<ConfirmedDevice | undefined>;

/** @deprecated Renamed {@link ConfirmedDevice}: every new device is confirmed, remembered or not. */
export type RememberedDevice = ConfirmedDevice;

export interface Tokens {
  readonly accessToken: string;
  readonly idToken: string;
  /**
   * The refresh token to keep. A sign-in always has one; a refresh hands back the new one when the app client
   * rotates refresh tokens, else the one it was given.
   */
  readonly refreshToken: string;
  readonly expiresInSeconds: number;
}

export type SignInStep =
  | {
      readonly kind: 'totpRequired';
      /** Answers with the 6-digit code of the user's authenticator app. */
      answer(code: string): Promise<SignInStep>;
    }
  | {
      readonly kind: 'signedIn';
      readonly tokens: Tokens;
      /**
       * The user's username in the pool, whatever they typed (their email, an alias, another case): a UUID in pools
       * whose users sign in with their email. Key what the app keeps for the user (their device) by it.
       */
      readonly username: string;
      /**
       * A new device Cognito issued at this sign-in: confirm it through the BFF now
       * (`DeviceBffClient.confirmNewDevice`), or this sign-in cannot refresh its tokens.
       */
      readonly newDevice?: { readonly deviceKey: string; readonly deviceGroupKey: string };
      /**
       * Cognito no longer knows the device the app sent (it was forgotten): the sign-in went on without it,
       * as the AWS libraries do. Drop the stored device and its secret.
       */
      readonly deviceRefused: boolean;
    };

/** A sign-in without a password, waiting for the code Cognito emailed ({@link CognitoSignIn.signInWithEmailCode}). */
export interface EmailCodeStep {
  readonly kind: 'emailCodeRequired';
  /** Where Cognito sent the code, masked as it says it (`a***@e***`): show it to the user. */
  readonly destination: string;
  /**
   * Answers with the code from the email; the steps after it are a password sign-in's. A wrong code ends this
   * sign-in (`CodeMismatchException`): start again for a new code.
   */
  answer(code: string): Promise<SignInStep>;
}

/**
 * Answers a passkey sign-in: takes Cognito's `PublicKeyCredentialRequestOptionsJSON` and returns the passkey's
 * `PublicKeyCredential` as JSON (`credential.toJSON()` in a browser).
 */
export type PasskeyAnswer = (options: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The browser's passkey: WebAuthn's JSON helpers (`parseRequestOptionsFromJSON`, `toJSON`), in every 2024+ browser. */
const browserPasskey: PasskeyAnswer = async (options) => {
  const webauthn = globalThis.PublicKeyCredential as
    | (typeof PublicKeyCredential & {
        parseRequestOptionsFromJSON?: (json: unknown) => PublicKeyCredentialRequestOptions;
      })
    | undefined;
  if (!webauthn?.parseRequestOptionsFromJSON || !globalThis.navigator?.credentials)
    throw new Error('No passkey support here: pass `credential` to signInWithPasskey');
  const publicKey = webauthn.parseRequestOptionsFromJSON(options);
  const credential = (await navigator.credentials.get({ publicKey })) as
    | (Credential & { toJSON(): Record<string, unknown> })
    | null;
  if (!credential) throw new Error('No passkey was chosen');
  return credential.toJSON();
};

/** Cognito refused a call; `type` is Cognito's exception name, e.g. `NotAuthorizedException`. */
export class CognitoAuthError extends Error {
  constructor(
    readonly type: CognitoErrorType | (string & {}),
    message: string,
  ) {
    super(message);
    this.name = 'CognitoAuthError';
  }
}

/** The exceptions a sign-in meets most; branch on `error.type`. */
export type CognitoErrorType =
  | 'NotAuthorizedException'
  | 'UserNotFoundException'
  | 'UserNotConfirmedException'
  | 'PasswordResetRequiredException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'ResourceNotFoundException'
  | 'TooManyRequestsException'
  | 'LimitExceededException'
  | 'InvalidParameterException';

/** Cognito asked for a challenge this client does not answer (e.g. `NEW_PASSWORD_REQUIRED`, `MFA_SETUP`). */
export class UnsupportedChallengeError extends Error {
  constructor(readonly challengeName: string) {
    super(`Cognito asked for ${challengeName}, which this client does not answer`);
    this.name = 'UnsupportedChallengeError';
  }
}

interface CognitoAnswer {
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: {
    AccessToken: string;
    IdToken: string;
    RefreshToken?: string;
    ExpiresIn: number;
    NewDeviceMetadata?: { DeviceKey: string; DeviceGroupKey: string };
  };
}

export class CognitoSignIn {
  private readonly endpoint: string;
  private readonly fetch: typeof fetch;
  private readonly poolName: string;

  constructor(private readonly options: CognitoSignInOptions) {
    const region = options.userPoolId.split('_')[0];
    this.endpoint = options.endpoint ?? `https://cognito-idp.${region}.amazonaws.com/`;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.poolName = options.userPoolId.split('_')[1] ?? '';
  }

  /**
   * Signs in with SRP; with `device`, the confirmed device proves itself (a remembered one may skip MFA).
   *
   * `username` is what the user typed: a username, or an email (in a pool where the email is the username, or an
   * alias). Give `device` as a look-up by the user's username in the pool when the app keeps devices per user: it is
   * called once Cognito names the user, so the username, the email and the email in other capitals find the same
   * device (libraries that keyed it by the typed name made every sign-in a new device: amplify-android #3145).
   */
  async signIn(input: {
    username: string;
    password: string;
    device?: ConfirmedDevice | DeviceLookUp | undefined;
  }): Promise<SignInStep> {
    const user = startSrp(this.options.randomBytes);
    const started = await this.call('InitiateAuth', {
      AuthFlow: 'USER_SRP_AUTH',
      ClientId: this.options.clientId,
      AuthParameters: { USERNAME: input.username, SRP_A: user.srpA },
    });
    if (started.ChallengeName !== 'PASSWORD_VERIFIER') return this.unexpected(started);
    const params = started.ChallengeParameters ?? {};
    const userId = params.USER_ID_FOR_SRP ?? input.username;
    const chosen = typeof input.device === 'function' ? await input.device(userId) : input.device;
    const key = srpKey(
      user,
      { srpB: params.SRP_B ?? '', salt: params.SALT ?? '' },
      this.poolName,
      userId,
      input.password,
    );
    const responses: Record<string, string> = {
      USERNAME: userId,
      ...passwordClaim(key, {
        identity: this.poolName,
        userId,
        secretBlock: params.SECRET_BLOCK ?? '',
        timestamp: cognitoTimestamp(this.now()),
      }),
    };
    const { next, device, deviceRefused } = await withDeviceOrWithout(chosen, (device) =>
      this.call('RespondToAuthChallenge', {
        ChallengeName: 'PASSWORD_VERIFIER',
        ClientId: this.options.clientId,
        Session: started.Session,
        ChallengeResponses: device ? { ...responses, DEVICE_KEY: device.deviceKey } : responses,
      }),
    );
    return this.continue(next, userId, device, deviceRefused);
  }

  /**
   * Signs in without a password: Cognito emails the user a code (choice-based sign-in, `USER_AUTH` with
   * `EMAIL_OTP`; the pool must allow it and the app client `ALLOW_USER_AUTH`). The step that comes back asks for the
   * code; with `device`, the confirmed device proves itself after it, as after a password, and a new sign-in gets a
   * new device to confirm through the BFF. A user Cognito cannot send a code to (no verified email, or MFA on:
   * MFA follows passwords only) gets `CognitoAuthError` `EmailCodeUnavailable`: sign them in with their password.
   * A look-up `device` is called with the name the user typed, as Cognito does not name the user before the code.
   */
  async signInWithEmailCode(input: {
    username: string;
    device?: ConfirmedDevice | DeviceLookUp | undefined;
  }): Promise<EmailCodeStep> {
    const started = await this.startUserAuth(input.username, 'EMAIL_OTP', [
      'EmailCodeUnavailable',
      'This user cannot sign in with an email code (no verified email, or MFA is on): use the password',
    ]);
    const params = started.ChallengeParameters ?? {};
    return {
      kind: 'emailCodeRequired',
      destination: params.CODE_DELIVERY_DESTINATION ?? '',
      answer: async (code) => {
        const userId = params.USERNAME ?? input.username;
        const chosen = typeof input.device === 'function' ? await input.device(userId) : input.device;
        const { next, device, deviceRefused } = await withDeviceOrWithout(chosen, (device) =>
          this.call('RespondToAuthChallenge', {
            ChallengeName: 'EMAIL_OTP',
            ClientId: this.options.clientId,
            Session: started.Session,
            ChallengeResponses: {
              USERNAME: input.username,
              EMAIL_OTP_CODE: code,
              ...(device && { DEVICE_KEY: device.deviceKey }),
            },
          }),
        );
        return this.continue(next, input.username, device, deviceRefused, null);
      },
    };
  }

  /**
   * Signs in with a passkey (choice-based sign-in, `USER_AUTH` with `WEB_AUTHN`; the pool must allow passkeys and the
   * user have one). `credential` answers Cognito's request options with the passkey's answer as JSON; in a browser
   * it defaults to `navigator.credentials.get` (WebAuthn's JSON helpers, 2024+ browsers); on iOS and Android, give
   * your platform's passkey API. With `device`, the confirmed device proves itself after the passkey, as after a
   * password; one Cognito no longer knows is dropped and the sign-in asked again without it (a second passkey
   * prompt: the first answer cannot be used twice). A user without a passkey here gets `CognitoAuthError`
   * `PasskeyUnavailable`.
   */
  async signInWithPasskey(input: {
    username: string;
    device?: ConfirmedDevice | DeviceLookUp | undefined;
    credential?: PasskeyAnswer;
  }): Promise<SignInStep> {
    const attempt = async (device: ConfirmedDevice | undefined): Promise<CognitoAnswer> => {
      const started = await this.startUserAuth(input.username, 'WEB_AUTHN', [
        'PasskeyUnavailable',
        'This user has no passkey for this app (or MFA is on): sign in another way',
      ]);
      const options = JSON.parse(started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}');
      const credential = await (input.credential ?? browserPasskey)(options);
      return this.call('RespondToAuthChallenge', {
        ChallengeName: 'WEB_AUTHN',
        ClientId: this.options.clientId,
        Session: started.Session,
        ChallengeResponses: {
          USERNAME: input.username,
          CREDENTIAL: JSON.stringify(credential),
          ...(device && { DEVICE_KEY: device.deviceKey }),
        },
      });
    };
    // Here the whole sign-in goes again without the device: a passkey's answer cannot be sent twice.
    const chosen = typeof input.device === 'function' ? await input.device(input.username) : input.device;
    const { next, device, deviceRefused } = await withDeviceOrWithout(chosen, attempt);
    return this.continue(next, input.username, device, deviceRefused, null);
  }

  /**
   * New access and ID tokens (GetTokensFromRefreshToken). Pass the device the sign-in is on: Cognito binds refresh
   * tokens to it. Keep the returned `refreshToken`: an app client with refresh-token rotation issues a new one
   * each time, and the old one stops working after the client's grace period.
   */
  async refresh(input: { refreshToken: string; deviceKey?: string | undefined }): Promise<Tokens> {
    const result = await this.call('GetTokensFromRefreshToken', {
      ClientId: this.options.clientId,
      RefreshToken: input.refreshToken,
      ...(input.deviceKey && { DeviceKey: input.deviceKey }),
    });
    if (!result.AuthenticationResult) return this.unexpected(result);
    return tokensOf(result.AuthenticationResult, input.refreshToken);
  }

  /**
   * Signs this sign-in out: revokes its refresh token, which also ends the access tokens minted from it
   * (RevokeToken, with token revocation on in the app client, as the stack sets it).
   */
  async signOut(refreshToken: string): Promise<void> {
    await this.call('RevokeToken', { ClientId: this.options.clientId, Token: refreshToken });
  }

  /** The challenges after the password, until tokens. */
  private async continue(
    answer: CognitoAnswer,
    /** The name the challenges are answered as (`USERNAME`): the user's username, or what they typed. */
    username: string,
    device: ConfirmedDevice | undefined,
    deviceRefused: boolean,
    /** The user's username in the pool when known; null: read from the access token at the end. */
    knownUsername: string | null = username,
  ): Promise<SignInStep> {
    let current = answer;
    let deviceExchange: ReturnType<typeof startSrp> | undefined;
    for (;;) {
      if (current.AuthenticationResult) {
        const result = current.AuthenticationResult;
        const meta = result.NewDeviceMetadata;
        if (!result.RefreshToken) return this.unexpected(current);
        return {
          kind: 'signedIn',
          tokens: tokensOf(result, result.RefreshToken),
          username: knownUsername ?? usernameIn(result.AccessToken),
          ...(meta && { newDevice: { deviceKey: meta.DeviceKey, deviceGroupKey: meta.DeviceGroupKey } }),
          deviceRefused,
        };
      }
      const respond = (responses: Record<string, string>) =>
        this.call('RespondToAuthChallenge', {
          ChallengeName: current.ChallengeName,
          ClientId: this.options.clientId,
          Session: current.Session,
          ChallengeResponses: { USERNAME: username, ...responses },
        });
      const params = current.ChallengeParameters ?? {};
      switch (current.ChallengeName) {
        case 'SOFTWARE_TOKEN_MFA': {
          const pending = current;
          return {
            kind: 'totpRequired',
            answer: async (code) => {
              current = pending;
              return this.continue(
                await respond({ SOFTWARE_TOKEN_MFA_CODE: code }),
                username,
                device,
                deviceRefused,
                knownUsername,
              );
            },
          };
        }
        case 'DEVICE_SRP_AUTH':
          if (!device) return this.unexpected(current);
          deviceExchange = startSrp(this.options.randomBytes);
          current = await respond({ DEVICE_KEY: device.deviceKey, SRP_A: deviceExchange.srpA });
          break;
        case 'DEVICE_PASSWORD_VERIFIER': {
          if (!device || !deviceExchange) return this.unexpected(current);
          const key = srpKey(
            deviceExchange,
            { srpB: params.SRP_B ?? '', salt: params.SALT ?? '' },
            device.deviceGroupKey,
            device.deviceKey,
            device.devicePassword,
          );
          current = await respond({
            DEVICE_KEY: device.deviceKey,
            ...passwordClaim(key, {
              identity: device.deviceGroupKey,
              userId: device.deviceKey,
              secretBlock: params.SECRET_BLOCK ?? '',
              timestamp: cognitoTimestamp(this.now()),
            }),
          });
          break;
        }
        default:
          return this.unexpected(current);
      }
    }
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Choice-based sign-in (`USER_AUTH`) asking for `challenge` first. Cognito offers the other first factors instead
   * (SELECT_CHALLENGE) when this user cannot have it here: that is `unavailable`, for the app to act on.
   */
  private async startUserAuth(
    username: string,
    challenge: 'EMAIL_OTP' | 'WEB_AUTHN',
    unavailable: [code: string, message: string],
  ): Promise<CognitoAnswer> {
    const started = await this.call('InitiateAuth', {
      AuthFlow: 'USER_AUTH',
      ClientId: this.options.clientId,
      AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: challenge },
    });
    if (started.ChallengeName === 'SELECT_CHALLENGE') throw new CognitoAuthError(...unavailable);
    if (started.ChallengeName !== challenge) return this.unexpected(started);
    return started;
  }

  private unexpected(answer: CognitoAnswer): never {
    throw new UnsupportedChallengeError(answer.ChallengeName ?? 'no challenge and no tokens');
  }

  /** One unsigned Cognito call (AWS JSON 1.1), as the SDK would send it. */
  private async call(operation: string, body: Record<string, unknown>): Promise<CognitoAnswer> {
    const response = await this.fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
    const parsed = (await response.json().catch(() => ({}))) as CognitoAnswer & {
      __type?: string;
      message?: string;
    };
    if (!response.ok) {
      const type = (parsed.__type ?? `HTTP${response.status}`).replace(/^.*#/, '');
      throw new CognitoAuthError(type, parsed.message ?? `Cognito answered ${response.status}`);
    }
    return parsed;
  }
}

/** The `username` claim of an access token (the user's username in the pool); the token is not verified here. */
function usernameIn(accessToken: string): string {
  const payload = accessToken.split('.')[1] ?? '';
  const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  // The claims are UTF-8: a username may be any Unicode.
  const json = new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  return String((JSON.parse(json) as { username?: unknown }).username ?? '');
}

/**
 * Sends `answer` naming the device; when Cognito no longer knows it (it was forgotten), drops it and sends `answer`
 * without it, as the AWS libraries do. Cognito accepts the same answer, on the same Session, without the device.
 */
async function withDeviceOrWithout(
  chosen: ConfirmedDevice | undefined,
  answer: (device: ConfirmedDevice | undefined) => Promise<CognitoAnswer>,
): Promise<{ next: CognitoAnswer; device: ConfirmedDevice | undefined; deviceRefused: boolean }> {
  try {
    return { next: await answer(chosen), device: chosen, deviceRefused: false };
  } catch (error) {
    if (!(chosen && isDeviceNotFound(error))) throw error;
    return { next: await answer(undefined), device: undefined, deviceRefused: true };
  }
}

function isDeviceNotFound(error: unknown): boolean {
  return (
    error instanceof CognitoAuthError &&
    error.type === 'ResourceNotFoundException' &&
    /device/i.test(error.message)
  );
}

/** @param refreshToken the one to keep when Cognito sends none (a refresh without rotation) */
function tokensOf(result: NonNullable<CognitoAnswer['AuthenticationResult']>, refreshToken: string): Tokens {
  return {
    accessToken: result.AccessToken,
    idToken: result.IdToken,
    refreshToken: result.RefreshToken ?? refreshToken,
    expiresInSeconds: result.ExpiresIn,
  };
}
