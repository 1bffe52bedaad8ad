import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import { CognitoError } from './errors.js';
import type { PasskeyRecord, PoolRecord, UserRecord } from './state.js';

/**
 * Passkeys (WebAuthn) as the stand-in checks them: registration and assertion verified for real (challenge, origin,
 * relying party, signature, counter) by @simplewebauthn/server, a maintained implementation of the W3C spec, so
 * nothing here parses CBOR or COSE by hand. What Cognito answers for each failure is mapped from the service model's
 * `WebAuthn*` exceptions (their documentation says which case each names).
 */

/** The pool's passkey settings (`SetUserPoolMfaConfig` `WebAuthnConfiguration`; CloudFormation's WebAuthnRelyingPartyID). */
export interface WebAuthnSettings {
  readonly RelyingPartyId?: string;
  readonly UserVerification?: 'required' | 'preferred';
}

/**
 * How long a registration's and a sign-in's challenge stay valid: the `timeout` of the options Amplify's fixtures
 * record (aws-amplify/amplify-js, packages/auth/__tests__/mockData.ts: 60000 for the creation options, 180000 for
 * CREDENTIAL_REQUEST_OPTIONS). The stand-in holds the challenge exactly that long.
 */
export const REGISTRATION_TIMEOUT_MS = 60_000;
export const SIGN_IN_TIMEOUT_MS = 180_000;

/** Passkeys one user may hold. The service declares LimitExceededException; its number is in no record (ours). */
export const MAX_PASSKEYS = 20;

/** The relying party of a pool's passkeys, or WebAuthnConfigurationMissingException (the model's words). */
export function relyingParty(pool: PoolRecord): { id: string; userVerification: 'required' | 'preferred' } {
  const settings = pool.settings.WebAuthnConfiguration as WebAuthnSettings | undefined;
  if (!settings?.RelyingPartyId) {
    throw new CognitoError(
      'WebAuthnConfigurationMissingException',
      'The user pool does not have a configured relying party id or a user pool domain.',
    );
  }
  return { id: settings.RelyingPartyId, userVerification: settings.UserVerification ?? 'preferred' };
}

/**
 * An origin may use a relying party's passkeys when its host is the relying party id or a subdomain of it, over
 * https, or http on localhost (WebAuthn Level 3, "relying party identifier"; browsers allow http only there).
 */
export function originAllowed(origin: string, rpId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const hostMatches = url.hostname === rpId || url.hostname.endsWith(`.${rpId}`);
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && url.hostname === 'localhost');
  return hostMatches && secure;
}

/** StartWebAuthnRegistration's `CredentialCreationOptions` (the JSON a browser's `PublicKeyCredential.parseCreationOptionsFromJSON` takes). */
export async function creationOptions(pool: PoolRecord, user: UserRecord) {
  const rp = relyingParty(pool);
  return generateRegistrationOptions({
    rpName: rp.id,
    rpID: rp.id,
    // The user handle is the user's `sub` (Amplify's fixture: base64url of it).
    userID: new TextEncoder().encode(user.sub),
    userName: user.attributes.email ?? user.username,
    userDisplayName: '',
    timeout: REGISTRATION_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: (user.passkeys ?? []).map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: {
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: rp.userVerification,
    },
  });
}

/** Checks a registration against its challenge and the pool's relying party; the passkey to keep, or a WebAuthn* error. */
export async function verifiedRegistration(
  pool: PoolRecord,
  credential: unknown,
  expectedChallenge: string,
  now: number,
): Promise<PasskeyRecord> {
  const rp = relyingParty(pool);
  const response = credential as RegistrationResponseJSON;
  const origin = originOf(response?.response?.clientDataJSON);
  if (origin === undefined) throw notSupported();
  if (!originAllowed(origin, rp.id)) {
    throw new CognitoError(
      'WebAuthnOriginNotAllowedException',
      'The passkey origin does not align with the user pool relying party id.',
    );
  }
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rp.id,
      requireUserVerification: rp.userVerification === 'required',
    });
  } catch (error) {
    throw mapped(error);
  }
  if (!verification.verified) throw notSupported();
  const info = verification.registrationInfo;
  return {
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: response.response.transports ?? [],
    ...(response.authenticatorAttachment && { attachment: response.authenticatorAttachment }),
    rpId: rp.id,
    createdAt: now,
  };
}

/**
 * The sign-in challenge's `CREDENTIAL_REQUEST_OPTIONS` (a JSON string), for this user's passkeys, with the members
 * the fixture recorded from the service has beside WebAuthn's (`hints`, `attestation`, `attestationFormats`).
 */
export async function requestOptions(pool: PoolRecord, user: UserRecord) {
  const rp = relyingParty(pool);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    timeout: SIGN_IN_TIMEOUT_MS,
    userVerification: rp.userVerification,
    allowCredentials: (user.passkeys ?? []).map((p) => ({ id: p.credentialId, transports: p.transports })),
  });
  return { hints: [], attestation: 'none', attestationFormats: [], ...options };
}

/**
 * Checks a sign-in's assertion: one of this user's passkeys signed the challenge for this relying party, from an
 * allowed origin, with a counter that moved on (or stays 0, as passkeys that keep none do). Any failure is a failed
 * sign-in, NotAuthorizedException (ours: no record shows the service's answer).
 */
export async function verifiedAssertion(
  pool: PoolRecord,
  user: UserRecord,
  credential: unknown,
  expectedChallenge: string,
): Promise<PasskeyRecord> {
  const rp = relyingParty(pool);
  const response = credential as Parameters<typeof verifyAuthenticationResponse>[0]['response'];
  const passkey = (user.passkeys ?? []).find((p) => p.credentialId === response?.id);
  const origin = originOf(response?.response?.clientDataJSON);
  if (!passkey || origin === undefined || !originAllowed(origin, rp.id)) throw failedSignIn();
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: Buffer.from(passkey.publicKey, 'base64url'),
        counter: passkey.counter,
        transports: passkey.transports as never,
      },
      requireUserVerification: rp.userVerification === 'required',
    });
    if (!verified) throw failedSignIn();
    passkey.counter = authenticationInfo.newCounter;
    return passkey;
  } catch {
    throw failedSignIn();
  }
}

const failedSignIn = () => new CognitoError('NotAuthorizedException', 'Incorrect username or password.');

const notSupported = () =>
  new CognitoError(
    'WebAuthnCredentialNotSupportedException',
    'The passkey is not supported: it came from an unsupported device or provider.',
  );

/** The page's origin the browser wrote into the credential (read by the library's decoder), or undefined. */
function originOf(clientDataJSON: unknown): string | undefined {
  if (typeof clientDataJSON !== 'string') return undefined;
  try {
    const { origin } = decodeClientDataJSON(clientDataJSON);
    return typeof origin === 'string' ? origin : undefined;
  } catch {
    return undefined;
  }
}

/** The library's reason, as the service's exception for it (the model documents one exception per case). */
function mapped(error: unknown): CognitoError {
  const message = error instanceof Error ? error.message : '';
  if (/RP ID/i.test(message)) {
    return new CognitoError(
      'WebAuthnRelyingPartyMismatchException',
      'The passkey is associated with a different relying party ID.',
    );
  }
  if (/challenge/i.test(message)) {
    return new CognitoError(
      'WebAuthnChallengeNotFoundException',
      'The challenge from StartWebAuthnRegistration was not found or has expired.',
    );
  }
  return notSupported();
}
