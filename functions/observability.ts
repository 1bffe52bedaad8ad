/**
 * The observability ports every part of the functions uses (routes, triggers, the trust targets, the event delivery,
 * the edge): where log lines and request metrics go. Powertools' Logger and the EMF writer (functions/metrics.ts)
 * satisfy them in production; tests pass recording fakes. Callers pass identifiers and codes only: never tokens,
 * verifiers or request bodies.
 */
export interface Log {
  info(message: string, extra: Record<string, unknown>): void;
  warn(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

/** How a request ended, for metrics: no token, no body, the user's `sub` at most. */
export interface RequestOutcome {
  readonly route: string;
  readonly status: number;
  readonly code?: string | undefined;
  readonly cognitoOperation?: string | undefined;
  readonly cognitoMs?: number | undefined;
  /** The error said our deployment is wrong (device tracking off, a missing permission, a misrouted request). */
  readonly misconfigured?: boolean | undefined;
}

/** The request metrics port: EMF in production (functions/metrics.ts), a recorder in tests. */
export interface RequestMetrics {
  record(outcome: RequestOutcome): void;
}
