/**
 * The events the BFF publishes to EventBridge, one per successful change, for apps to tell people about their
 * devices ("a device was removed from your account"). Their JSON Schema is docs/events.schema.json (a test
 * validates every event the local stack publishes against it). Never a token, a verifier or a device secret.
 */

/** EventBridge `source` of every event (a custom source: it may not start with `aws.`). */
export const DEVICE_EVENT_SOURCE = 'cognito-device-bff';
/** The version of `detail`'s shape: a field removed or changed in meaning makes it 2. */
export const DEVICE_EVENT_VERSION = 1;

/** EventBridge `detail-type`s: what happened. */
export const deviceEventTypes = [
  'Device confirmed',
  'Device remembered',
  'Device no longer remembered',
  'Device forgotten',
  'Other devices forgotten',
  'Signed out everywhere',
  'Device trust expired',
  'New device sign-in',
  'Passkey added',
  'Passkey removed',
] as const;
export type DeviceEventType = (typeof deviceEventTypes)[number];

/** What an action says happened; the route adds who, from where and when. */
export interface DeviceChange {
  readonly type: DeviceEventType;
  /** The device concerned (for "Other devices forgotten" and "Signed out everywhere": the one the user kept). */
  readonly deviceKey: string | null;
  /** Its readable name (`displayName`), when known. */
  readonly deviceName: string | null;
  /**
   * The name is read from Cognito when the event is delivered, not on the request's path (functions/events/
   * delivery.ts): a change whose answer does not need the name makes no call for it.
   */
  readonly nameLater?: boolean;
  /** "Passkey added", "Passkey removed": which one (the device is the one the user did it from). */
  readonly passkey?: { readonly credentialId: string | null };
  /** "Other devices forgotten": each device forgotten by that call. */
  readonly devices?: ReadonlyArray<{ readonly deviceKey: string; readonly deviceName: string | null }>;
}

/** An event's `detail`, as published. */
export interface DeviceEventDetail extends Omit<DeviceChange, 'type'> {
  readonly version: typeof DEVICE_EVENT_VERSION;
  /** The user (the access token's `sub`, Cognito's stable id; never the username). */
  readonly sub: string;
  /** The app client the user signed in with, when known. */
  readonly clientId: string | null;
  /** Where the request came from, as API Gateway saw it (or Cognito, for a sign-in), when known. */
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /** When it happened, ISO 8601. */
  readonly time: string;
}

export interface DeviceEvent {
  readonly type: DeviceEventType;
  readonly detail: DeviceEventDetail;
  /** `detail.deviceName` is still to be read from Cognito, by the delivery (never part of what is published). */
  readonly nameLater?: true;
}

/** One event: what changed, for whom (`sub`), with which app, from where and when; what is not known is null. */
export function deviceEvent(
  { type, nameLater, ...change }: DeviceChange,
  context: {
    readonly sub: string;
    readonly time: string;
    readonly clientId?: string | null;
    readonly sourceIp?: string | null;
    readonly userAgent?: string | null;
  },
): DeviceEvent {
  return {
    type,
    detail: {
      version: DEVICE_EVENT_VERSION,
      sub: context.sub,
      clientId: context.clientId ?? null,
      ...change,
      sourceIp: context.sourceIp ?? null,
      userAgent: context.userAgent ?? null,
      time: context.time,
    },
    ...(nameLater && { nameLater: true }),
  };
}

/**
 * The publishing port. `publish` never throws: a refused or failed publish is logged and counted by the adapter,
 * and the user's change stands.
 */
export interface EventPublisher {
  publish(events: readonly DeviceEvent[]): Promise<void>;
}
