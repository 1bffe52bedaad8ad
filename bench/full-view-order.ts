/**
 * `npm run bench:full-view-order`: with the full device view, should the token check run before the admin read
 * (so a refused token costs nothing admin-side) or beside it (as it does)? Measures a list of the caller's
 * devices through the real adapter and SDK against the stand-in answering 60 ms late, both ways: beside (the
 * product) and before (the same adapter, its AdminListDevices held back until the token check succeeded).
 */
import {
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  ListDevicesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoDeviceDirectory } from '../functions/cognito/device-directory.js';
import { bootstrapPool } from '../local/bootstrap.js';
import { CognitoStandIn } from '../local/cognito/server.js';
import { passwordSignIn } from '../local/users.js';

const RUNS = process.env.BENCH_QUICK ? 30 : 200;
const standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
const { userPoolId, clients } = await bootstrapPool(
  standIn.url,
  standIn.store,
  { stage: 'bench', deviceTracking: 'opt-in', mfa: 'off' },
  'eu-west-1',
);
const client = new CognitoIdentityProviderClient({
  region: 'eu-west-1',
  endpoint: standIn.url,
  credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
});
const { AccessToken } = await passwordSignIn(client, {
  clientId: clients.mobile,
  username: 'demo',
  password: 'Demo-passw0rd',
});
standIn.latencyMs = 60;

/** The same client, but AdminListDevices waits for the token check before it and is not sent if that failed. */
function checkFirst(inner: CognitoIdentityProviderClient): CognitoIdentityProviderClient {
  let check: Promise<unknown> = Promise.resolve();
  const send = inner.send.bind(inner) as (command: unknown, options?: unknown) => Promise<unknown>;
  return Object.assign(Object.create(inner) as CognitoIdentityProviderClient, {
    send: async (command: unknown, options?: unknown) => {
      if (command instanceof ListDevicesCommand) {
        check = send(command, options);
        return check;
      }
      if (command instanceof AdminListDevicesCommand) await check;
      return send(command, options);
    },
  });
}

const owner = { accessToken: AccessToken, username: 'demo' };
const variants = [
  ['beside (as built)', CognitoDeviceDirectory.create(client, 5_000, { userPoolId })],
  ['before', CognitoDeviceDirectory.create(checkFirst(client), 5_000, { userPoolId })],
] as const;
console.log(`GET /devices with the full view: ${RUNS} lists each, Cognito answering 60 ms late (ms)`);
console.log('| Order | median | p99 |\n|---|---|---|');
for (const [name, directory] of variants) {
  for (let i = 0; i < 5; i++) await directory.list(owner, { limit: 60 });
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await directory.list(owner, { limit: 60 });
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => (samples[Math.floor(samples.length * q)] ?? 0).toFixed(0);
  console.log(`| ${name} | ${at(0.5)} | ${at(0.99)} |`);
}
client.destroy();
await standIn.close();
