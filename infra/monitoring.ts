import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../functions/metric-names.js';
import { routeList } from '../functions/routes.js';

const PERIOD = Duration.minutes(5);

/**
 * Thresholds of the alarms; what each alarm means and what to do is in the README ("Alarms").
 * Chosen for a small product: any sustained server error or throttling deserves a look.
 */
export const alarmThresholds = {
  /** % of requests answered 5xx (ours or API Gateway's), 3 periods in a row. */
  serverErrorRatePercent: 1,
  /** Requests answered 429 because Cognito throttled us, per 5 minutes, 2 periods in a row. */
  throttledPer5Min: 10,
  /** Function errors (crashes, timeouts) per 5 minutes, any period. */
  functionErrors: 1,
  /** Lambda throttles (concurrency exhausted) per 5 minutes, any period. */
  functionThrottles: 1,
  /** API p99 latency in ms, 3 periods in a row. */
  p99LatencyMs: 3_000,
  /**
   * Requests API Gateway answered itself (throttled 429, payload too large…) and no function saw, per
   * 5 minutes, 2 periods in a row: the stage limit is being hit, by a flood or by growth.
   */
  gatewayRejectedPer5Min: 100,
  /** % of requests answered 401, over at least 100 requests per 5 minutes, 3 periods in a row. */
  unauthorizedRatePercent: 25,
  /** Requests the edge's WAF blocked, per 5 minutes, 2 periods in a row. */
  edgeBlockedPer5Min: 1_000,
  /**
   * Requests the functions answered `misconfigured` or `invalid_user_pool_configuration`, any period: the pool has
   * device tracking off (an UpdateUserPool that left DeviceConfiguration out turns it off: aws/aws-cdk #33282), a
   * function lacks a permission, or a route reached the wrong function.
   */
  misconfiguredPer5Min: 1,
  /** Device events in the dead-letter queue (EventBridge refused them for 12 hours), any period. */
  eventsDeadLettered: 1,
};

export interface MonitoringProps {
  readonly stage: HttpStage;
  readonly functions: readonly IFunction[];
  readonly stageName: string;
  /** The edge's web ACL, when there is one. */
  readonly webAcl?: CfnWebACL;
  /** Where alarms go; absent: a new topic, encrypted with a new key CloudWatch may use. */
  readonly topic?: ITopic;
  /** With device events: the delivery's queues (`EventsDeadLettered` alarms on the dead-letter queue). */
  readonly eventQueues?: { readonly retry: IQueue; readonly deadLetter: IQueue };
}

/** Alarms (to an SNS topic ops subscribe to) and a dashboard over the API, the functions and our EMF metrics. */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.topic = props.topic ?? this.createTopic(props.stageName);
    const { stage } = props;
    const requests = stage.metricCount({ period: PERIOD, statistic: 'Sum' });
    const serverErrors = stage.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const latencyP99 = stage.metricLatency({ period: PERIOD, statistic: 'p99' });
    /**
     * One of our EMF metrics for one route, or for every route together without `route` (functions/metrics.ts writes
     * both dimension sets: an alarm may use 10 metrics at most, fewer than there are routes).
     */
    const own = (metricName: string, route?: string, statistic = 'Sum') =>
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
    const functionErrors = sumOf(
      'Function errors',
      'errors',
      props.functions.map((f) => f.metricErrors({ period: PERIOD })),
    );
    const functionThrottles = sumOf(
      'Function throttles',
      'throttles',
      props.functions.map((f) => f.metricThrottles({ period: PERIOD })),
    );
    // Every route together: the `service`-only totals (alarms cannot use SEARCH, nor sum more than 10 metrics).
    const throttled = own('Throttled');
    const invocations = sumOf(
      'Function invocations',
      'invocations',
      props.functions.map((f) => f.metricInvocations({ period: PERIOD })),
    );
    // Every request API Gateway lets through invokes a function; the rest it answered itself.
    const gatewayRejected = new MathExpression({
      label: 'Answered by API Gateway itself (429, 413…)',
      expression: 'MAX([0, requests - invocations])',
      usingMetrics: { requests, invocations },
      period: PERIOD,
    });
    const unauthorized = own('Unauthorized');
    const answered = own('Requests');
    const misconfigured = own('Misconfigured');
    const unauthorizedRate = new MathExpression({
      label: '401 rate (%)',
      expression: 'IF(answered >= 100, 100 * unauthorized / answered, 0)',
      usingMetrics: { unauthorized, answered },
      period: PERIOD,
    });
    const serverErrorRate = new MathExpression({
      label: '5xx rate (%)',
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: { errors: serverErrors, requests },
      period: PERIOD,
    });

    const alarm = (id: string, description: string, metric: IMetric, threshold: number, periods: number) => {
      const created = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: periods,
        datapointsToAlarm: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      created.addOkAction(new SnsAction(this.topic));
      this.alarms.push(created);
    };
    const t = alarmThresholds;
    alarm(
      'ServerErrorRate',
      `5xx on ≥ ${t.serverErrorRatePercent}% of requests for 15 min`,
      serverErrorRate,
      t.serverErrorRatePercent,
      3,
    );
    alarm(
      'Throttled',
      `≥ ${t.throttledPer5Min} requests per 5 min throttled by Cognito, for 10 min`,
      throttled,
      t.throttledPer5Min,
      2,
    );
    alarm('FunctionErrors', 'A function crashed or timed out', functionErrors, t.functionErrors, 1);
    alarm(
      'FunctionThrottles',
      'Lambda refused invocations (concurrency)',
      functionThrottles,
      t.functionThrottles,
      1,
    );
    alarm('LatencyP99', `p99 latency ≥ ${t.p99LatencyMs} ms for 15 min`, latencyP99, t.p99LatencyMs, 3);
    alarm(
      'GatewayRejected',
      `≥ ${t.gatewayRejectedPer5Min} requests per 5 min answered by API Gateway itself (stage throttle), for 10 min`,
      gatewayRejected,
      t.gatewayRejectedPer5Min,
      2,
    );
    alarm(
      'UnauthorizedRate',
      `≥ ${t.unauthorizedRatePercent}% of requests answered 401 for 15 min`,
      unauthorizedRate,
      t.unauthorizedRatePercent,
      3,
    );
    alarm(
      'Misconfigured',
      'The functions found the pool or the stack misconfigured (device tracking off, a missing permission): every device request fails until fixed',
      misconfigured,
      t.misconfiguredPer5Min,
      1,
    );
    const deadLettered = props.eventQueues?.deadLetter.metricApproximateNumberOfMessagesVisible({
      period: PERIOD,
      statistic: 'Maximum',
      label: 'Events dead-lettered',
    });
    if (deadLettered) {
      alarm(
        'EventsDeadLettered',
        'Device events EventBridge refused for 12 hours wait in the dead-letter queue: subscribers have not had them; the changes stand',
        deadLettered,
        t.eventsDeadLettered,
        1,
      );
    }
    const edgeBlocked = props.webAcl
      ? new Metric({
          namespace: 'AWS/WAFV2',
          metricName: 'BlockedRequests',
          dimensionsMap: { WebACL: props.webAcl.name ?? '', Rule: 'ALL' },
          statistic: 'Sum',
          period: PERIOD,
          label: 'Blocked at the edge (WAF)',
        })
      : undefined;
    if (edgeBlocked) {
      alarm(
        'EdgeBlocked',
        `≥ ${t.edgeBlockedPer5Min} requests per 5 min blocked by the edge WAF, for 10 min`,
        edgeBlocked,
        t.edgeBlockedPer5Min,
        2,
      );
    }

    new Dashboard(this, 'Dashboard', {
      dashboardName: `cognito-device-bff-${props.stageName}`,
      widgets: [
        [
          new GraphWidget({
            title: 'Requests and errors',
            left: [requests, stage.metricClientError({ period: PERIOD }), serverErrors],
          }),
          new GraphWidget({ title: '5xx rate (%)', left: [serverErrorRate] }),
          new GraphWidget({
            title: 'Latency (ms)',
            left: [
              stage.metricLatency({ period: PERIOD, statistic: 'p50' }),
              latencyP99,
              stage.metricIntegrationLatency({ period: PERIOD, statistic: 'p99' }),
            ],
          }),
        ],
        [
          new GraphWidget({
            title: 'Cognito latency p99 by operation (ms)',
            left: routeList.map((r) =>
              own('CognitoLatency', r.id, 'p99').with({ label: r.cognitoOperation }),
            ),
          }),
          new GraphWidget({ title: 'Throttled by Cognito (429)', left: [throttled] }),
          new GraphWidget({
            title: 'Function errors and throttles',
            left: [functionErrors, functionThrottles],
          }),
        ],
        [
          new GraphWidget({
            title: 'Abuse: answered by API Gateway, 401s, blocked at the edge',
            left: [gatewayRejected, unauthorized, ...(edgeBlocked ? [edgeBlocked] : [])],
          }),
          new GraphWidget({ title: '401 rate (%)', left: [unauthorizedRate] }),
          new GraphWidget({
            title: 'Misconfigured (device tracking off, permissions)',
            left: [misconfigured],
          }),
        ],
        ...(props.eventQueues && deadLettered
          ? [
              [
                new GraphWidget({
                  title: 'Device events kept for later, and dead-lettered',
                  left: [
                    new Metric({
                      namespace: METRICS_NAMESPACE,
                      metricName: 'EventsDeferred',
                      statistic: 'Sum',
                      period: PERIOD,
                      label: 'Kept in the retry queue',
                      dimensionsMap: { service: METRICS_SERVICE },
                    }),
                    deadLettered,
                  ],
                }),
                new GraphWidget({
                  title: 'Oldest event waiting in the retry queue (s)',
                  left: [
                    props.eventQueues.retry.metricApproximateAgeOfOldestMessage({
                      period: PERIOD,
                      statistic: 'Maximum',
                    }),
                  ],
                }),
              ],
            ]
          : []),
      ],
    });
  }

  /** The alarm topic: a customer-managed key, SSL only, CloudWatch of this account allowed to publish. */
  private createTopic(stageName: string): Topic {
    // A customer-managed key: CloudWatch cannot use the AWS-managed SNS key, so alarms on a topic encrypted
    // with it are never delivered. CloudWatch gets exactly the key use publishing needs.
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'AlarmTopicKey', {
      description: `Encrypts the Cognito device BFF alarm topic (${stageName})`,
      enableKeyRotation: true,
    });
    key.grant(cloudwatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: `Cognito device BFF alarms (${stageName})`,
      enforceSSL: true,
      masterKey: key,
    });
    // enforceSSL writes a topic policy that replaces the default one: CloudWatch alarms of this account
    // must be allowed to publish explicitly.
    const { account, region } = Stack.of(this);
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': account },
          ArnLike: {
            'aws:SourceArn': `arn:${Stack.of(this).partition}:cloudwatch:${region}:${account}:alarm:*`,
          },
        },
      }),
    );
    return topic;
  }
}
