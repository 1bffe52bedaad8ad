/**
 * `npm run load`: a sustained mix of device calls from many users with real tokens against the local
 * stack (in its own process), reporting throughput, latency, non-2xx answers by status and the stack's
 * memory before, during and after, and its CPU time per request. Settings: LOAD_DURATION (s, default 30), LOAD_USERS (default 40),
 * LOAD_CONNECTIONS (default 40), LOAD_PROFILE (a folder for the stack's CPU profile).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import autocannon from 'autocannon';
import { createConfirmedUser, passwordSignIn } from '../local/users.js';

const DURATION = Number(process.env.LOAD_DURATION ?? 30);
const USERS = Number(process.env.LOAD_USERS ?? 40);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 40);
const PASSWORD = 'Load-test-passw0rd';

interface Ready {
  type: 'ready';
  apiUrl: string;
  cognitoUrl: string;
  userPoolId: string;
  clientId: string;
}
interface User {
  token: string;
  devices: string[];
}

const target = fork(new URL('./load-target.ts', import.meta.url).pathname, {
  execArgv: [
    '--import',
    'tsx',
    '--expose-gc',
    // LOAD_PROFILE=<dir>: the stack's CPU profile, written there when it stops (open it in Chrome's DevTools).
    ...(process.env.LOAD_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOAD_PROFILE}`] : []),
  ],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const ready = await next<Ready>(target, 'ready');
/** The stack's memory (after a full GC) and the CPU time it has used so far. */
const state = async () =>
  next<{ usage: NodeJS.MemoryUsage; cpu: NodeJS.CpuUsage }>(target, 'memory', () =>
    target.send({ type: 'memory' }),
  );
const memory = async () => (await state()).usage;

const users = await createUsers(ready);
console.log(`${USERS} users signed in, ${users.reduce((n, u) => n + u.devices.length, 0)} devices confirmed`);

// Warm up (JIT, connection pools), then measure.
await run(5, false);
const { usage: before, cpu: cpuBefore } = await state();
const samples: number[] = [];
const sampler = setInterval(() => void memory().then((m) => samples.push(m.heapUsed)), 5_000);
const result = await run(DURATION, true);
clearInterval(sampler);
const { usage: after, cpu: cpuAfter } = await state();
const cpuMicros = cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system;
const exited = new Promise((resolve) => target.once('exit', resolve));
target.send({ type: 'stop' });
await exited;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const non2xx = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => !code.startsWith('2'));
console.log(`
Load: ${DURATION} s, ${CONNECTIONS} connections, ${USERS} users; mix per connection: list, get, list, status, get
  requests       ${result.requests.total} (${result.requests.average.toFixed(0)} req/s average)
  latency        p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms
  status codes   ${JSON.stringify(result.statusCodeStats)}
  non-2xx        ${non2xx.length === 0 ? 'none' : JSON.stringify(Object.fromEntries(non2xx))}
  errors         ${result.errors} (timeouts ${result.timeouts})
  stack CPU      ${(cpuMicros / Math.max(1, result.requests.total)).toFixed(0)} µs per request (its GCs for the heap samples included)
  heap used      before ${mb(before.heapUsed)}, samples ${samples.map(mb).join(', ')}, after ${mb(after.heapUsed)}
  rss            before ${mb(before.rss)}, after ${mb(after.rss)}
  node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
process.exit(non2xx.length === 0 && result.errors === 0 ? 0 : 1);

function run(duration: number, report: boolean): Promise<autocannon.Result> {
  let nextUser = 0;
  const headers = (user: User) => ({
    authorization: `Bearer ${user.token}`,
    'content-type': 'application/json',
  });
  const pick = (context: Record<string, unknown>): User => {
    if (!context.user) context.user = users[nextUser++ % users.length];
    return context.user as User;
  };
  const device = (context: Record<string, unknown>) => {
    const user = pick(context);
    context.turn = ((context.turn as number | undefined) ?? 0) + 1;
    return { user, key: user.devices[(context.turn as number) % user.devices.length] };
  };
  type Req = autocannon.Request;
  const requests: Req[] = [
    {
      method: 'GET',
      path: '/devices',
      setupRequest: (r: Req, c: object) => ({ ...r, headers: headers(pick(c as Record<string, unknown>)) }),
    },
    {
      method: 'GET',
      setupRequest: (r: Req, c: object) => {
        const { user, key } = device(c as Record<string, unknown>);
        return { ...r, path: `/devices/${key}`, headers: headers(user) };
      },
    },
    {
      method: 'GET',
      path: '/devices?limit=2',
      setupRequest: (r: Req, c: object) => ({ ...r, headers: headers(pick(c as Record<string, unknown>)) }),
    },
    {
      method: 'PUT',
      setupRequest: (r: Req, c: object) => {
        const { user, key } = device(c as Record<string, unknown>);
        // Always `remembered`: a device that is not remembered answers 404 to GET (as real Cognito's does).
        const status = 'remembered';
        return {
          ...r,
          path: `/devices/${key}/status`,
          headers: headers(user),
          body: JSON.stringify({ status }),
        };
      },
    },
    {
      method: 'GET',
      setupRequest: (r: Req, c: object) => {
        const { user, key } = device(c as Record<string, unknown>);
        return { ...r, path: `/devices/${key}`, headers: headers(user) };
      },
    },
  ];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: ready.apiUrl, connections: CONNECTIONS, duration, requests },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (report)
      autocannon.track(instance, {
        renderProgressBar: false,
        renderResultsTable: false,
        renderLatencyTable: false,
      });
  });
}

async function createUsers(stack: Ready): Promise<User[]> {
  const cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: stack.cognitoUrl,
    credentials: { accessKeyId: 'load', secretAccessKey: 'load' },
  });
  const created: User[] = [];
  for (let i = 0; i < USERS; i++) {
    const username = `load-${i}`;
    await createConfirmedUser(cognito, { userPoolId: stack.userPoolId, username, password: PASSWORD });
    const user: User = { token: '', devices: [] };
    for (let d = 0; d < 2; d++) {
      const auth = await passwordSignIn(cognito, { clientId: stack.clientId, username, password: PASSWORD });
      const key = auth.NewDeviceMetadata?.DeviceKey;
      if (!key) throw new Error('sign-in without device metadata');
      user.token = auth.AccessToken;
      const res = await fetch(`${stack.apiUrl}/devices`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ deviceKey: key }),
      });
      if (res.status !== 201) throw new Error(`confirm failed: ${res.status}`);
      // An opt-in pool: the token API reads only remembered devices, so remember each one.
      const remembered = await fetch(`${stack.apiUrl}/devices/${key}/status`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${user.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'remembered' }),
      });
      if (remembered.status !== 200) throw new Error(`remember failed: ${remembered.status}`);
      user.devices.push(key);
    }
    created.push(user);
  }
  cognito.destroy();
  return created;
}

function next<T>(child: ChildProcess, type: string, trigger?: () => void): Promise<T> {
  return new Promise((resolve) => {
    const listener = (message: { type: string }) => {
      if (message.type !== type) return;
      child.off('message', listener);
      resolve(message as T);
    };
    child.on('message', listener);
    trigger?.();
  });
}
