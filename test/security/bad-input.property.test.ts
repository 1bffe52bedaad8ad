import { type OutgoingHttpHeaders, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { call, issuedSecrets, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';
import { captureOutput, expectNoSecrets } from '../support/output-capture.js';

const RUNS = 10_000;
let stack: LocalStack;
let output: ReturnType<typeof captureOutput>;
let user: SignedIn;
let device: string;

beforeAll(async () => {
  output = captureOutput();
  stack = await startTestStack('opt-in', { logLevel: 'DEBUG' });
  user = await signIn(stack, 'fuzz');
  device = user.newDevice?.DeviceKey ?? '';
  expect(
    (await call(stack, 'POST', '/devices', { token: user.accessToken, json: { deviceKey: device } })).status,
  ).toBe(201);
});
afterAll(async () => {
  await stack?.close();
  output.stop();
  expectNoSecrets(output.text(), issuedSecrets);
});

interface RawResponse {
  status: number;
  contentType: string | undefined;
  body: string;
}

function send(
  method: string,
  path: string,
  headers: OutgoingHttpHeaders,
  body: string | undefined,
): Promise<RawResponse> {
  const url = new URL(stack.api.url);
  // Frame every body, whatever the method: a GET body without Content-Length is not valid HTTP/1.1.
  if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path, headers: headers as OutgoingHttpHeaders },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const hostileSegments = [
  '..',
  '.',
  '%00',
  '%2F',
  '%2e%2e',
  '%2E%2E%2Fadmin',
  '%',
  '%ZZ',
  '%C0%AF',
  'a%0Ab',
  '%E2%80%AE',
  '%F0%9F%98%80',
  'a_1%00',
];
const keySegment = fc.oneof(
  { weight: 3, arbitrary: fc.constant('DEVICE') },
  { weight: 3, arbitrary: fc.constantFrom(...hostileSegments) },
  { weight: 3, arbitrary: fc.string({ maxLength: 80 }).map(encodeURIComponent) },
  { weight: 3, arbitrary: fc.stringMatching(/^[\w-]{1,40}_[0-9a-f-]{1,40}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeURIComponent) },
);
const path = fc.oneof(
  fc.constant('/devices'),
  keySegment.map((k) => `/devices/${k}`),
  keySegment.map((k) => `/devices/${k}/status`),
  fc.constantFrom(
    '/',
    '/devices/',
    '//devices',
    '/devices/a/b/c',
    '/DEVICES',
    '/devices/%2e%2e/status',
    '/openapi.json',
  ),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom('limit', 'cursor', 'x', 'limit[]', ''),
      fc.oneof(
        fc.integer().map(String),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('0', '1', '60', '61', '-1', '1e1', ' 5', '0x10'),
      ),
      { maxKeys: 3 },
    )
    .map((d) => `?${new URLSearchParams(d).toString()}`),
  fc.constantFrom('?limit=1&limit=2', '?cursor=', '?limit', '?&&&', '?cursor=%00', '?limit=%F0%9F%98%80'),
);
const jsonish = fc.jsonValue({ maxDepth: 3 });
const body = fc.option(
  fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc
      .record(
        {
          deviceKey: fc.oneof(
            fc.constant('DEVICE'),
            fc.stringMatching(/^[\w-]{1,60}_[0-9a-f-]{1,60}$/),
            jsonish,
          ),
          deviceName: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 1100 }), jsonish),
          deviceSecretVerifierConfig: fc.oneof(
            fc.record(
              {
                passwordVerifier: fc.oneof(fc.base64String(), jsonish),
                salt: fc.oneof(fc.base64String(), jsonish),
              },
              { requiredKeys: [] },
            ),
            jsonish,
          ),
          extra: jsonish,
        },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    fc
      .record(
        { status: fc.oneof(fc.constantFrom('remembered', 'not_remembered', 'REMEMBERED'), jsonish) },
        { requiredKeys: [] },
      )
      .map((o) => JSON.stringify(o)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom(
      '{',
      'null',
      '[]',
      '"x"',
      '\u0000',
      '{"__proto__":{"a":1}}',
      '{"constructor":{"prototype":{}}}',
      '{"deviceKey":"DEVICE","deviceKey":"x"}',
    ),
    fc.integer({ min: 16_000, max: 20_000 }).map((n) => JSON.stringify({ deviceKey: 'a'.repeat(n) })),
  ),
  { nil: undefined, freq: 4 },
);
const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/vnd.api+json',
    'application/jsonx',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
  ),
  { nil: undefined },
);
const requestArbitrary = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'PUT', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path,
  query,
  body,
  contentType,
  duplicateContentType: fc.boolean(),
  /** Half the requests use a method their path has, so that they get past routing into validation. */
  fitMethod: fc.boolean(),
  auth: fc.oneof(
    { weight: 12, arbitrary: fc.constant('valid') },
    { weight: 1, arbitrary: fc.constantFrom('none', 'empty', 'garbage', 'twice') },
  ),
});

function fittingMethod(path: string, fallback: string): string {
  if (path.endsWith('/status')) return 'PUT';
  if (path === '/devices') return fallback === 'GET' ? 'GET' : 'POST';
  if (path.startsWith('/devices/')) return fallback === 'DELETE' ? 'DELETE' : 'GET';
  return fallback;
}

it(`never answers a 5xx, always problem+json for errors, and never sends Cognito what its model forbids (${RUNS} requests)`, async () => {
  let tried = 0;
  const statuses = new Map<number, number>();
  const violationsBefore = stack.cognito.stats.modelViolations;
  await fc.assert(
    fc.asyncProperty(requestArbitrary, async (r) => {
      tried++;
      const headers: Record<string, string | string[] | number> = {};
      const token = user.accessToken;
      if (r.auth === 'valid') headers.authorization = `Bearer ${token}`;
      if (r.auth === 'empty') headers.authorization = '';
      if (r.auth === 'garbage') headers.authorization = 'Bearer x.y.z';
      if (r.auth === 'twice') headers.authorization = [`Bearer ${token}`, `Bearer ${token}`];
      if (r.contentType !== undefined)
        headers['content-type'] = r.duplicateContentType ? [r.contentType, 'text/plain'] : r.contentType;
      const requestBody = r.body?.replaceAll('DEVICE', device);
      const requestPath = `${r.path.replaceAll('DEVICE', device)}${r.query}`;
      const method = r.fitMethod ? fittingMethod(r.path, r.method) : r.method;
      const res = await send(method, requestPath, headers, requestBody);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      expect(res.status, `${method} ${requestPath}`).toBeLessThan(500);
      if (method === 'HEAD') return;
      if (res.status >= 400) {
        expect(res.contentType).toBe('application/problem+json');
        const problem = JSON.parse(res.body);
        expect(problem).toMatchObject({
          status: res.status,
          type: expect.any(String),
          title: expect.any(String),
          code: expect.any(String),
        });
      } else {
        expect([200, 201, 204]).toContain(res.status);
      }
    }),
    { numRuns: RUNS, seed: Number(process.env.FC_SEED ?? Date.now() % 2 ** 31), verbose: 1 },
  );
  expect(tried).toBeGreaterThanOrEqual(RUNS);
  expect(stack.cognito.stats.modelViolations - violationsBefore).toBe(0);
  output.stop();
  console.log(
    `bad-input property: ${tried} requests; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
  );
});
