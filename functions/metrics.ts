import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RequestMetrics } from './http/route-handler.js';

/** CloudWatch namespace of the BFF's own metrics; the stack's alarms and dashboard read them from here. */
export const METRICS_NAMESPACE = 'CognitoDeviceBff';

/**
 * EMF metrics (Powertools), one line per request, published at once:
 * `Requests` by route and status, `CognitoLatency` by operation, and `Throttled` (any 429) without
 * dimensions so that one alarm covers every route.
 */
export function createRequestMetrics(): RequestMetrics {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'cognito-device-bff' });
  return {
    record(outcome) {
      const requests = metrics.singleMetric();
      requests.addDimensions({ route: outcome.route, status: String(outcome.status) });
      requests.addMetric('Requests', MetricUnit.Count, 1);
      if (outcome.cognitoOperation && outcome.cognitoMs !== undefined) {
        const latency = metrics.singleMetric();
        latency.addDimension('operation', outcome.cognitoOperation);
        latency.addMetric('CognitoLatency', MetricUnit.Milliseconds, outcome.cognitoMs);
      }
      if (outcome.status === 429) metrics.singleMetric().addMetric('Throttled', MetricUnit.Count, 1);
    },
  };
}
