import { AwsServiceError } from '../aws/signed-request.js';
import { hash, oneTimeSchedule, schedulerClient, type TrustOwner } from './schedules.js';

/**
 * A check of one user's devices some minutes after each sign-in (the post-authentication trigger makes it): a device
 * remembered without this API (a sign-in library's ConfirmDevice in an `always` pool, or a direct UpdateDeviceStatus
 * with the user's token, an attacker's included) gets its trust schedule then, from when it was first seen.
 * One per user at a time: while one is waiting, another sign-in leaves it.
 */
export interface CheckSchedules {
  /** The pool comes from the trigger's event: the trigger's settings may not name the pool it is attached to. */
  schedule(owner: TrustOwner, userPoolId: string): Promise<void>;
}

/** What a check hands the trust-check function. */
export interface TrustCheckInput {
  readonly userPoolId: string;
  readonly username: string;
  readonly sub: string;
}

export const checkName = (sub: string) => `check-${hash(sub)}`;

export function createCheckSchedules(settings: {
  readonly region: string;
  readonly endpoint?: string | undefined;
  readonly group: string;
  readonly targetArn: string;
  readonly roleArn: string;
  readonly delaySeconds: number;
  readonly timeoutMs: number;
  readonly now?: () => number;
}): CheckSchedules {
  const client = schedulerClient(settings);
  const now = settings.now ?? Date.now;
  return {
    async schedule(owner, userPoolId) {
      const input: TrustCheckInput = {
        userPoolId,
        username: owner.username,
        sub: owner.sub,
      };
      try {
        await client.call({
          method: 'POST',
          path: `/schedules/${checkName(owner.sub)}`,
          body: oneTimeSchedule(
            settings.group,
            new Date(Math.ceil(now() / 1000) * 1000 + settings.delaySeconds * 1000),
            "Cognito device BFF: check a user's remembered devices after a sign-in",
            { Arn: settings.targetArn, RoleArn: settings.roleArn, Input: JSON.stringify(input) },
          ),
        });
      } catch (error) {
        // One is waiting already: it will see this sign-in's device too.
        if (!(error instanceof AwsServiceError && error.type === 'ConflictException')) throw error;
      }
    },
  };
}
