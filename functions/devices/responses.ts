import * as z from 'zod/mini';
import { deviceStatuses } from './device.js';
import { DeviceKey } from './schemas.js';

// Response shapes, for the OpenAPI document and the contract test only: the functions do not import this
// module, so it costs their bundles nothing.

const Timestamp = z.nullable(z.iso.datetime());

export const DeviceBody = z.object({
  deviceKey: DeviceKey,
  /** The name as Cognito has it (whatever the app or its sign-in library wrote): never show it unneutralised. */
  name: z.nullable(z.string()),
  /** `name` made readable and safe to show ("Chrome on macOS", "Samsung Galaxy S23"); null when unnamed. */
  displayName: z.nullable(z.string().check(z.maxLength(60))),
  status: z.nullable(z.enum(deviceStatuses)),
  createdAt: Timestamp,
  lastModifiedAt: Timestamp,
  lastAuthenticatedAt: Timestamp,
  lastIpUsed: z.nullable(z.string()),
  /** The device of the caller's own sign-in (from the verified access token's `device_key`). */
  current: z.boolean(),
  /**
   * When this remembered device stops being trusted, on a stage with `rememberFor` (then it is forgotten: its
   * sessions stop refreshing and its next sign-in asks for MFA); null otherwise. Set once, when the device is first
   * remembered: remembering it again never moves it.
   */
  trustEndsAt: Timestamp,
  /** The end of this remembered device's trust could not be read just now (`trustEndsAt` is null for that reason). */
  trustEndsAtUnknown: z.boolean(),
  /** Only these of Cognito's device attributes are passed on (never `dev:device_arn`, `dev:device_owner`). */
  attributes: z.object({
    device_status: z.optional(z.string()),
    device_name: z.optional(z.string()),
    'dev:device_remembered_status': z.optional(z.enum(deviceStatuses)),
    last_ip_used: z.optional(z.string()),
  }),
});

export const DeviceListBody = z.object({ devices: z.array(DeviceBody), nextCursor: z.nullable(z.string()) });

export const ConfirmDeviceResult = z.object({ deviceKey: DeviceKey, userConfirmationNecessary: z.boolean() });

export const ForgetOthersResult = z.object({
  forgotten: z.int().check(z.gte(0)),
  remaining: z.int().check(z.gte(0)),
  complete: z.boolean(),
  keptDeviceKey: z.nullable(DeviceKey),
});

export const SignOutEverywhereResult = z.object({
  /** Every session of the user ended, this one included. */
  signedOut: z.literal('everywhere'),
  /** What the app does next: sign in again (a remembered device skips MFA there). */
  next: z.literal('sign_in'),
});

export const DeviceStatusResult = z.object({
  deviceKey: DeviceKey,
  status: z.enum(deviceStatuses),
  /** With `rememberFor`: when the device's trust ends (set when it was first remembered, never moved); null otherwise. */
  trustEndsAt: Timestamp,
});

/** One of the caller's passkeys (`GET /passkeys`). */
export const PasskeyBody = z.object({
  credentialId: z.string(),
  /** The name Cognito gives it. */
  name: z.string(),
  /** The domain it signs in to. */
  relyingPartyId: z.string(),
  authenticatorAttachment: z.nullable(z.string()),
  transports: z.array(z.string()),
  createdAt: Timestamp,
});

export const PasskeyListBody = z.object({ passkeys: z.array(PasskeyBody) });

/** `POST /passkeys/registrations`: Cognito's creation options, for `PublicKeyCredential.parseCreationOptionsFromJSON`. */
export const PasskeyRegistrationBody = z.object({
  options: z.looseObject({
    challenge: z.string(),
    rp: z.looseObject({ id: z.optional(z.string()), name: z.string() }),
    user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
    pubKeyCredParams: z.array(z.looseObject({ alg: z.number(), type: z.string() })),
  }),
});

/** The id Cognito stored (null when its list did not show which passkey was added: another at the same moment). */
export const PasskeyAddedResult = z.object({ credentialId: z.nullable(z.string()) });

/** RFC 9457 problem details, with the `code` and `invalidParams` members this API adds. */
export const ProblemBody = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int().check(z.gte(400), z.lte(599)),
  detail: z.string(),
  code: z.string().check(z.regex(/^[a-z][a-z0-9_]*$/)),
  invalidParams: z.optional(z.array(z.object({ name: z.string(), reason: z.string() }))),
});
