/**
 * `npm run bench:amplification`: what callers of `POST /devices/forget-others` can make Cognito do, measured on the
 * local stack with the prod stage's limits enforced (its route throttle and reserved concurrency, as the local API
 * applies them) and a stand-in that answers every call 60 ms late and enforces Cognito's per-account rates (25
 * writes/s, 50 reads/s). One user has 3,000 devices; a bystander updates a device's status once a second.
 * docs/reliability.md ("forget-others") quotes these figures. `BENCH_QUICK=1` runs 8 s per scenario instead of 30.
 */
import { randomUUID } from 'node:crypto';
import type { DeviceRecord } from '../local/cognito/state.js';
import { localStageConfig } from '../local/settings.js';
import { startLocalStack } from '../local/stack.js';
import { createConfirmedUser } from '../local/users.js';
import { call, cognitoClient, PASSWORD, signIn } from '../test/support/local-stack.js';

const SECONDS = process.env.BENCH_QUICK ? 8 : 30;
const DEVICES = 3_000;
const config = { ...localStageConfig({}), stage: 'prod', ...prodLimits() };

function prodLimits() {
  const prod = localStageConfig({ STAGE: 'prod' });
  return {
    reservedConcurrency: prod.reservedConcurrency,
    forgetOthersConcurrency: prod.forgetOthersConcurrency,
    forgetOthersRateLimit: prod.forgetOthersRateLimit,
    forgetOthersBurstLimit: prod.forgetOthersBurstLimit,
    apiRateLimit: prod.apiRateLimit,
    apiBurstLimit: prod.apiBurstLimit,
    deviceTracking: 'always' as const,
    mfa: 'off' as const,
  };
}

const stack = await startLocalStack({ config, region: 'eu-west-1', logLevel: 'SILENT', enforceLimits: true });
stack.cognito.latencyMs = 60;
const calls: Array<{ op: string; at: number }> = [];
stack.cognito.onCall((op) => calls.push({ op, at: performance.now() }));

/** A signed-in user on a confirmed device, with `others` more devices seeded into the stand-in's state. */
async function user(username: string, others: number) {
  await createConfirmedUser(cognitoClient(stack), {
    userPoolId: stack.userPoolId,
    username,
    password: PASSWORD,
  });
  const signedIn = await signIn(stack, username);
  await call(stack, 'POST', '/devices', {
    token: signedIn.accessToken,
    json: { deviceKey: signedIn.newDevice?.DeviceKey },
  });
  const record = stack.cognito.store.data.pools[stack.userPoolId]?.users[username];
  if (!record) throw new Error('no user');
  const now = Date.now();
  for (let i = 0; i < others; i++) {
    const key = `eu-west-1_${randomUUID()}`;
    record.devices[key] = {
      key,
      groupKey: '-seeded',
      confirmed: true,
      remembered: 'remembered',
      createdAt: now - (others - i) * 1_000,
      lastModifiedAt: now,
    } satisfies DeviceRecord;
  }
  return signedIn;
}

function statuses(list: number[]): string {
  const counts = new Map<number, number>();
  for (const status of list) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n}×${status}`).join(', ');
}

async function scenario(name: string, callers: number, pauseMs: number) {
  const attacker = await user(`attacker-${callers}`, DEVICES);
  const bystander = await user(`bystander-${callers}`, 0);
  const bystanderKey = bystander.newDevice?.DeviceKey ?? '';
  calls.length = 0;
  const limitedBefore = stack.cognito.stats.rateLimited;
  stack.cognito.limitRates();
  const started = performance.now();
  const end = started + SECONDS * 1000;
  const answers: number[] = [];
  const durations: number[] = [];
  let lastAnswer = 0;
  const loop = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await call(stack, 'POST', '/devices/forget-others', { token: attacker.accessToken });
      durations.push(performance.now() - t);
      answers.push(res.status);
      lastAnswer = performance.now();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  };
  const bystanderAnswers: number[] = [];
  const watch = async () => {
    while (performance.now() < end) {
      const res = await call(stack, 'PUT', `/devices/${bystanderKey}/status`, {
        token: bystander.accessToken,
        json: { status: 'remembered' },
      });
      bystanderAnswers.push(res.status);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
  await Promise.all([...Array.from({ length: callers }, loop), watch()]);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  stack.cognito.limitRates(undefined);
  const window = (op: string) => calls.filter((c) => c.op === op && c.at >= started);
  const peak = (op: string) => {
    const perSecond = new Map<number, number>();
    for (const c of window(op))
      perSecond.set(
        Math.floor((c.at - started) / 1000),
        (perSecond.get(Math.floor((c.at - started) / 1000)) ?? 0) + 1,
      );
    return Math.max(0, ...perSecond.values());
  };
  const elapsed = (lastAnswer - started) / 1000;
  durations.sort((a, b) => a - b);
  console.log(
    `\n${name}: ${callers} caller(s) with one token, ${pauseMs} ms between calls, ${SECONDS} s, ${DEVICES} devices`,
  );
  console.log('| Measure | Value |\n|---|---|');
  console.log(`| forget-others answers | ${statuses(answers)} |`);
  console.log(
    `| slowest answer | ${Math.round(durations.at(-1) ?? 0)} ms (p50 ${Math.round(durations[Math.floor(durations.length / 2)] ?? 0)} ms) |`,
  );
  for (const op of ['ForgetDevice', 'ListDevices']) {
    console.log(
      `| ${op} calls | ${window(op).length} (${(window(op).length / elapsed).toFixed(1)}/s, peak ${peak(op)} in one second) |`,
    );
  }
  console.log(`| calls Cognito refused for its rate | ${stack.cognito.stats.rateLimited - limitedBefore} |`);
  console.log(
    `| Cognito calls after the last answer | ${calls.filter((c) => c.at > lastAnswer + 5).length} |`,
  );
  console.log(`| bystander's status updates | ${statuses(bystanderAnswers)} |`);
}

await scenario('Steady', 1, 1_000);
await scenario('Parallel', 8, 0);
await stack.close();
