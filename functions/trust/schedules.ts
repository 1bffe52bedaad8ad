import { createHash } from 'node:crypto';
import { type AwsJsonClient, AwsServiceError, awsJsonClient } from '../aws/signed-request.js';
import { flexibleWindowMinutes, trustEnd } from './ends.js';

/**
 * The written record of each remembered device's trust (`rememberFor`): one EventBridge Scheduler one-time schedule
 * per device, made once, when the device is first seen remembered, and never moved: its creation date (set by the
 * service) is when trust was written down (functions/trust/ends.ts). It fires when trust ends (a little before, in a
 * flexible window, so that many are spread), its target, the trust expiry, retires the device, and it is deleted once
 * it ran. It also goes when the device is forgotten; stopping remembering a device keeps it, so the period runs on. AWS's device
 * guide leaves this to the app ("your application might prompt your users to trust a device for 30, 60, or 90 days
 * … on that date, change the remembered status of their device").
 *
 * Each is read by its exact name (GetSchedule): a list costs one call per remembered device on its page (a user has at
 * most MAX_TRUSTED_DEVICES), and none once this process has seen it, since a record never changes.
 */
export interface TrustSchedules {
  /** How long trust lasts, in seconds. */
  readonly rememberForSeconds: number;
  /** When this device's trust was written down (ms since the epoch), or undefined when it has no record. */
  recordedAt(owner: TrustOwner, deviceKey: string): Promise<number | undefined>;
  /**
   * Writes down the trust of a device seen remembered now, unless it has a record already (which is kept as it
   * is); when trust was written down, either way.
   */
  record(
    owner: TrustOwner,
    device: { deviceKey: string; deviceName: string | null; lastModifiedAt: string | null },
  ): Promise<number>;
  /** The device is gone: its record goes (none is fine). */
  forget(owner: TrustOwner, deviceKey: string): Promise<void>;
}

/**
 * What the check after a sign-in needs besides: every record of one user (ListSchedules by name prefix, which takes no
 * resource in IAM, so only the check's role may call it), and deleting one by name.
 */
export interface TrustRecordList {
  /** The user's records, by schedule name: when each was written down (ms). At most five pages of 100. */
  list(owner: TrustOwner): Promise<Map<string, number>>;
  forgetNamed(name: string): Promise<void>;
}

export interface TrustOwner {
  readonly sub: string;
  readonly username: string;
  /** The pool, when the function's settings do not name it (the trust check: its input does). */
  readonly userPoolId?: string;
}

/** What a trust schedule hands its target: enough to un-remember the device and say so. */
export interface TrustExpiryInput {
  readonly userPoolId: string;
  readonly username: string;
  readonly sub: string;
  readonly deviceKey: string;
  readonly deviceName: string | null;
}

/** A short, stable, name-safe stand-in for an identifier in a schedule's name (names allow 64 characters). */
export const hash = (value: string) => createHash('sha256').update(value).digest('base64url').slice(0, 16);
/** The prefix of one user's trust schedules (`ListSchedules` by `NamePrefix`). */
export const userPrefix = (sub: string) => `trust-${hash(sub)}-`;
/** A device's trust schedule: `trust-<user>-<device>`, 39 characters of [A-Za-z0-9_-]. */
export const scheduleName = (sub: string, deviceKey: string) => `${userPrefix(sub)}${hash(deviceKey)}`;

/** The EventBridge Scheduler API (REST with JSON bodies, SigV4-signed); `endpoint` only on the local stack. */
export const schedulerClient = (settings: {
  readonly region: string;
  readonly endpoint?: string | undefined;
  readonly timeoutMs: number;
}): AwsJsonClient =>
  awsJsonClient({
    service: 'scheduler',
    region: settings.region,
    endpoint: settings.endpoint,
    contentType: 'application/json',
    timeoutMs: settings.timeoutMs,
  });

/**
 * A one-time schedule in `group`, to run by `end` (UTC, to the second), deleted once it has run: with a flexible
 * window of `windowMinutes`, it is set that much earlier and the scheduler picks a moment in the window.
 */
export const oneTimeSchedule = (
  group: string,
  end: Date,
  description: string,
  target: Record<string, unknown>,
  options: { windowMinutes?: number } = {},
) => {
  const window = options.windowMinutes ?? 0;
  const at = new Date(end.getTime() - window * 60_000);
  return {
    GroupName: group,
    ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: window > 0 ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: window } : { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Description: description,
    Target: target,
  };
};

export interface TrustSettings {
  readonly region: string;
  /** Local stack only: where the EventBridge Scheduler stand-in listens. */
  readonly endpoint?: string | undefined;
  readonly group: string;
  /** The trust-expiry function's ARN, and the role the scheduler invokes it with. */
  readonly targetArn: string | undefined;
  readonly roleArn: string | undefined;
  /** The pool, for the functions whose settings name it (the API's); else each owner says. */
  readonly userPoolId: string | undefined;
  readonly rememberForSeconds: number;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

/** Records this process has read: a record never changes while it exists, so a hit needs no call (bounded). */
const MAX_CACHED = 10_000;

export function createTrustSchedules(settings: TrustSettings): TrustSchedules & TrustRecordList {
  const client = schedulerClient(settings);
  const now = settings.now ?? Date.now;
  const path = (name: string) => `/schedules/${encodeURIComponent(name)}`;
  const known = new Map<string, number>();
  const remember = (name: string, at: number) => {
    known.set(name, at);
    if (known.size > MAX_CACHED) known.delete(known.keys().next().value ?? '');
    return at;
  };
  const read = async (name: string): Promise<number | undefined> => {
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    try {
      const schedule: { CreationDate?: number } = await client.call({
        method: 'GET',
        path: path(name),
        query: { groupName: settings.group },
      });
      return schedule.CreationDate === undefined ? undefined : remember(name, schedule.CreationDate * 1_000);
    } catch (error) {
      if (error instanceof AwsServiceError && error.type === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  };
  return {
    rememberForSeconds: settings.rememberForSeconds,
    recordedAt: (owner, deviceKey) => read(scheduleName(owner.sub, deviceKey)),
    async record(owner, device) {
      const name = scheduleName(owner.sub, device.deviceKey);
      const cached = known.get(name);
      if (cached !== undefined) return cached;
      const userPoolId = owner.userPoolId ?? settings.userPoolId;
      if (!userPoolId) throw new Error('No user pool for the trust schedule');
      if (!settings.targetArn || !settings.roleArn)
        throw new Error('This function does not write trust records');
      const input: TrustExpiryInput = {
        userPoolId,
        username: owner.username,
        sub: owner.sub,
        deviceKey: device.deviceKey,
        deviceName: device.deviceName,
      };
      const recordedAt = now();
      const body = oneTimeSchedule(
        settings.group,
        trustEnd(settings.rememberForSeconds, recordedAt, device.lastModifiedAt),
        'Cognito device BFF: the end of a remembered device’s trust',
        {
          Arn: settings.targetArn,
          RoleArn: settings.roleArn,
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
        { windowMinutes: flexibleWindowMinutes(settings.rememberForSeconds) },
      );
      try {
        await client.call({ method: 'POST', path: path(name), body });
      } catch (error) {
        // Written down meanwhile (another request, the check): that one stands.
        if (!(error instanceof AwsServiceError && error.type === 'ConflictException')) throw error;
        const other = await read(name);
        if (other === undefined) throw error;
        return other;
      }
      // The service's own creation date is what every later read sees; this is within the call's time of it.
      return remember(name, recordedAt);
    },
    async forget(owner, deviceKey) {
      await deleteNamed(scheduleName(owner.sub, deviceKey));
    },
    forgetNamed: (name) => deleteNamed(name),
    async list(owner) {
      const records = new Map<string, number>();
      let token: string | undefined;
      for (let page = 0; page < 5; page++) {
        const answer: { Schedules?: Array<{ Name?: string; CreationDate?: number }>; NextToken?: string } =
          await client.call({
            method: 'GET',
            path: '/schedules',
            query: {
              NamePrefix: userPrefix(owner.sub),
              ScheduleGroup: settings.group,
              MaxResults: '100',
              ...(token && { NextToken: token }),
            },
          });
        for (const schedule of answer.Schedules ?? []) {
          if (schedule.Name && schedule.CreationDate !== undefined) {
            records.set(schedule.Name, schedule.CreationDate * 1_000);
          }
        }
        token = answer.NextToken;
        if (!token) break;
      }
      return records;
    },
  };

  async function deleteNamed(name: string): Promise<void> {
    known.delete(name);
    try {
      await client.call({ method: 'DELETE', path: path(name), query: { groupName: settings.group } });
    } catch (error) {
      if (!(error instanceof AwsServiceError && error.type === 'ResourceNotFoundException')) throw error;
    }
  }
}
