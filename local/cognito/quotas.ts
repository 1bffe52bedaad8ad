/**
 * Cognito's request-rate quotas, per account and region ("Quotas in Amazon Cognito"): each operation counts against
 * one category, and a call over its category's rate is refused with TooManyRequestsException "Rate exceeded". Off
 * unless asked for (`CognitoStandIn.limitRates`): tests and benchmarks that measure what the product does to a
 * shared quota turn it on, with the real rates or smaller ones.
 */
export type QuotaCategory = 'UserResourceUpdate' | 'UserResourceRead' | 'UserAuthentication' | 'UserToken';

/** The default rates (requests per second) of the categories the device API and sign-ins use. */
export const DEFAULT_RATES: Readonly<Record<QuotaCategory, number>> = {
  UserResourceUpdate: 25,
  UserResourceRead: 50,
  UserAuthentication: 120,
  UserToken: 120,
};

/** Which category an operation counts against (the quota page's lists for these categories). */
export function categoryOf(operation: string): QuotaCategory | undefined {
  if (/^(Admin)?(ConfirmDevice|UpdateDeviceStatus|ForgetDevice)$/.test(operation))
    return 'UserResourceUpdate';
  if (/^(Admin)?(GetDevice|ListDevices)$/.test(operation) || /^(Admin)?GetUser$/.test(operation))
    return 'UserResourceRead';
  if (/^(Admin)?(InitiateAuth|RespondToAuthChallenge)$/.test(operation)) return 'UserAuthentication';
  if (
    /^(GetTokensFromRefreshToken|RevokeToken|(Admin)?GlobalSignOut|AdminUserGlobalSignOut)$/.test(operation)
  )
    return 'UserToken';
  return undefined;
}

/** A token bucket per category, refilled continuously at its rate, holding one second's worth. */
export class RateLimits {
  private readonly buckets = new Map<QuotaCategory, { tokens: number; at: number }>();

  constructor(
    private readonly rates: Partial<Record<QuotaCategory, number>>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one request of `operation`; false when its category is over its rate. */
  take(operation: string): boolean {
    const category = categoryOf(operation);
    const rate = category && this.rates[category];
    if (!category || rate === undefined) return true;
    const now = this.now();
    const bucket = this.buckets.get(category) ?? { tokens: rate, at: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(category, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
