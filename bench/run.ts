/**
 * `npm run bench`: every figure beside its floor measured in the same run, written to docs/performance.md and
 * bench/results.json. See docs/performance.md for what each floor is and why.
 */
import { execFile, fork } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import {
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import autocannon from 'autocannon';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { build } from 'esbuild';
import { createAuthenticator } from '../functions/auth/authenticator.js';
import { createAccessTokenVerifier } from '../functions/auth/verifier.js';
import { CognitoDeviceDirectory } from '../functions/cognito/device-directory.js';
import { confirmDevice, makeListDevices } from '../functions/devices/actions/index.js';
import { createCursors } from '../functions/devices/cursor.js';
import { createRouteHandler } from '../functions/http/route-handler.js';
import { createRequestMetrics } from '../functions/metrics.js';
import { FUNCTION_ENTRY, functionsOf, type RouteId, routeList, routes } from '../functions/routes.js';
import { esbuildOptions } from '../infra/esbuild-options.js';
import { createConfirmedUser, passwordSignIn } from '../local/users.js';
import { cannedTransport } from '../test/support/canned-transport.js';
import { httpEvent } from '../test/support/events.js';
import { fixedSecret } from '../test/support/fake-directory.js';
import { FakePasskeyDirectory } from '../test/support/fake-passkeys.js';
import { accessClaims, CLIENT_ID, createSigningKey, POOL_ID, signRs256 } from '../test/support/tokens.js';
import {
  groupedVariant,
  inputsFrom,
  model,
  modelTable,
  routeVariant,
  SINGLE,
  sessionShapes,
} from './cold-start-model.js';

const OUT = join(import.meta.dirname, '.out');
const QUICK = process.env.BENCH_QUICK === '1';
const COLD_RUNS = QUICK ? 5 : 20;
const WARM_RUNS = QUICK ? 2_000 : 20_000;
const LOAD_SECONDS = QUICK ? 3 : 10;
const WARMUP_SECONDS = QUICK ? 1 : 3;
mkdirSync(OUT, { recursive: true });

// ---------- setup shared by the measurements: a signing key, its JWKS in a file, a valid access token
const key = createSigningKey();
const jwksFile = join(OUT, 'jwks.json');
writeFileSync(jwksFile, JSON.stringify({ keys: [key.jwk] }));
const token = signRs256(key, accessClaims());
const env = {
  USER_POOL_ID: POOL_ID,
  APP_CLIENT_IDS: CLIENT_ID,
  JWKS_URI: pathToFileURL(jwksFile).href,
  LOG_LEVEL: 'WARN',
  // Read through the secrets extension only when a cursor is sealed or opened, which no measured request does.
  CURSOR_KEY_SECRET_ID: 'bench-cursor-key',
  // The edge authorizer's secret, likewise read at its first request only.
  ORIGIN_SECRET_ID: 'bench-origin-secret',
};

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    median: at(0.5),
    p10: at(0.1),
    p90: at(0.9),
    p99: at(0.99),
    min: sorted[0] ?? 0,
    max: sorted.at(-1) ?? 0,
    n: sorted.length,
  };
};
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

// ---------- 1. bundles, exactly as the stack builds them (infra/bundle-settings.ts)
/**
 * `naive` builds the same entry the way esbuild does by default (CommonJS main fields, no alias): what a
 * project that only says "bundle it" ships. The floor is built naive-of-alias too, as it was defined: the SDK
 * client and verifier with the stack's original settings, default credential chain included.
 */
async function bundle(entry: string, name: string, kind: 'stack' | 'naive' | 'floor') {
  const outfile = join(OUT, `${name}.mjs`);
  const base = esbuildOptions('not-found');
  const result = await build({
    ...base,
    entryPoints: [entry],
    ...(kind !== 'stack' && { alias: {} }),
    ...(kind === 'naive' && { mainFields: undefined }),
    outfile,
  });
  const code = readFileSync(outfile);
  const byPackage: Record<string, number> = {};
  for (const output of Object.values(result.metafile?.outputs ?? {})) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'our code';
      byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
    }
  }
  return { file: outfile, bytes: code.length, gzip: gzipSync(code).length, byPackage };
}

console.log('bundling…');
/** The stack's bundles: `api` runs every route (each function picks its routes with `ROUTES`), and the edge's authorizer. */
const functions = [FUNCTION_ENTRY, 'edge-authorizer'];
const floorBundle = await bundle('bench/floor-entry.ts', 'floor', 'floor');
const bundles: Record<
  string,
  { cdk: Awaited<ReturnType<typeof bundle>>; naive: Awaited<ReturnType<typeof bundle>> }
> = {};
for (const fn of functions) {
  bundles[fn] = {
    cdk: await bundle(`functions/handlers/${fn}.ts`, fn, 'stack'),
    naive: await bundle(`functions/handlers/${fn}.ts`, `${fn}.naive`, 'naive'),
  };
}
const apiBundle = bundles[FUNCTION_ENTRY]?.cdk;
if (!apiBundle) throw new Error('no api bundle');

// ---------- 2. cold init: fresh processes that import the bundle and build their dependencies
/**
 * For GET /devices (its own function, and the single function) the probe then also sends two requests, so
 * that the first request's extra cost after a cold start (lazy compilation, the SDK's first send) is measured
 * too; a canned Cognito in this process answers them.
 */
const probe = `const t0=performance.now();const m=await import(process.argv[1]);const t1=performance.now();const out={init:t1-t0,total:t1};
if(process.env.BENCH_EVENT){const e=JSON.parse(process.env.BENCH_EVENT),c={awsRequestId:'a',getRemainingTimeInMillis:()=>9e3};
const r=await m.handler(e,c);const t2=performance.now();await m.handler(e,c);out.first=t2-t1;out.second=performance.now()-t2;out.status=r.statusCode}
process.stdout.write(String.fromCharCode(10)+JSON.stringify(out))`;
const cannedCognito = createServer((req, res) => {
  req.resume().on('end', () => {
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    res.end('{"Devices":[]}');
  });
});
await new Promise<void>((resolve) => cannedCognito.listen(0, '127.0.0.1', resolve));
const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
delete childEnv.NODE_EXTRA_CA_CERTS; // adds ~33 ms to every process start on these machines
delete childEnv.AWS_CA_BUNDLE;
delete childEnv.NODE_OPTIONS;
const coldEnv = {
  ...childEnv,
  COGNITO_ENDPOINT: `http://127.0.0.1:${(cannedCognito.address() as { port: number }).port}`,
};
const listRequest = JSON.stringify(
  httpEvent({ method: 'GET', path: '/devices', headers: { authorization: `Bearer ${token}` } }),
);
const run = promisify(execFile);
async function coldRun(file: string, withRequests: boolean, served: string | undefined) {
  const args = ['--input-type=module', '-e', probe, file];
  const env = { ...coldEnv, ...(served !== undefined && { ROUTES: served }) };
  const { stdout } = await run(process.execPath, args, {
    env: withRequests ? { ...env, BENCH_EVENT: listRequest } : env,
    encoding: 'utf8',
  });
  // The functions' EMF metric lines come first; the probe's figures are the last line.
  const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
    init: number;
    total: number;
    first?: number;
    second?: number;
    status?: number;
  };
  if (withRequests && out.status !== 200) throw new Error(`${file}: GET /devices answered ${out.status}`);
  return out;
}
console.log(`cold init: ${COLD_RUNS} processes per variant…`);
/**
 * The variants: the floor; the `api` bundle serving every route (the one-function design) and its naive build; each
 * function of the grouped design, with the full device view off and on (the bundle with that function's `ROUTES`);
 * and each route alone (the per-route design). Same bundle throughout: a function builds only its routes' chains.
 */
const variants: Record<string, { file: string; routes?: string }> = {
  floor: { file: floorBundle.file },
  [SINGLE]: { file: apiBundle.file },
  'api naive': { file: bundles[FUNCTION_ENTRY]?.naive.file ?? '' },
  'edge-authorizer': { file: bundles['edge-authorizer']?.cdk.file ?? '' },
};
for (const fullView of [false, true]) {
  for (const [fn, served] of functionsOf(fullView)) {
    variants[groupedVariant(fn, fullView)] = {
      file: apiBundle.file,
      routes: served.map((r) => r.id).join(','),
    };
  }
}
for (const route of routeList)
  variants[routeVariant(route.id as RouteId)] = { file: apiBundle.file, routes: route.id };
const withRequests = new Set([routeVariant(routes.listDevices.id), SINGLE]);
const coldSamples: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
/** Node's own start before the import (the floor's processes): every cold start pays it, in either design. */
const bootSamples: number[] = [];
/** The first request after a cold start minus the second: what a cold start adds beyond init, either design. */
const firstRequestSamples: Record<string, number[]> = {
  [routeVariant(routes.listDevices.id)]: [],
  [SINGLE]: [],
};
for (let i = 0; i < COLD_RUNS; i++) {
  // Interleaved, so that drift of the machine spreads over every variant alike.
  for (const [name, { file, routes: served }] of Object.entries(variants)) {
    const { init, total, first, second } = await coldRun(file, withRequests.has(name), served);
    coldSamples[name]?.push(init);
    if (name === 'floor') bootSamples.push(total - init);
    if (first !== undefined && second !== undefined) firstRequestSamples[name]?.push(first - second);
  }
}
cannedCognito.close();
const boot = stats(bootSamples);
const firstRequest = Object.fromEntries(Object.entries(firstRequestSamples).map(([k, v]) => [k, stats(v)]));
const cold = Object.fromEntries(Object.entries(coldSamples).map(([k, v]) => [k, stats(v)]));

// ---------- 3. warm overhead: the real handler in-process, SDK with a canned transport
console.log(`warm overhead: ${WARM_RUNS} invocations per handler…`);
const listBody = JSON.stringify({
  Devices: [1, 2].map((i) => ({
    DeviceKey: `eu-west-1_0000000${i}-0000-4000-8000-000000000000`,
    DeviceAttributes: [
      { Name: 'device_status', Value: 'valid' },
      { Name: 'device_name', Value: `Device ${i}` },
      { Name: 'dev:device_remembered_status', Value: 'remembered' },
    ],
    DeviceCreateDate: 1.79e9,
    DeviceLastModifiedDate: 1.79e9,
  })),
});
const silent = { info: () => {}, warn: () => {}, error: () => {} };
const verifier = createAccessTokenVerifier({
  userPoolId: POOL_ID,
  clientIds: [CLIENT_ID],
  jwksUri: env.JWKS_URI,
});
await verifier.hydrate();
const sdkFor = (body: string, byOperation: Parameters<typeof cannedTransport>[2] = {}) =>
  new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    maxAttempts: 2,
    requestHandler: cannedTransport(body, 200, byOperation),
  });
/**
 * A new device's POST /devices makes three calls: GetDevice and UpdateDeviceStatus find no confirmed device (so
 * that a device confirmed by a sign-in library is never confirmed again), then ConfirmDevice.
 */
const notConfirmedYet = [
  '{"__type":"ResourceNotFoundException","message":"Device does not exist."}',
  400,
] as const;
const confirmAnswers = { GetDevice: notConfirmedYet, UpdateDeviceStatus: notConfirmedYet };
// The real EMF metrics: their serialization is part of every request's cost (stdout is muted while timing).
const metrics = createRequestMetrics();
const deps = (body: string, byOperation: Parameters<typeof cannedTransport>[2] = {}) => ({
  authenticator: createAuthenticator(verifier, [CLIENT_ID]),
  directory: CognitoDeviceDirectory.create(sdkFor(body, byOperation), 5_000),
  passkeys: new FakePasskeyDirectory(),
  log: silent,
  metrics,
});
/** A fresh context per invocation, as Lambda gives: Middy's early-timeout race runs, per-request state does not leak. */
const lambdaContext = () =>
  ({ getRemainingTimeInMillis: () => 10_000 }) as unknown as import('aws-lambda').Context;
const listHandler = createRouteHandler(
  routes.listDevices,
  makeListDevices(createCursors(fixedSecret('bench-cursor-key')), 'remembered'),
  deps(listBody),
);
const confirmHandler = createRouteHandler(
  routes.confirmDevice,
  confirmDevice,
  deps('{"UserConfirmationNecessary":false}', confirmAnswers),
);
const listEvent = () =>
  httpEvent({ method: 'GET', path: '/devices', headers: { authorization: `Bearer ${token}` } });
const confirmEvent = () =>
  httpEvent({
    method: 'POST',
    path: '/devices',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      deviceKey: 'eu-west-1_00000001-0000-4000-8000-000000000000',
      deviceName: 'Phone',
    }),
  });
const floorClient = sdkFor(listBody);
const floorConfirmClient = sdkFor('{"UserConfirmationNecessary":false}', confirmAnswers);
const deviceKey = 'eu-west-1_00000001-0000-4000-8000-000000000000';
// The floor verifies as aws-jwt-verify does on its own, every time (the functions remember tokens that verified).
const floorVerifier = CognitoJwtVerifier.create({
  userPoolId: POOL_ID,
  tokenUse: 'access',
  clientId: CLIENT_ID,
  scope: 'aws.cognito.signin.user.admin',
});
floorVerifier.cacheJwks({ keys: [key.jwk] });
async function timeEach(runs: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < Math.min(2_000, runs); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push((performance.now() - t) * 1000);
  }
  return stats(samples);
}
const stdoutWrite = process.stdout.write;
process.stdout.write = (() => true) as typeof process.stdout.write;
const warm = {
  floor: await timeEach(WARM_RUNS, async () => {
    await floorVerifier.verify(token);
    await floorClient.send(new ListDevicesCommand({ AccessToken: token }));
  }),
  'floor (confirm)': await timeEach(WARM_RUNS, async () => {
    await floorVerifier.verify(token);
    const missing = () => undefined;
    await floorConfirmClient
      .send(new GetDeviceCommand({ AccessToken: token, DeviceKey: deviceKey }))
      .catch(missing);
    await floorConfirmClient
      .send(
        new UpdateDeviceStatusCommand({
          AccessToken: token,
          DeviceKey: deviceKey,
          DeviceRememberedStatus: 'not_remembered',
        }),
      )
      .catch(missing);
    await floorConfirmClient.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: deviceKey }));
  }),
  'list-devices': await timeEach(WARM_RUNS, async () => {
    const res = await listHandler(listEvent(), lambdaContext());
    if (res.statusCode !== 200) throw new Error(`list answered ${res.statusCode}`);
  }),
  'confirm-device': await timeEach(WARM_RUNS, async () => {
    const res = await confirmHandler(confirmEvent(), lambdaContext());
    if (res.statusCode !== 201) throw new Error(`confirm answered ${res.statusCode}`);
  }),
};

process.stdout.write = stdoutWrite;

// ---------- 4. local stack throughput vs two zero-work loopback hops
type Ready = { apiUrl: string } & Record<string, string>;
/** The target's CPU time so far (µs), for the stack's: the CPU a request costs varies less than req/s on a shared VM. */
type CpuOf = () => Promise<number>;
async function withTarget<T>(
  script: string,
  work: (ready: Ready, cpu: CpuOf) => Promise<T>,
  env: NodeJS.ProcessEnv = {},
) {
  const child = fork(script, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: { ...childEnv, LOG_LEVEL: 'WARN', ...env },
  });
  const ready = await new Promise<Ready>((resolve) => child.once('message', resolve as never));
  const cpu: CpuOf = () =>
    new Promise((resolve) => {
      child.once('message', (m: { cpu?: NodeJS.CpuUsage }) =>
        resolve((m.cpu?.user ?? 0) + (m.cpu?.system ?? 0)),
      );
      child.send({ type: 'memory' });
    });
  try {
    return await work(ready, cpu);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send({ type: 'stop' });
    await exited;
  }
}
/** One way for every figure: a warm-up run (JIT, connection pools) that is thrown away, then the measured run. */
const load = async (url: string, opts: Partial<autocannon.Options> = {}, cpu?: CpuOf) => {
  await autocannon({ url, connections: 20, duration: WARMUP_SECONDS, ...opts });
  const before = await cpu?.();
  const r = await autocannon({ url, connections: 20, duration: LOAD_SECONDS, ...opts });
  const after = await cpu?.();
  const non2xx = Object.entries(r.statusCodeStats ?? {}).filter(([c]) => !c.startsWith('2'));
  return {
    rps: round(r.requests.average, 0),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + non2xx.length,
    ...(before !== undefined &&
      after !== undefined && { cpuUsPerRequest: round((after - before) / Math.max(1, r.requests.total), 0) }),
  };
};
console.log(`local stack throughput: ${LOAD_SECONDS} s per run…`);
const floorHops = await withTarget('bench/two-hop-target.ts', (ready) => load(ready.apiUrl));
const statusOptions = (ready: Ready, signIn: { token: string | undefined; device: string }) =>
  [
    `${ready.apiUrl}/devices/${signIn.device}/status`,
    {
      method: 'PUT' as const,
      headers: { authorization: `Bearer ${signIn.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'remembered' }),
    },
  ] as const;
const stack = await withTarget('scripts/load-target.ts', async (ready, cpu) => {
  const { signIn } = await setupUser(ready);
  const auth = { authorization: `Bearer ${signIn.token}` };
  return {
    list: await load(`${ready.apiUrl}/devices`, { headers: auth }, cpu),
    // A write that can repeat: a device is confirmed once (re-confirming is 409), its status any number of times.
    // Each one writes an event, which the stack's CloudWatch Logs, Lambda and EventBridge stand-ins deliver in this
    // same process.
    status: await load(...statusOptions(ready, signIn), cpu),
  };
});
// The same write with its events written and not delivered here: the API's own work. In AWS the delivery,
// CloudWatch Logs and EventBridge run on compute of their own, off the API's (docs/features.md, "Device events").
const statusApiAlone = await withTarget(
  'scripts/load-target.ts',
  async (ready, cpu) => load(...statusOptions(ready, (await setupUser(ready)).signIn), cpu),
  { LOCAL_EVENT_DELIVERY: 'off' },
);

async function setupUser(ready: Record<string, string>) {
  const cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: ready.cognitoUrl,
    credentials: { accessKeyId: 'b', secretAccessKey: 'b' },
  });
  const user = { userPoolId: ready.userPoolId ?? '', username: 'bench', password: 'Bench-passw0rd' };
  await createConfirmedUser(cognito, user);
  const auth = await passwordSignIn(cognito, { clientId: ready.clientId ?? '', ...user });
  const device = auth.NewDeviceMetadata?.DeviceKey ?? '';
  await fetch(`${ready.apiUrl}/devices`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth.AccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceKey: device }),
  });
  return { signIn: { token: auth.AccessToken, device } };
}

// ---------- report
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${round(os.totalmem() / 2 ** 30, 0)} GiB, ${process.platform} ${os.release()}`;
const results = {
  date: new Date().toISOString(),
  node: process.version,
  machine,
  runs: { cold: COLD_RUNS, warm: WARM_RUNS, loadSeconds: LOAD_SECONDS },
  bundles: {
    floor: floorBundle,
    ...Object.fromEntries(Object.entries(bundles)),
  },
  cold,
  bootMs: boot,
  firstRequestExtraMs: firstRequest,
  warm,
  throughput: { floorTwoHops: floorHops, stack: { ...stack, statusApiAlone } },
};
// Smoke runs (BENCH_QUICK=1) never replace the tracked results: they go to bench/.out/.
const RESULTS_JSON = QUICK ? join(OUT, 'results.quick.json') : 'bench/results.json';
const RESULTS_MD = QUICK ? join(OUT, 'performance.quick.md') : 'docs/performance.md';
writeFileSync(RESULTS_JSON, `${JSON.stringify(results, (k, v) => (k === 'file' ? undefined : v), 2)}\n`);

const kb = (bytes: number) => `${round(bytes / 1024)} KB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const lines: string[] = [];
lines.push(
  '## The latest run',
  '',
  `\`npm run bench\`: ${results.date}, Node ${results.node}, ${machine}.`,
  '',
);
lines.push(
  'Every figure stands beside its floor, measured in the same run. How to read and reproduce them: "How each figure is measured", below.',
  '',
);
lines.push('### 1. Bundle bytes (as the stack bundles them)', '');
lines.push(
  '| Function | Bundle | gzip | Floor: SDK client + verifier | Naive (esbuild defaults) | vs floor (target ≤ 0.90×) | vs naive |',
  '|---|---|---|---|---|---|---|',
);
for (const fn of functions) {
  const b = bundles[fn];
  if (!b) continue;
  const vsFloor = b.cdk.bytes / floorBundle.bytes;
  const vsNaive = b.cdk.bytes / b.naive.bytes;
  lines.push(
    `| ${fn} | ${kb(b.cdk.bytes)} | ${kb(b.cdk.gzip)} | ${kb(floorBundle.bytes)} (${kb(floorBundle.gzip)} gz) | ${kb(b.naive.bytes)} | ${ratio(b.cdk.bytes, floorBundle.bytes)} ${verdict(vsFloor <= 0.9)} | ${(vsNaive * 100).toFixed(0)}% |`,
  );
}
const extra = (fn: string) => {
  const own = bundles[fn]?.cdk.byPackage ?? {};
  return Object.entries(own)
    .map(([pkg, bytes]) => [pkg, bytes - (floorBundle.byPackage[pkg] ?? 0)] as const)
    .filter(([, bytes]) => bytes > 1024)
    .sort((a, b) => b[1] - a[1])
    .map(([pkg, bytes]) => `${pkg} +${kb(bytes)}`)
    .join(', ');
};
lines.push('', 'What a function carries beyond the floor (minified bytes by package):', '');
for (const fn of functions) lines.push(`- ${fn}: ${extra(fn)}`);
lines.push(
  '',
  `### 2. Cold init (${COLD_RUNS} fresh processes each; ms from the start of \`import()\` to a hydrated handler)`,
  '',
);
lines.push('| Variant | median | p10–p90 | min–max | vs floor (target ≤ 0.90×) |', '|---|---|---|---|---|');
const floorCold = cold.floor?.median ?? Number.NaN;
for (const [name, s] of Object.entries(cold)) {
  const target =
    name === 'floor'
      ? ''
      : name.endsWith('naive')
        ? ratio(s.median, floorCold)
        : `${ratio(s.median, floorCold)} ${verdict(s.median / floorCold <= 0.9)}`;
  lines.push(
    `| ${name} | ${round(s.median)} | ${round(s.p10)}–${round(s.p90)} | ${round(s.min)}–${round(s.max)} | ${target} |`,
  );
}
lines.push('', `### 3. Warm overhead (${WARM_RUNS} in-process invocations after 2,000 warm-up; µs)`, '');
lines.push('| Path | median | p99 | vs floor median (target ≤ 1.10×) |', '|---|---|---|---|');
const warmFloorOf: Record<string, keyof typeof warm> = {
  'list-devices': 'floor',
  'confirm-device': 'floor (confirm)',
};
const warmNames: Record<string, string> = {
  floor: 'floor: verify + send alone',
  'floor (confirm)': 'floor (confirm): verify + its three sends alone',
};
for (const [name, s] of Object.entries(warm)) {
  const floor = warm[warmFloorOf[name] ?? 'floor'];
  const t = name.startsWith('floor')
    ? ''
    : `${ratio(s.median, floor.median)} ${verdict(s.median / floor.median <= 1.1)}`;
  lines.push(`| ${warmNames[name] ?? `${name} handler`} | ${round(s.median)} | ${round(s.p99)} | ${t} |`);
}
lines.push(
  '',
  `### 4. Local stack throughput (${LOAD_SECONDS} s, 20 connections, real tokens; the stack in its own process)`,
  '',
);
lines.push(
  `Each figure: a thrown-away warm-up run of ${WARMUP_SECONDS} s, then the measured run.`,
  '',
  '| Path | req/s | p50 ms | p99 ms | errors | req/s vs the floor | stack CPU µs per request |',
  '|---|---|---|---|---|---|---|',
);
lines.push(
  `| floor: two zero-work loopback hops | ${floorHops.rps} | ${floorHops.p50} | ${floorHops.p99} | ${floorHops.errors} | | |`,
);
for (const [path, r] of [
  ['GET /devices', stack.list],
  ['PUT /devices/{key}/status (its event delivered in the same process)', stack.status],
  ['PUT /devices/{key}/status (its event written, not delivered here: the API alone)', statusApiAlone],
] as const) {
  lines.push(
    `| ${path} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} | ${ratio(r.rps, floorHops.rps)} | ${r.cpuUsPerRequest ?? ''} |`,
  );
}
const modelRows = model(inputsFrom(results));
const initOf = (names: string[]) => names.map((n) => `${n} ${round(cold[n]?.median ?? 0)}`).join(', ');
const shares = sessionShapes
  .map((shape) => `${Math.round(shape.share * 100)}% ${shape.name} (${shape.requests.length} requests)`)
  .join(', ');
lines.push(
  '',
  '### 5. Functions per route, grouped, or one (`bench/cold-start-model.ts`, inputs from section 2)',
  '',
  `A cold start costs Node's start (${round(boot.median)} ms, median of the floor's processes), the function's init ` +
    `(ms: ${initOf(Object.keys(cold).filter((n) => n !== 'floor' && n !== 'api naive' && n !== 'edge-authorizer'))}) ` +
    `and its first request's extra time over a warm one (GET /devices: ${round(firstRequest[routeVariant(routes.listDevices.id)]?.median ?? 0)} ms ` +
    `alone, ${round(firstRequest[SINGLE]?.median ?? 0)} ms with every route; the grouped functions are taken to pay the latter). ` +
    `Every function runs the same ${kb(apiBundle.bytes)} bundle. Sessions: ${shares}. At least six simulated hours and ` +
    '20,000 sessions per row; Lambda keeps an idle environment for an undocumented time, so the model runs with 5 and 15 minutes.',
  '',
  ...modelTable(modelRows),
);
// docs/performance.md: the hand-written summary, this run's figures, then the hand-written notes and decisions.
const summary = readFileSync('bench/SUMMARY.md', 'utf8');
const notes = readFileSync('bench/NOTES.md', 'utf8');
writeFileSync(RESULTS_MD, `${summary}\n${lines.join('\n')}\n\n${notes}`);
console.log(lines.join('\n'));
console.log(
  `\nWritten to ${RESULTS_MD} and ${RESULTS_JSON}${QUICK ? ' (a smoke run: the tracked results are untouched)' : ''}.`,
);
// The bundles and the key set were only inputs: leave nothing behind but a smoke run's results.
for (const file of readdirSync(OUT)) {
  if (!file.endsWith('.quick.md') && !file.endsWith('.quick.json')) rmSync(join(OUT, file), { force: true });
}
