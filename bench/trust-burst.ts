/**
 * `npm run bench:trust-burst`: the worst `rememberFor` can do to the account's shared Cognito quota, measured on the
 * local stack with Cognito's per-account rates enforced (25 writes/s, 50 reads/s) and every Cognito call answered 60 ms
 * late. Attackers each remember as many devices as the API allows (MAX_TRUSTED_DEVICES), all in the same second, so
 * that every trust ends in the same second too (a trust of seconds has no flexible window: nothing spreads them); one
 * of them forgets its devices straight at Cognito, so its records fire for devices that are gone. Meanwhile a bystander
 * confirms a new device every 200 ms, the write every user's sign-in needs. docs/reliability.md ("Expiring trust")
 * quotes these figures.
 */
import { randomUUID } from 'node:crypto';
import { ForgetDeviceCommand } from '@aws-sdk/client-cognito-identity-provider';
import { MAX_TRUSTED_DEVICES } from '../functions/trust/ends.js';
import type { DeviceRecord } from '../local/cognito/state.js';
import { localStageConfig } from '../local/settings.js';
import { startLocalStack } from '../local/stack.js';
import { createConfirmedUser } from '../local/users.js';
import { call, cognitoClient, PASSWORD, signIn } from '../test/support/local-stack.js';

const TRUST_SECONDS = 20;
const ATTACKERS = Number(process.env.ATTACKERS ?? 5);
const config = {
  ...localStageConfig({}),
  deviceTracking: 'opt-in' as const,
  mfa: 'off' as const,
  rememberFor: `${TRUST_SECONDS}s`,
};
const stack = await startLocalStack({ config, region: 'eu-west-1', logLevel: 'SILENT' });
stack.cognito.latencyMs = 60;
const calls: Array<{ op: string; at: number }> = [];
stack.cognito.onCall((op) => calls.push({ op, at: performance.now() }));

/** A signed-in user whose `devices` more confirmed, not yet remembered devices are seeded into the stand-in. */
async function user(username: string, devices: number) {
  await createConfirmedUser(cognitoClient(stack), {
    userPoolId: stack.userPoolId,
    username,
    password: PASSWORD,
  });
  const session = await signIn(stack, username);
  const record = stack.cognito.store.data.pools[stack.userPoolId]?.users[username];
  if (!record) throw new Error('no user');
  const keys: string[] = [];
  for (let i = 0; i < devices; i++) {
    const key = `eu-west-1_${randomUUID()}`;
    const now = Date.now();
    record.devices[key] = {
      key,
      groupKey: '-seeded',
      confirmed: true,
      remembered: 'not_remembered',
      createdAt: now,
      lastModifiedAt: now,
    } satisfies DeviceRecord;
    keys.push(key);
  }
  return { session, keys };
}

const attackers = [];
for (let i = 0; i < ATTACKERS; i++) attackers.push(await user(`attacker-${i}`, MAX_TRUSTED_DEVICES + 1));
await user('bystander', 0);

// Every attacker remembers as many devices as it may, one after the other (requests made at once are refused past the
// cap: one at a time reaches it), the attackers side by side; one more is refused.
const remembered = (
  await Promise.all(
    attackers.map(async ({ session, keys }) => {
      const answers = [];
      for (const key of keys) {
        answers.push(
          await call(stack, 'PUT', `/devices/${key}/status`, {
            token: session.accessToken,
            json: { status: 'remembered' },
          }),
        );
      }
      return answers;
    }),
  )
).flat();
// Their trusts end this long after the last of them was remembered, at the latest.
const trustsEndAt = Date.now() + TRUST_SECONDS * 1_000;
const statuses = (list: number[]) => {
  const counts = new Map<number, number>();
  for (const status of list) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n}×${status}`).join(', ');
};
// The first attacker forgets its devices at Cognito itself: their records are left to fire for devices that are gone.
const [first] = attackers;
for (const key of first?.keys ?? []) {
  await cognitoClient(stack)
    .send(new ForgetDeviceCommand({ AccessToken: first?.session.accessToken, DeviceKey: key }))
    .catch(() => undefined);
}

stack.cognito.limitRates();
const started = performance.now();
// What there is to retire: every attacker's remembered devices but the first one's, forgotten already.
const expected = remembered.slice(MAX_TRUSTED_DEVICES + 1).filter((r) => r.status === 200).length;
const retiredSoFar = () => stack.events.events.filter((e) => e.detailType === 'Device trust expired').length;
const end = started + (TRUST_SECONDS + 90) * 1_000;
const bystanderAnswers: number[] = [];
// Until every live device is retired (the forgotten ones leave nothing to retire), and a few seconds more.
while (
  performance.now() < end &&
  (retiredSoFar() < expected || performance.now() < started + (TRUST_SECONDS + 5) * 1_000)
) {
  const session = await signIn(stack, 'bystander');
  const answer = await call(stack, 'POST', '/devices', {
    token: session.accessToken,
    json: { deviceKey: session.newDevice?.DeviceKey },
  });
  bystanderAnswers.push(answer.status);
  await new Promise((resolve) => setTimeout(resolve, 200));
}
stack.cognito.limitRates(undefined);

const expiryRuns = stack.scheduler.invocations.filter((i) => i.targetArn.endsWith('trust-expiry'));
const window = (op: string) => calls.filter((c) => c.op === op && c.at >= started);
const peak = (op: string) => {
  const perSecond = new Map<number, number>();
  for (const c of window(op)) {
    const second = Math.floor((c.at - started) / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }
  return Math.max(0, ...perSecond.values());
};
const retired = retiredSoFar();
const lastRetired = Math.max(0, ...expiryRuns.filter((r) => r.ok).map((r) => (r.at - trustsEndAt) / 1000));
console.log(
  `\n${ATTACKERS} attackers × ${MAX_TRUSTED_DEVICES} remembered devices, one attacker's forgotten at Cognito, a ${TRUST_SECONDS} s trust`,
);
console.log('| Measure | Value |\n|---|---|');
console.log(`| remembering them | ${statuses(remembered.map((r) => r.status))} |`);
console.log(
  `| expiry invocations | ${expiryRuns.length} (${expiryRuns.filter((r) => r.throttled).length} throttled by its reserved concurrency, retried) |`,
);
console.log(`| devices retired ("Device trust expired") | ${retired} of ${expected} |`);
console.log(`| last one retired | ${lastRetired.toFixed(1)} s after the trust ended |`);
for (const op of ['AdminForgetDevice', 'AdminGetDevice', 'AdminGetUser', 'AdminUpdateDeviceStatus']) {
  console.log(`| ${op} calls | ${window(op).length} (peak ${peak(op)} in one second) |`);
}
console.log(`| calls Cognito refused for its rate | ${stack.cognito.stats.rateLimited} |`);
console.log(`| the bystander's new-device confirmations | ${statuses(bystanderAnswers)} |`);
await stack.close();
