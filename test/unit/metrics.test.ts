import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRequestMetrics, METRICS_NAMESPACE } from '../../functions/metrics.js';

let lines: string[];
const write = process.stdout.write;
beforeEach(() => {
  lines = [];
  delete process.env.POWERTOOLS_METRICS_DISABLED;
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = write;
});

/** The EMF documents written, as CloudWatch would read them. */
const emf = () =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('_aws'))
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: {
            CloudWatchMetrics: Array<{
              Namespace: string;
              Dimensions: string[][];
              Metrics: Array<{ Name: string; Unit: string }>;
            }>;
          };
        },
    );

it('publishes Requests by route and status, CognitoLatency by operation, and Throttled, in EMF', () => {
  const metrics = createRequestMetrics();
  metrics.record({
    route: 'listDevices',
    status: 429,
    code: 'too_many_requests',
    cognitoOperation: 'ListDevices',
    cognitoMs: 12.5,
  });
  const docs = emf();
  const byMetric = Object.fromEntries(docs.map((d) => [d._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name, d]));
  expect(Object.keys(byMetric).sort()).toEqual(['CognitoLatency', 'Requests', 'Throttled']);
  for (const doc of docs) expect(doc._aws.CloudWatchMetrics[0]?.Namespace).toBe(METRICS_NAMESPACE);
  expect(byMetric.Requests).toMatchObject({
    route: 'listDevices',
    status: '429',
    Requests: 1,
    service: 'cognito-device-bff',
  });
  expect(byMetric.Requests?._aws.CloudWatchMetrics[0]?.Dimensions[0]).toEqual(
    expect.arrayContaining(['route', 'status']),
  );
  expect(byMetric.CognitoLatency).toMatchObject({ operation: 'ListDevices', CognitoLatency: 12.5 });
  expect(byMetric.CognitoLatency?._aws.CloudWatchMetrics[0]?.Metrics[0]?.Unit).toBe('Milliseconds');
  expect(byMetric.Throttled).toMatchObject({ Throttled: 1 });
});

it('records no latency for requests refused before Cognito', () => {
  createRequestMetrics().record({ route: 'getDevice', status: 401, code: 'missing_token' });
  expect(emf().map((d) => d._aws.CloudWatchMetrics[0]?.Metrics[0]?.Name)).toEqual(['Requests']);
});
