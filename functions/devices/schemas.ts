import * as z from 'zod/mini';
import { deviceStatuses } from './device.js';

// Constraints copied from the Cognito service model (vendored as local/cognito/service-model.json); the model's
// patterns are matched against the whole value, so they are anchored here.

/** `DeviceKeyType`: 1..55 chars, `[\w-]+_[0-9a-f-]+`. */
export const DeviceKey = z.string().check(z.minLength(1), z.maxLength(55), z.regex(/^[\w-]+_[0-9a-f-]+$/));
/** `DeviceNameType`: 1..1024 chars. */
export const DeviceName = z.string().check(z.minLength(1), z.maxLength(1024));
/** `StringType` (max 131072) holding base64, as amazon-cognito-identity-js produces it. */
const VerifierPart = z.base64().check(z.minLength(1), z.maxLength(131_072));
/** `QueryLimitType` allows 0..60; 0 is useless to clients, so the API accepts 1..60. */
const Limit = z.coerce.number().check(z.int(), z.gte(1), z.lte(60));
/** Opaque cursor, in the alphabet cursors are written in; whether this API sealed it is checked when it is opened. */
const Cursor = z.string().check(z.minLength(1), z.maxLength(4096), z.regex(/^[A-Za-z0-9_.-]+$/));

export const DeviceKeyPath = z.strictObject({ deviceKey: DeviceKey });

export const ConfirmDeviceBody = z.strictObject({
  deviceKey: DeviceKey,
  deviceName: z.optional(DeviceName),
  deviceSecretVerifierConfig: z.optional(
    z.strictObject({ passwordVerifier: VerifierPart, salt: VerifierPart }),
  ),
});
export type ConfirmDeviceBody = z.infer<typeof ConfirmDeviceBody>;

export const UpdateDeviceStatusBody = z.strictObject({ status: z.enum(deviceStatuses) });

export const ListDevicesQuery = z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) });
