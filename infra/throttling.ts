import { type QuotaCategory, type RouteDefinition, routeList } from '../functions/routes.js';

/**
 * Cognito's default per-account, per-region request-rate quotas (requests/s) for the categories the device
 * operations count against: ConfirmDevice, UpdateDeviceStatus and ForgetDevice are UserResourceUpdate;
 * GetDevice and ListDevices are UserResourceRead.
 */
export const cognitoQuotas: Record<QuotaCategory, number> = { UserResourceUpdate: 25, UserResourceRead: 50 };

export interface RouteThrottle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Splits `share` of each quota evenly over the routes in that category, so that the routes of a category
 * together never sustain more than the quota. Bursts equal the rate: a full bucket never lets a category
 * take more than its share in any one second beyond the refill.
 */
export function routeThrottles(
  share: number,
  routes: readonly RouteDefinition[] = routeList,
): Map<string, RouteThrottle> {
  const throttles = new Map<string, RouteThrottle>();
  for (const route of routes) {
    const peers = routes.filter((r) => r.quota === route.quota).length;
    const rate = Math.max(1, Math.floor((cognitoQuotas[route.quota] * share) / peers));
    throttles.set(`${route.method} ${route.path}`, { rateLimit: rate, burstLimit: rate });
  }
  return throttles;
}
