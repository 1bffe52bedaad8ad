import { GraphWidget, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { routeList } from '../../functions/routes.js';
import { ownMetric, type WatchedMetrics } from './metrics.js';

/** The dashboard's rows: traffic and latency; Cognito; abuse; and the device events' queues, with events. */
export function dashboardWidgets(m: WatchedMetrics): IWidget[][] {
  return [
    [
      new GraphWidget({ title: 'Requests and errors', left: [m.requests, m.clientErrors, m.serverErrors] }),
      new GraphWidget({ title: '5xx rate (%)', left: [m.serverErrorRate] }),
      new GraphWidget({ title: 'Latency (ms)', left: [m.latencyP50, m.latencyP99, m.integrationLatencyP99] }),
    ],
    [
      new GraphWidget({
        title: 'Cognito latency p99 by operation (ms)',
        left: routeList.map((r) =>
          ownMetric('CognitoLatency', r.id, 'p99').with({ label: r.cognitoOperation }),
        ),
      }),
      new GraphWidget({ title: 'Throttled by Cognito (429)', left: [m.throttled] }),
      new GraphWidget({
        title: 'Function errors and throttles',
        left: [m.functionErrors, m.functionThrottles],
      }),
    ],
    [
      new GraphWidget({
        title: 'Abuse: answered by API Gateway, 401s, blocked at the edge',
        left: [m.gatewayRejected, m.unauthorized, ...(m.edgeBlocked ? [m.edgeBlocked] : [])],
      }),
      new GraphWidget({ title: '401 rate (%)', left: [m.unauthorizedRate] }),
      new GraphWidget({ title: 'Misconfigured (device tracking off, permissions)', left: [m.misconfigured] }),
    ],
    ...(m.events
      ? [
          [
            new GraphWidget({
              title: 'Device events kept for later, and dead-lettered',
              left: [m.events.deferred, m.events.deadLettered],
            }),
            new GraphWidget({
              title: 'Oldest event waiting in the retry queue (s)',
              left: [m.events.oldestWaiting],
            }),
          ],
        ]
      : []),
  ];
}
