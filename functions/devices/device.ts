/** Values of Cognito's `DeviceRememberedStatusType`. */
export const deviceStatuses = ['remembered', 'not_remembered'] as const;
export type DeviceStatus = (typeof deviceStatuses)[number];

/** A device as the BFF returns it: camelCase, ISO-8601 dates, the raw attributes kept for completeness. */
export interface Device {
  readonly deviceKey: string;
  readonly name: string | null;
  readonly status: DeviceStatus | null;
  readonly createdAt: string | null;
  readonly lastModifiedAt: string | null;
  readonly lastAuthenticatedAt: string | null;
  readonly lastIpUsed: string | null;
  readonly attributes: Readonly<Record<string, string>>;
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
