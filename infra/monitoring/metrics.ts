import { Duration } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { type IMetric, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../functions/metric-names.js';

export const PERIOD = Duration.minutes(5);

/**
 * One of our EMF metrics for one route, or for every route together without `route` (functions/metrics.ts writes
 * both dimension sets: an alarm may use 10 metrics at most, fewer than there are routes).
 */
export const ownMetric = (metricName: string, route?: string, statistic = 'Sum') =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    statistic,
    period: PERIOD,
    label: route ? `${metricName} ${route}` : metricName,
    dimensionsMap: route ? { service: METRICS_SERVICE, route } : { service: METRICS_SERVICE },
  });

// Metric ids must be unique within a widget or alarm, hence a prefix per expression.
const sumOf = (label: string, prefix: string, metrics: IMetric[]) =>
  new MathExpression({
    label,
    expression: metrics.map((_, i) => `${prefix}${i}`).join(' + ') || '0',
    usingMetrics: Object.fromEntries(metrics.map((m, i) => [`${prefix}${i}`, m])),
    period: PERIOD,
  });

/** What the alarms and the dashboard watch. */
export interface WatchedParts {
  readonly stage: HttpStage;
  readonly functions: readonly IFunction[];
  readonly webAcl?: CfnWebACL;
  readonly eventQueues?: { readonly retry: IQueue; readonly deadLetter: IQueue };
}

/** The metrics of the API, its functions, our EMF metrics, the events' queues and the edge, each named once. */
export function watchedMetrics(parts: WatchedParts) {
  const { stage, functions } = parts;
  const requests = stage.metricCount({ period: PERIOD, statistic: 'Sum' });
  const serverErrors = stage.metricServerError({ period: PERIOD, statistic: 'Sum' });
  const invocations = sumOf(
    'Function invocations',
    'invocations',
    functions.map((f) => f.metricInvocations({ period: PERIOD })),
  );
  const unauthorized = ownMetric('Unauthorized');
  const answered = ownMetric('Requests');
  return {
    requests,
    serverErrors,
    clientErrors: stage.metricClientError({ period: PERIOD }),
    latencyP50: stage.metricLatency({ period: PERIOD, statistic: 'p50' }),
    latencyP99: stage.metricLatency({ period: PERIOD, statistic: 'p99' }),
    integrationLatencyP99: stage.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' }),
    functionErrors: sumOf(
      'Function errors',
      'errors',
      functions.map((f) => f.metricErrors({ period: PERIOD })),
    ),
    functionThrottles: sumOf(
      'Function throttles',
      'throttles',
      functions.map((f) => f.metricThrottles({ period: PERIOD })),
    ),
    // Every route together: the `service`-only totals (alarms cannot use SEARCH, nor sum more than 10 metrics).
    throttled: ownMetric('Throttled'),
    // Every request API Gateway lets through invokes a function; the rest it answered itself.
    gatewayRejected: new MathExpression({
      label: 'Answered by API Gateway itself (429, 413…)',
      expression: 'MAX([0, requests - invocations])',
      usingMetrics: { requests, invocations },
      period: PERIOD,
    }),
    unauthorized,
    misconfigured: ownMetric('Misconfigured'),
    unauthorizedRate: new MathExpression({
      label: '401 rate (%)',
      expression: 'IF(answered >= 100, 100 * unauthorized / answered, 0)',
      usingMetrics: { unauthorized, answered },
      period: PERIOD,
    }),
    serverErrorRate: new MathExpression({
      label: '5xx rate (%)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: serverErrors, requests },
      period: PERIOD,
    }),
    events: parts.eventQueues && {
      deferred: ownMetric('EventsDeferred').with({ label: 'Kept in the retry queue' }),
      deadLettered: parts.eventQueues.deadLetter.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
        label: 'Events dead-lettered',
      }),
      oldestWaiting: parts.eventQueues.retry.metricApproximateAgeOfOldestMessage({
        period: PERIOD,
        statistic: 'Maximum',
      }),
    },
    edgeBlocked:
      parts.webAcl &&
      new Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: parts.webAcl.name ?? '', Rule: 'ALL' },
        statistic: 'Sum',
        period: PERIOD,
        label: 'Blocked at the edge (WAF)',
      }),
  };
}

export type WatchedMetrics = ReturnType<typeof watchedMetrics>;
