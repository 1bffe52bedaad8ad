import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { WatchedMetrics } from './metrics.js';

/**
 * Thresholds of the alarms; what each alarm means and what to do is in
 * [the alarms runbook](https://github.com/cognito-device-bff/cognito-device-bff/blob/main/docs/operations.md#alarms-what-they-mean-and-what-to-do).
 * Chosen for a small product: any sustained server error or throttling deserves a look.
 */
export class AlarmThresholds {
  /** % of requests answered 5xx (ours or API Gateway's), 3 periods in a row. */
  static readonly SERVER_ERROR_RATE_PERCENT = 1;
  /** Requests answered 429 because Cognito throttled us, per 5 minutes, 2 periods in a row. */
  static readonly THROTTLED_PER_5_MIN = 10;
  /** Function errors (crashes, timeouts) per 5 minutes, any period. */
  static readonly FUNCTION_ERRORS = 1;
  /** Lambda throttles (concurrency exhausted) per 5 minutes, any period. */
  static readonly FUNCTION_THROTTLES = 1;
  /** API p99 latency in ms, 3 periods in a row. */
  static readonly P99_LATENCY_MS = 3_000;
  /**
   * Requests API Gateway answered itself (throttled 429, payload too large…) and no function saw, per
   * 5 minutes, 2 periods in a row: the stage limit is being hit, by a flood or by growth.
   */
  static readonly GATEWAY_REJECTED_PER_5_MIN = 100;
  /** % of requests answered 401, over at least 100 requests per 5 minutes, 3 periods in a row. */
  static readonly UNAUTHORIZED_RATE_PERCENT = 25;
  /** Requests the edge's WAF blocked, per 5 minutes, 2 periods in a row. */
  static readonly EDGE_BLOCKED_PER_5_MIN = 1_000;
  /**
   * Requests the functions answered `misconfigured` or `invalid_user_pool_configuration`, any period: the pool has
   * device tracking off (an UpdateUserPool that left DeviceConfiguration out turns it off: aws/aws-cdk #33282), a
   * function lacks a permission, or a route reached the wrong function.
   */
  static readonly MISCONFIGURED_PER_5_MIN = 1;
  /** Device events in the dead-letter queue (EventBridge refused them for 12 hours), any period. */
  static readonly EVENTS_DEAD_LETTERED = 1;

  private constructor() {}
}

/** One alarm: over `threshold` for `periods` periods of 5 minutes in a row. */
export interface AlarmSpec {
  readonly id: string;
  readonly description: string;
  readonly metric: IMetric;
  readonly threshold: number;
  readonly periods: number;
}

/** The alarms, as data: what each means and what to do is in docs/operations.md, "Alarms". */
export function alarmSpecs(m: WatchedMetrics): AlarmSpec[] {
  const t = AlarmThresholds;
  return [
    {
      id: 'ServerErrorRate',
      description: `5xx on ≥ ${t.SERVER_ERROR_RATE_PERCENT}% of requests for 15 min`,
      metric: m.serverErrorRate,
      threshold: t.SERVER_ERROR_RATE_PERCENT,
      periods: 3,
    },
    {
      id: 'Throttled',
      description: `≥ ${t.THROTTLED_PER_5_MIN} requests per 5 min throttled by Cognito, for 10 min`,
      metric: m.throttled,
      threshold: t.THROTTLED_PER_5_MIN,
      periods: 2,
    },
    {
      id: 'FunctionErrors',
      description: 'A function crashed or timed out',
      metric: m.functionErrors,
      threshold: t.FUNCTION_ERRORS,
      periods: 1,
    },
    {
      id: 'FunctionThrottles',
      description: 'Lambda refused invocations (concurrency)',
      metric: m.functionThrottles,
      threshold: t.FUNCTION_THROTTLES,
      periods: 1,
    },
    {
      id: 'LatencyP99',
      description: `p99 latency ≥ ${t.P99_LATENCY_MS} ms for 15 min`,
      metric: m.latencyP99,
      threshold: t.P99_LATENCY_MS,
      periods: 3,
    },
    {
      id: 'GatewayRejected',
      description: `≥ ${t.GATEWAY_REJECTED_PER_5_MIN} requests per 5 min answered by API Gateway itself (stage throttle), for 10 min`,
      metric: m.gatewayRejected,
      threshold: t.GATEWAY_REJECTED_PER_5_MIN,
      periods: 2,
    },
    {
      id: 'UnauthorizedRate',
      description: `≥ ${t.UNAUTHORIZED_RATE_PERCENT}% of requests answered 401 for 15 min`,
      metric: m.unauthorizedRate,
      threshold: t.UNAUTHORIZED_RATE_PERCENT,
      periods: 3,
    },
    {
      id: 'Misconfigured',
      description:
        'The functions found the pool or the stack misconfigured (device tracking off, a missing permission): every device request fails until fixed',
      metric: m.misconfigured,
      threshold: t.MISCONFIGURED_PER_5_MIN,
      periods: 1,
    },
    ...(m.events
      ? [
          {
            id: 'EventsDeadLettered',
            description:
              'Device events EventBridge refused for 12 hours wait in the dead-letter queue: subscribers have not had them; the changes stand',
            metric: m.events.deadLettered,
            threshold: t.EVENTS_DEAD_LETTERED,
            periods: 1,
          },
        ]
      : []),
    ...(m.edgeBlocked
      ? [
          {
            id: 'EdgeBlocked',
            description: `≥ ${t.EDGE_BLOCKED_PER_5_MIN} requests per 5 min blocked by the edge WAF, for 10 min`,
            metric: m.edgeBlocked,
            threshold: t.EDGE_BLOCKED_PER_5_MIN,
            periods: 2,
          },
        ]
      : []),
  ];
}
