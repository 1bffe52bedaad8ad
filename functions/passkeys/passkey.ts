import type { DeviceOwner } from '../devices/directory.js';

/** One of the caller's passkeys, as the API answers it. */
export interface Passkey {
  /** WebAuthn's credential id (base64url): what `DELETE /passkeys/{credentialId}` takes. */
  readonly credentialId: string;
  /** The name Cognito gives it (`FriendlyCredentialName`). */
  readonly name: string;
  /** The domain it signs in to (the pool's relying party). */
  readonly relyingPartyId: string;
  /** `platform` (built into the device) or `cross-platform` (a security key, a phone), when the browser said. */
  readonly authenticatorAttachment: string | null;
  readonly transports: readonly string[];
  readonly createdAt: string | null;
}

/**
 * The port to Cognito's passkey API for one caller's own passkeys: every call is authorized by the caller's access
 * token (StartWebAuthnRegistration, CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential),
 * so Cognito itself keeps users to their own. Implementations throw ApiErrors, never SDK exceptions.
 */
export interface PasskeyDirectory {
  list(owner: DeviceOwner): Promise<Passkey[]>;
  remove(owner: DeviceOwner, credentialId: string): Promise<void>;
  /** The options a browser's `navigator.credentials.create` takes (`PublicKeyCredentialCreationOptionsJSON`). */
  startRegistration(owner: DeviceOwner): Promise<Record<string, unknown>>;
  /** Registers the credential the browser made from those options (`RegistrationResponseJSON`). */
  completeRegistration(owner: DeviceOwner, credential: Record<string, unknown>): Promise<void>;
}
