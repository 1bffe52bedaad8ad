/** Values of Cognito's `DeviceRememberedStatusType`. */
export const deviceStatuses = ['remembered', 'not_remembered'] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];

/**
 * The device attributes apps get. Cognito also returns `dev:device_arn` (with our AWS account id, pool id and
 * the username), `dev:device_owner` and `dev:device_sdk` (AWS CLI examples `list-devices.rst`,
 * `admin-list-devices.rst`): they identify our account and help no app, so they are never passed on.
 */
export const publicDeviceAttributes = [
  'device_status',
  'device_name',
  'dev:device_remembered_status',
  'last_ip_used',
] as const;
export type DeviceAttributes = Readonly<Partial<Record<(typeof publicDeviceAttributes)[number], string>>>;

/** A device as the BFF returns it: camelCase, ISO-8601 dates, and the allow-listed Cognito attributes. */
export interface Device {
  readonly deviceKey: string;
  readonly name: string | null;
  readonly status: DeviceStatus | null;
  readonly createdAt: string | null;
  readonly lastModifiedAt: string | null;
  readonly lastAuthenticatedAt: string | null;
  readonly lastIpUsed: string | null;
  readonly attributes: DeviceAttributes;
}

/** The verifier a client computes for a new device (SRP, see amazon-cognito-identity-js `generateHashDevice`). */
export interface DeviceVerifier {
  readonly passwordVerifier: string;
  readonly salt: string;
}

export interface DevicePage {
  readonly devices: readonly Device[];
  /** Cognito's own pagination token; the HTTP layer wraps it into an opaque cursor. */
  readonly nextPageToken: string | null;
}
