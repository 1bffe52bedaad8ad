import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../local/cognito/state.js';
import type { LocalStack } from '../../local/stack.js';
import { call, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
const cognitoCalls: Array<{ op: string; at: number }> = [];

beforeAll(async () => {
  // 20 forgets a second: 200 devices take two requests within the 10 s function timeout, so both paths run.
  stack = await startTestStack('always', { functionEnv: { FORGET_RATE_PER_SECOND: '20' } });
  stack.cognito.onCall((op) => cognitoCalls.push({ op, at: performance.now() }));
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

describe('POST /devices/forget-others', () => {
  it.each([
    [0, 'no other device'],
    [1, 'one other device'],
    [61, 'more than one ListDevices page'],
  ])('%i others (%s): all forgotten in one request, the current device kept', async (others) => {
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

  it('200 others: paced under the quotas, stops in time with what remains, and finishes when called again', async () => {
    const user = await userWith('others-200', 200);
    cognitoCalls.length = 0;
    const first = await forgetOthers(user);
    expect(first.status).toBe(200);
    const progress = first.body as { forgotten: number; remaining: number; complete: boolean };
    expect(progress.complete).toBe(false);
    expect(progress.forgotten).toBeGreaterThan(100);
    expect(progress.forgotten + progress.remaining).toBe(200);
    expect((await listed(user)).length).toBe(1 + progress.remaining);
    // Paced: never more than the configured rate in any second.
    const forgets = cognitoCalls.filter((c) => c.op === 'ForgetDevice').map((c) => c.at);
    for (let i = 20; i < forgets.length; i++)
      expect((forgets[i] ?? 0) - (forgets[i - 20] ?? 0)).toBeGreaterThanOrEqual(950);
    const second = await forgetOthers(user);
    expect(second.body).toEqual({
      forgotten: progress.remaining,
      remaining: 0,
      complete: true,
      keptDeviceKey: user.newDevice?.DeviceKey,
    });
    expect(await listed(user)).toEqual([user.newDevice?.DeviceKey]);
  }, 30_000);

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
