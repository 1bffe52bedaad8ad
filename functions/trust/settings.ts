import * as z from 'zod/mini';
import { createTrustSchedules, type TrustRecordList, type TrustSchedules } from './schedules.js';

/** The most one EventBridge Scheduler call may take on a request's path: a slow scheduler fails fast, never the request. */
export const SCHEDULER_CALL_TIMEOUT_MS = 1_500;

/**
 * `rememberFor`'s settings, as the stack gives them to each function that takes part (the API functions, the
 * post-authentication trigger, the trust check); all unset when the stage does not limit trust. Parsed on their
 * own so that the trigger and the trust functions need nothing of the API's configuration.
 */
const TrustEnv = z.object({
  AWS_REGION: z._default(z.string(), 'us-east-1'),
  USER_POOL_ID: z.optional(z.string()),
  REMEMBER_FOR_SECONDS: z.optional(z.coerce.number().check(z.int(), z.positive())),
  TRUST_GROUP: z.optional(z.string().check(z.minLength(1))),
  TRUST_ROLE_ARN: z.optional(z.string().check(z.minLength(1))),
  TRUST_EXPIRY_ARN: z.optional(z.string().check(z.minLength(1))),
  TRUST_CHECK_ARN: z.optional(z.string().check(z.minLength(1))),
  /** How long after a sign-in its user's devices are checked (the new device is confirmed after the sign-in). */
  TRUST_CHECK_DELAY_SECONDS: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 600),
  /** Local stack only: where the EventBridge Scheduler stand-in listens. */
  SCHEDULER_ENDPOINT: z.optional(z.url()),
});

/** The parsed settings, for the checks' own factory (functions/trust/checks.ts). */
export type TrustEnvironment = z.infer<typeof TrustEnv>;
export const parseTrustEnvironment = (env: Record<string, string | undefined>): TrustEnvironment =>
  TrustEnv.parse(env);

/**
 * The trust schedules, or undefined when the stage does not limit trust (`REMEMBER_FOR_SECONDS` unset). The expiry
 * only reads and deletes records, so it needs no target or role to write them with (and could not name itself).
 */
export function trustFromEnv(
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number; writes?: boolean } = {},
): (TrustSchedules & TrustRecordList) | undefined {
  const e = TrustEnv.parse(env);
  if (e.REMEMBER_FOR_SECONDS === undefined) return undefined;
  const writes = options.writes ?? true;
  return createTrustSchedules({
    region: e.AWS_REGION,
    endpoint: e.SCHEDULER_ENDPOINT,
    group: need(e.TRUST_GROUP, 'TRUST_GROUP'),
    roleArn: writes ? need(e.TRUST_ROLE_ARN, 'TRUST_ROLE_ARN') : undefined,
    targetArn: writes ? need(e.TRUST_EXPIRY_ARN, 'TRUST_EXPIRY_ARN') : undefined,
    timeoutMs: options.timeoutMs ?? SCHEDULER_CALL_TIMEOUT_MS,
    userPoolId: e.USER_POOL_ID,
    rememberForSeconds: e.REMEMBER_FOR_SECONDS,
  });
}

export function need(value: string | undefined, name: string): string {
  if (!value) throw new Error(`Invalid environment: ${name} is required with REMEMBER_FOR_SECONDS`);
  return value;
}
