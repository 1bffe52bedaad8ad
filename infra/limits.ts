import { fallbackRoute, type RouteId, routeList, routes } from '../functions/routes.js';
import type { StageConfig } from './config.js';

/**
 * The limits the deployed API enforces, from the stage config: used by the stack (API Gateway's throttles, Lambda's
 * reserved concurrency) and by the local API, which enforces the same ones. No CDK import, so the local stack
 * loads fast.
 */
export interface ApiLimits {
  /** All routes together (the stage's default route settings). */
  readonly stage: Throttle;
  /** Routes with a throttle of their own, by route id. */
  readonly routes: Partial<Record<RouteId, Throttle>>;
  /**
   * Reserved concurrency by function (route id, `notFound` for `$default`, `edgeAuthorizer` for the edge's
   * authorizer); absent: none.
   */
  readonly concurrency: Partial<Record<RouteId | typeof fallbackRoute.id | 'edgeAuthorizer', number>>;
}

export interface Throttle {
  /** Requests per second, steady. */
  readonly rate: number;
  readonly burst: number;
}

/** AWS keeps this much of an account's Lambda concurrency unreserved ("Lambda function scaling"). */
export const UNRESERVED_MINIMUM = 100;
/** Service Quotas code of Lambda's "Concurrent executions". */
export const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

export function apiLimits(config: StageConfig): ApiLimits {
  const concurrency: Record<string, number> = {};
  const ids = [fallbackRoute.id, ...routeList.map((r) => r.id), ...(config.edge ? ['edgeAuthorizer'] : [])];
  for (const id of ids) {
    const reserved =
      id === routes.forgetOtherDevices.id ? config.forgetOthersConcurrency : config.reservedConcurrency;
    if (reserved > 0) concurrency[id] = reserved;
  }
  return {
    stage: { rate: config.apiRateLimit, burst: config.apiBurstLimit },
    routes: {
      forgetOtherDevices: { rate: config.forgetOthersRateLimit, burst: config.forgetOthersBurstLimit },
    },
    concurrency,
  };
}

/** What the functions reserve in all, and the account concurrency that needs. */
export function concurrencyNeeds(config: StageConfig): { reserved: number; accountNeeded: number } {
  const reserved = Object.values(apiLimits(config).concurrency).reduce((sum, n) => sum + (n ?? 0), 0);
  return { reserved, accountNeeded: reserved === 0 ? 0 : reserved + UNRESERVED_MINIMUM };
}
