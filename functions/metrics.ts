import { METRICS_NAMESPACE, METRICS_SERVICE } from './metric-names.js';
import type { RequestMetrics } from './observability.js';

export { METRICS_NAMESPACE, METRICS_SERVICE };

type Unit = 'Count' | 'Milliseconds';

/**
 * CloudWatch's embedded metric format: a JSON document on one line of the function's output, which Lambda sends to
 * CloudWatch Logs and CloudWatch turns into metrics ("Specification: Embedded metric format", CloudWatch User Guide):
 * `_aws` names the namespace, the dimension sets and each metric's unit; the dimensions' and metrics' values are the
 * document's own members. Written here rather than with Powertools Metrics, whose 14 KB the API bundle, held to 0.9×
 * the SDK floor, had no room for (docs/performance.md); it is this one function.
 */
function emit(
  dimensions: Record<string, string>,
  metrics: ReadonlyArray<readonly [string, Unit, number]>,
  /** Also as the `service`-only total: what alarms read, one metric instead of a sum over every route. */
  total = false,
): void {
  const document = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRICS_NAMESPACE,
          Dimensions: total ? [Object.keys(dimensions), ['service']] : [Object.keys(dimensions)],
          Metrics: metrics.map(([Name, Unit]) => ({ Name, Unit })),
        },
      ],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map(([name, , value]) => [name, value])),
  };
  process.stdout.write(`${JSON.stringify(document)}\n`);
}

export interface MetricsOptions {
  /** Writes nothing (the local stack: EMF lines are for CloudWatch, locally they would clutter the terminal). */
  readonly disabled?: boolean;
}

/**
 * One EMF document per request, dimensions `service` and `route` (and `service` alone: the totals the alarms read),
 * holding `Requests`, `CognitoLatency` (the route
 * names the Cognito operation), `Unauthorized` (401), `Throttled` (429), `ServerErrors` (5xx) and `Misconfigured` (our
 * deployment is wrong: the pool has device tracking off, a function lacks a permission, a request reached a function
 * that does not serve its route). One document, not one per metric: the benchmark measured three documents at
 * ~0.4 ms per request on our machines.
 */
export function createRequestMetrics(options: MetricsOptions = {}): RequestMetrics {
  return {
    record(outcome) {
      if (options.disabled) return;
      const metrics: Array<readonly [string, Unit, number]> = [['Requests', 'Count', 1]];
      if (outcome.cognitoMs !== undefined)
        metrics.push(['CognitoLatency', 'Milliseconds', outcome.cognitoMs]);
      if (outcome.status === 401) metrics.push(['Unauthorized', 'Count', 1]);
      if (outcome.status === 429) metrics.push(['Throttled', 'Count', 1]);
      if (outcome.status >= 500) metrics.push(['ServerErrors', 'Count', 1]);
      if (outcome.misconfigured) metrics.push(['Misconfigured', 'Count', 1]);
      emit({ service: METRICS_SERVICE, route: outcome.route }, metrics, true);
    },
  };
}

/**
 * `EventsDeferred`: device events EventBridge did not take at once, kept in the retry queue for later (the delivery
 * retries them; the `EventsDeadLettered` alarm fires only if they still are not taken when the queue gives up), one
 * EMF document per invocation that had some, dimension `service` only.
 */
export function createDeliveryMetrics(options: MetricsOptions = {}): { deferred(count: number): void } {
  return {
    deferred(count) {
      if (!options.disabled) emit({ service: METRICS_SERVICE }, [['EventsDeferred', 'Count', count]]);
    },
  };
}
