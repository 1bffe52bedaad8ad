import * as z from 'zod/mini';

/** WebAuthn's credential ids are base64url (Cognito's `StringType`; 1,023 bytes is WebAuthn's largest id). */
export const CredentialId = z.string().check(z.minLength(1), z.maxLength(1_400), z.regex(/^[A-Za-z0-9_-]+$/));

export const CredentialIdPath = z.strictObject({ credentialId: CredentialId });

const Base64Url = z.string().check(z.minLength(1), z.maxLength(12_000), z.regex(/^[A-Za-z0-9_-]+=*$/));

/**
 * `POST /passkeys`: the browser's answer to the registration options (`credential.toJSON()`, the
 * `RegistrationResponseJSON` of WebAuthn Level 3), passed on to Cognito, which checks it. Only its shape is checked
 * here; members a browser adds are kept.
 */
export const CompletePasskeyBody = z.strictObject({
  credential: z.looseObject({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal('public-key'),
    response: z.looseObject({ clientDataJSON: Base64Url, attestationObject: Base64Url }),
  }),
});
