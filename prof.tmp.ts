import { fork } from 'node:child_process';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import autocannon from 'autocannon';
import { createConfirmedUser, passwordSignIn } from './local/users.js';

const dir = process.env.PROF_DIR ?? '';
const child = fork('scripts/load-target.ts', {
  execArgv: ['--import', 'tsx', ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [])],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  env: { ...process.env, LOG_LEVEL: 'WARN' },
});
const ready = await new Promise<Record<string, string>>((resolve) => child.once('message', resolve as never));
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
const headers = { authorization: `Bearer ${auth.AccessToken}` };
const path = process.env.PROF_PATH ?? 'list';
const opts =
  path === 'list'
    ? { url: `${ready.apiUrl}/devices`, headers }
    : {
        url: `${ready.apiUrl}/devices/${device}/status`,
        method: 'PUT' as const,
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'remembered' }),
      };
await autocannon({ ...opts, connections: 20, duration: 3 });
const r = await autocannon({ ...opts, connections: 20, duration: Number(process.env.PROF_SECONDS ?? 10) });
console.log(path, 'req/s', r.requests.average, 'p99', r.latency.p99, 'total', r.requests.total);
const exited = new Promise((resolve) => child.once('exit', resolve));
child.send({ type: 'stop' });
await exited;
