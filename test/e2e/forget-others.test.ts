// Routes: POST /devices/forget-others. Flow: many other devices forgotten in paced, bounded calls, under throttling,
// slow and lost answers.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../local/cognito/state.js';
import type { LocalStack } from '../../local/stack.js';
import { call, onApiCall, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
const cognitoCalls: Array<{ op: string; at: number }> = [];

beforeAll(async () => {
  // 20 forgets a second, so the paced paths run in test time.
  stack = await startTestStack('always', { functionEnv: { FORGET_RATE_PER_SECOND: '20' } });
  onApiCall(stack, (op) => cognitoCalls.push({ op, at: performance.now() }));
});
afterAll(async () => {
  await stack?.close();
});

/** A signed-in user with `others` more remembered devices than the one this sign-in is on. */
async function userWith(username: string, others: number): Promise<SignedIn> {
  const user = await signIn(stack, username);
  const current = user.newDevice?.DeviceKey ?? '';
  expect(
    (await call(stack, 'POST', '/devices', { token: user.accessToken, json: { deviceKey: current } })).status,
  ).toBe(201);
  // Volume set-up straight into the stand-in's state: what is under test is the forgetting, not the seeding.
  const record = stack.cognito.store.data.pools[stack.userPoolId]?.users[username];
  if (!record) throw new Error('no user');
  const now = Date.now();
  for (let i = 0; i < others; i++) {
    const key = `eu-west-1_${randomUUID()}`;
    const device: DeviceRecord = {
      key,
      groupKey: '-seeded',
      confirmed: true,
      remembered: 'remembered',
      createdAt: now - (others - i) * 1_000,
      lastModifiedAt: now,
    };
    record.devices[key] = device;
  }
  return user;
}

const forgetOthers = (user: SignedIn) =>
  call(stack, 'POST', '/devices/forget-others', { token: user.accessToken });
const listed = async (user: SignedIn) => {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await call(stack, 'GET', `/devices${cursor ? `?cursor=${cursor}` : ''}`, {
      token: user.accessToken,
    });
    const body = res.body as { devices: Array<{ deviceKey: string }>; nextCursor: string | null };
    keys.push(...body.devices.map((d) => d.deviceKey));
    cursor = body.nextCursor;
  } while (cursor);
  return keys;
};

/** Calls forget-others until `complete`, as the demo does; returns every answer. */
async function untilComplete(user: SignedIn) {
  const answers: Array<{ forgotten: number; remaining: number; complete: boolean }> = [];
  for (let i = 0; i < 50; i++) {
    const res = await forgetOthers(user);
    expect(res.status).toBe(200);
    answers.push(res.body as (typeof answers)[number]);
    if (answers.at(-1)?.complete) return answers;
  }
  throw new Error('never complete');
}

describe('POST /devices/forget-others', () => {
  it.each([
    [0, 'no other device'],
    [1, 'one other device'],
  ])('%i others (%s): done in one request, the current device kept', async (others) => {
    const user = await userWith(`others-${others}`, others);
    const res = await forgetOthers(user);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      forgotten: others,
      remaining: 0,
      complete: true,
      keptDeviceKey: user.newDevice?.DeviceKey,
    });
    expect(await listed(user)).toEqual([user.newDevice?.DeviceKey]);
  });

  it('61 others: at most 10 a request, paced, each answer truthful; called again until complete', async () => {
    const user = await userWith('others-61', 61);
    cognitoCalls.length = 0;
    const answers = await untilComplete(user);
    expect(answers.map((a) => a.forgotten)).toEqual([10, 10, 10, 10, 10, 10, 1]);
    expect(answers.at(-1)).toMatchObject({ remaining: 0, complete: true });
    // Until the last, each says at least what is still there (one page counted: up to 60).
    expect(answers.slice(0, -1).every((a) => !a.complete && a.remaining > 0)).toBe(true);
    expect(await listed(user)).toEqual([user.newDevice?.DeviceKey]);
    // Paced: never more than the configured rate in any second.
    const forgets = cognitoCalls.filter((c) => c.op === 'ForgetDevice').map((c) => c.at);
    expect(forgets).toHaveLength(61);
    for (let i = 20; i < forgets.length; i++)
      expect((forgets[i] ?? 0) - (forgets[i - 20] ?? 0)).toBeGreaterThanOrEqual(950);
  }, 30_000);

  it('3,000 others behind a slow Cognito: one request costs a bounded number of calls and answers in time', async () => {
    const user = await userWith('others-3000', 3_000);
    stack.cognito.latencyMs = 60;
    cognitoCalls.length = 0;
    const started = performance.now();
    const res = await forgetOthers(user).finally(() => {
      stack.cognito.latencyMs = 0;
    });
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(4_500);
    expect(res.body).toMatchObject({ forgotten: 10, complete: false });
    expect(cognitoCalls.filter((c) => c.op === 'ListDevices')).toHaveLength(2);
    expect(cognitoCalls.filter((c) => c.op === 'ForgetDevice')).toHaveLength(10);
  });

  it('throttled by Cognito: reports the truth with Retry-After, and a retry completes', async () => {
    const user = await userWith('others-throttled', 3);
    stack.cognito.faults.inject({ kind: 'throttle', operation: 'ForgetDevice', times: 2 });
    const throttled = await forgetOthers(user);
    stack.cognito.faults.clear();
    expect(throttled.status).toBe(200);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.body).toMatchObject({ forgotten: 0, remaining: 3, complete: false });
    const retried = await forgetOthers(user);
    expect(retried.body).toMatchObject({ forgotten: 3, remaining: 0, complete: true });
    // And again: nothing left, nothing to do.
    expect((await forgetOthers(user)).body).toMatchObject({ forgotten: 0, remaining: 0, complete: true });
  });

  it('a forget whose answer was lost still counts, and nothing is reported done that is not', async () => {
    const user = await userWith('others-lost', 2);
    stack.cognito.faults.inject({ kind: 'lose-answer', operation: 'ForgetDevice', times: 1 });
    const res = await forgetOthers(user);
    expect(res.body).toMatchObject({ forgotten: 2, remaining: 0, complete: true });
  });

  it('needs a valid token, like every route', async () => {
    const res = await call(stack, 'POST', '/devices/forget-others', {});
    expect(res.status).toBe(401);
  });
});
