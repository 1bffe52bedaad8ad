import { type FunctionId, fallbackRoute, functionOf, type RouteId, routeList } from '../functions/routes.js';

/**
 * The limits the deployed API enforces: used by the construct (API Gateway's throttles, Lambda's reserved
 * concurrency) and by the local API, which enforces the same ones. No CDK import, so the local stack loads fast.
 */
export interface ApiLimits {
  /** All routes together (the stage's default route settings). */
  readonly stage: Throttle;
  /** Routes with a throttle of their own, by route id. */
  readonly routes: Partial<Record<RouteId, Throttle>>;
  /** Reserved concurrency by function (`edgeAuthorizer` for the edge's authorizer); absent: none. */
  readonly concurrency: Partial<Record<FunctionId | 'edgeAuthorizer', number>>;
  /** The function each route (and `$default`, `notFound`) runs in. */
  readonly functions: Readonly<Record<RouteId | typeof fallbackRoute.id, FunctionId>>;
}

export interface Throttle {
  /** Requests per second, steady. */
  readonly rate: number;
  readonly burst: number;
}

/** What the limits are made of: the construct's props and a stage's config both provide these. */
export interface LimitSettings {
  readonly apiRateLimit: number;
  readonly apiBurstLimit: number;
  readonly reservedConcurrency: number;
  readonly forgetOthersConcurrency: number;
  readonly forgetOthersRateLimit: number;
  readonly forgetOthersBurstLimit: number;
  readonly edgeAuthorizerConcurrency: number;
  readonly edge: boolean;
  readonly fullDeviceView: boolean;
  /** The post-authentication trigger's reserved concurrency (0 or unset: none). */
  readonly triggerConcurrency?: number;
  /** With `rememberFor`: the trust expiry reserves {@link EXPIRY_CONCURRENCY}. */
  readonly trustExpiry?: boolean;
}

/** AWS keeps this much of an account's Lambda concurrency unreserved ("Lambda function scaling"). */
export const UNRESERVED_MINIMUM = 100;
/** Service Quotas code of Lambda's "Concurrent executions". */
export const CONCURRENCY_QUOTA_CODE = 'L-B99A9384';

export function apiLimits(settings: LimitSettings): ApiLimits {
  const functions = Object.fromEntries(
    [...routeList, fallbackRoute].map((route) => [route.id, functionOf(route, settings.fullDeviceView)]),
  ) as Record<RouteId | typeof fallbackRoute.id, FunctionId>;
  const reservedFor = (id: FunctionId | 'edgeAuthorizer') =>
    id === 'forgetOthers'
      ? settings.forgetOthersConcurrency
      : id === 'edgeAuthorizer'
        ? settings.edgeAuthorizerConcurrency
        : settings.reservedConcurrency;
  const ids = [...new Set(Object.values(functions)), ...(settings.edge ? (['edgeAuthorizer'] as const) : [])];
  const concurrency: Partial<Record<FunctionId | 'edgeAuthorizer', number>> = {};
  for (const id of ids) {
    const reserved = reservedFor(id);
    if (reserved > 0) concurrency[id] = reserved;
  }
  return {
    stage: { rate: settings.apiRateLimit, burst: settings.apiBurstLimit },
    routes: {
      forgetOtherDevices: { rate: settings.forgetOthersRateLimit, burst: settings.forgetOthersBurstLimit },
    },
    concurrency,
    functions,
  };
}

/** What the functions reserve in all, and the account concurrency that needs. */
export function concurrencyNeeds(settings: LimitSettings): { reserved: number; accountNeeded: number } {
  const reserved =
    Object.values(apiLimits(settings).concurrency).reduce((sum, n) => sum + (n ?? 0), 0) +
    (settings.triggerConcurrency ?? 0) +
    (settings.trustExpiry ? EXPIRY_CONCURRENCY : 0);
  return { reserved, accountNeeded: reserved === 0 ? 0 : reserved + UNRESERVED_MINIMUM };
}

/**
 * The trust expiry's reserved concurrency (with `rememberFor`): it retires devices one at a time, so however many
 * trusts end together (one user's devices all remembered at once, or many users'), its writes to Cognito stay a small
 * share of the account's UserResourceUpdate quota; the scheduler retries what Lambda throttles (docs/reliability.md,
 * "Expiring trust").
 */
export const EXPIRY_CONCURRENCY = 1;
