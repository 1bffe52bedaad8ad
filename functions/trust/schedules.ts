import { createHash } from 'node:crypto';
import { type AwsJsonClient, AwsServiceError, awsJsonClient } from '../aws/signed-request.js';

/**
 * How long a remembered device stays trusted (`rememberFor`): one EventBridge Scheduler one-time schedule per
 * remembered device, at the moment its trust ends, whose target (the trust-expiry function) sets the device back to
 * `not_remembered`, so MFA is asked again whether or not the user ever opens the app. AWS's device guide leaves this
 * to the app ("your application might prompt your users to trust a device for 30, 60, or 90 days … on that date,
 * change the remembered status of their device").
 *
 * The schedule is the record: its name is the user's and the device's (hashed: names allow 64 characters), and it
 * is made or moved when a device is remembered (so remembering again renews the trust), deleted when it is
 * forgotten or stops being remembered, and deletes itself once it ran (`ActionAfterCompletion: DELETE`).
 */
export interface TrustSchedules {
  /** How long trust lasts, in seconds. */
  readonly rememberForSeconds: number;
  /** Trust of this device now ends `rememberFor` from now (its schedule is made or moved); when that is. */
  remember(owner: TrustOwner, device: { deviceKey: string; deviceName: string | null }): Promise<Date>;
  /** The device is no longer trusted by this user's choice: its schedule goes (none is fine). */
  forget(owner: TrustOwner, deviceKey: string): Promise<void>;
  /** When each of the user's remembered devices' trust ends, by device key (of the `deviceKeys` given). */
  endsAt(owner: TrustOwner, deviceKeys: readonly string[]): Promise<Map<string, Date>>;
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
    endpoint: settings.endpoint ?? `https://scheduler.${settings.region}.amazonaws.com`,
    contentType: 'application/json',
    timeoutMs: settings.timeoutMs,
  });

/** A one-time schedule in `group` at `at` (UTC, to the second), deleted once it has run. */
export const oneTimeSchedule = (
  group: string,
  at: Date,
  description: string,
  target: Record<string, unknown>,
) => ({
  GroupName: group,
  ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
  ScheduleExpressionTimezone: 'UTC',
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  State: 'ENABLED',
  Description: description,
  Target: target,
});

export interface TrustSettings {
  readonly region: string;
  /** Local stack only: where the EventBridge Scheduler stand-in listens. */
  readonly endpoint?: string | undefined;
  readonly group: string;
  /** The trust-expiry function's ARN, and the role the scheduler invokes it with. */
  readonly targetArn: string;
  readonly roleArn: string;
  /** The pool, for the functions whose settings name it (the API's); else each owner says. */
  readonly userPoolId: string | undefined;
  readonly rememberForSeconds: number;
  readonly timeoutMs: number;
  readonly now?: () => number;
}

export function createTrustSchedules(settings: TrustSettings): TrustSchedules {
  const client = schedulerClient(settings);
  const now = settings.now ?? Date.now;
  const path = (name: string) => `/schedules/${encodeURIComponent(name)}`;
  return {
    rememberForSeconds: settings.rememberForSeconds,
    async remember(owner, device) {
      const ends = new Date(Math.ceil((now() + settings.rememberForSeconds * 1000) / 1000) * 1000);
      const userPoolId = owner.userPoolId ?? settings.userPoolId;
      if (!userPoolId) throw new Error('No user pool for the trust schedule');
      const input: TrustExpiryInput = {
        userPoolId,
        username: owner.username,
        sub: owner.sub,
        ...device,
      };
      const body = oneTimeSchedule(
        settings.group,
        ends,
        'Cognito device BFF: the end of a remembered device’s trust',
        {
          Arn: settings.targetArn,
          RoleArn: settings.roleArn,
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
        },
      );
      const name = scheduleName(owner.sub, device.deviceKey);
      try {
        await client.call({ method: 'POST', path: path(name), body });
      } catch (error) {
        // Remembered already: its trust starts again from now.
        if (!(error instanceof AwsServiceError && error.type === 'ConflictException')) throw error;
        await client.call({ method: 'PUT', path: path(name), body });
      }
      return ends;
    },
    async forget(owner, deviceKey) {
      try {
        await client.call({
          method: 'DELETE',
          path: path(scheduleName(owner.sub, deviceKey)),
          query: { groupName: settings.group },
        });
      } catch (error) {
        if (!(error instanceof AwsServiceError && error.type === 'ResourceNotFoundException')) throw error;
      }
    },
    async endsAt(owner, deviceKeys) {
      const byName = new Map(deviceKeys.map((key) => [scheduleName(owner.sub, key), key]));
      const ends = new Map<string, Date>();
      let token: string | undefined;
      do {
        const page: {
          Schedules?: Array<{ Name?: string; LastModificationDate?: number }>;
          NextToken?: string;
        } = await client.call({
          method: 'GET',
          path: '/schedules',
          query: {
            NamePrefix: userPrefix(owner.sub),
            ScheduleGroup: settings.group,
            MaxResults: '100',
            ...(token && { NextToken: token }),
          },
        });
        for (const schedule of page.Schedules ?? []) {
          const key = schedule.Name ? byName.get(schedule.Name) : undefined;
          // Made or moved at its last modification, to end rememberFor later.
          if (key && schedule.LastModificationDate !== undefined) {
            ends.set(
              key,
              new Date(Math.ceil(schedule.LastModificationDate + settings.rememberForSeconds) * 1000),
            );
          }
        }
        token = page.NextToken;
      } while (token);
      return ends;
    },
  };
}
