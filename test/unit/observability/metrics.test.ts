import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRequestMetrics, METRICS_NAMESPACE } from '../../../functions/metrics.js';

let lines: string[];
const write = process.stdout.write;
beforeEach(() => {
  lines = [];
  process.stdout.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
});
afterEach(() => {
  process.stdout.write = write;
});

type Emf = Record<string, unknown> & {
  _aws: {
    CloudWatchMetrics: Array<{
      Namespace: string;
      Dimensions: string[][];
      Metrics: Array<{ Name: string; Unit: string }>;
    }>;
  };
};
/** The EMF documents written, as CloudWatch would read them. */
const emf = (): Emf[] =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('_aws'))
    .map((l) => JSON.parse(l) as Emf);

it('publishes one EMF document per request, by route, with the request, its Cognito latency and a throttle', () => {
  createRequestMetrics().record({
    route: 'listDevices',
    status: 429,
    code: 'too_many_requests',
    cognitoOperation: 'ListDevices',
    cognitoMs: 12.5,
  });
  const [doc, ...more] = emf();
  expect(more).toEqual([]);
  const directive = doc?._aws.CloudWatchMetrics[0];
  expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
  // Per route, and every route together (what the alarms read).
  expect(directive?.Dimensions).toEqual([['service', 'route'], ['service']]);
  expect(directive?.Metrics).toEqual([
    { Name: 'Requests', Unit: 'Count' },
    { Name: 'CognitoLatency', Unit: 'Milliseconds' },
    { Name: 'Throttled', Unit: 'Count' },
  ]);
  expect(doc).toMatchObject({
    service: 'cognito-device-bff',
    route: 'listDevices',
    Requests: 1,
    CognitoLatency: 12.5,
    Throttled: 1,
  });
});

it('counts 401s and server errors, and no latency for requests refused before Cognito', () => {
  const metrics = createRequestMetrics();
  metrics.record({ route: 'getDevice', status: 401, code: 'missing_token' });
  metrics.record({
    route: 'getDevice',
    status: 502,
    code: 'upstream_unavailable',
    cognitoOperation: 'GetDevice',
    cognitoMs: 3,
  });
  const [refused, failed] = emf();
  expect(refused?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual([
    'Requests',
    'Unauthorized',
  ]);
  expect(refused).toMatchObject({ route: 'getDevice', Requests: 1, Unauthorized: 1 });
  expect(failed).toMatchObject({ route: 'getDevice', ServerErrors: 1, CognitoLatency: 3 });
});

it('counts a misconfigured stack (device tracking off, a missing permission) as Misconfigured, beside the 5xx', () => {
  createRequestMetrics().record({
    route: 'confirmDevice',
    status: 500,
    code: 'invalid_user_pool_configuration',
    misconfigured: true,
  });
  const [doc] = emf();
  expect(doc?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual([
    'Requests',
    'ServerErrors',
    'Misconfigured',
  ]);
  expect(doc).toMatchObject({ route: 'confirmDevice', ServerErrors: 1, Misconfigured: 1 });
});
