import type * as z from 'zod/mini';
import { type Region, required, type Trust } from '../environment.js';
import { type CheckSchedules, createCheckSchedules } from './checks.js';
import { createTrustSchedules, type TrustRecordList, type TrustSchedules } from './schedules.js';

/** The most one EventBridge Scheduler call may take on a request's path: a slow scheduler fails fast, never the request. */
export const SCHEDULER_CALL_TIMEOUT_MS = 1_500;

type TrustVariables = z.infer<z.ZodMiniObject<typeof Trust & typeof Region>>;

/** `rememberFor`'s settings, as a function's environment (functions/environment.ts, `Trust`) gives them. */
export interface TrustSettings {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly rememberForSeconds: number;
  readonly group: string;
  readonly roleArn: string | undefined;
  readonly expiryArn: string | undefined;
  readonly checkArn: string | undefined;
  readonly checkDelaySeconds: number;
}

const WITH_REMEMBER_FOR = 'with REMEMBER_FOR_SECONDS';

/** The settings, or undefined when the stage does not limit trust (`REMEMBER_FOR_SECONDS` unset). */
export function trustSettings(e: TrustVariables): TrustSettings | undefined {
  if (e.REMEMBER_FOR_SECONDS === undefined) return undefined;
  return {
    region: e.AWS_REGION,
    endpoint: e.SCHEDULER_ENDPOINT,
    rememberForSeconds: e.REMEMBER_FOR_SECONDS,
    group: required(e.TRUST_GROUP, 'TRUST_GROUP', WITH_REMEMBER_FOR),
    roleArn: e.TRUST_ROLE_ARN,
    expiryArn: e.TRUST_EXPIRY_ARN,
    checkArn: e.TRUST_CHECK_ARN,
    checkDelaySeconds: e.TRUST_CHECK_DELAY_SECONDS,
  };
}

/**
 * The trust records. The expiry only reads and deletes them, so it needs no target or role to write them with (and
 * could not name itself); the API names its pool, the check takes the pool its input names.
 */
export function trustRecords(
  settings: TrustSettings,
  options: { readonly timeoutMs?: number; readonly writes?: boolean; readonly userPoolId?: string } = {},
): TrustSchedules & TrustRecordList {
  const writes = options.writes ?? true;
  return createTrustSchedules({
    region: settings.region,
    endpoint: settings.endpoint,
    group: settings.group,
    roleArn: writes ? required(settings.roleArn, 'TRUST_ROLE_ARN', WITH_REMEMBER_FOR) : undefined,
    targetArn: writes ? required(settings.expiryArn, 'TRUST_EXPIRY_ARN', WITH_REMEMBER_FOR) : undefined,
    timeoutMs: options.timeoutMs ?? SCHEDULER_CALL_TIMEOUT_MS,
    userPoolId: options.userPoolId,
    rememberForSeconds: settings.rememberForSeconds,
  });
}

/** The checks after sign-ins, which the post-authentication trigger makes. */
export function trustChecks(settings: TrustSettings, timeoutMs: number): CheckSchedules {
  return createCheckSchedules({
    region: settings.region,
    endpoint: settings.endpoint,
    group: settings.group,
    roleArn: required(settings.roleArn, 'TRUST_ROLE_ARN', WITH_REMEMBER_FOR),
    targetArn: required(settings.checkArn, 'TRUST_CHECK_ARN', WITH_REMEMBER_FOR),
    delaySeconds: settings.checkDelaySeconds,
    timeoutMs,
  });
}
