import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsJsonClient } from '../../functions/aws/signed-request.js';
import { SchedulerStandIn } from '../../local/scheduler/server.js';

/**
 * The EventBridge Scheduler stand-in through the same signed client the functions use: one-time schedules in a
 * group, made, moved, read, listed and deleted as the API reference describes, and fired on time with their input.
 */
let scheduler: SchedulerStandIn;
let client: ReturnType<typeof awsJsonClient>;
const fired: unknown[] = [];
const TARGET = 'arn:aws:lambda:eu-west-1:000000000000:function:target';
const env = { ...process.env };

beforeAll(async () => {
  process.env.AWS_ACCESS_KEY_ID = 'ASIATEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  scheduler = await SchedulerStandIn.start({ region: 'eu-west-1' });
  scheduler.createGroup('trust');
  scheduler.registerTarget(TARGET, async (event) => {
    fired.push(event);
  });
  client = awsJsonClient({
    service: 'scheduler',
    region: 'eu-west-1',
    endpoint: scheduler.url,
    contentType: 'application/json',
    timeoutMs: 1_000,
  });
});
afterAll(async () => {
  await scheduler.close();
  process.env = env;
});

/** At least `ms` from now, to the second (the expression has no milliseconds). */
const at = (ms: number) =>
  `at(${new Date(Math.ceil((Date.now() + ms) / 1000) * 1000).toISOString().slice(0, 19)})`;
const body = (ms: number, input = '{"n":1}') => ({
  GroupName: 'trust',
  ScheduleExpression: at(ms),
  FlexibleTimeWindow: { Mode: 'OFF' },
  ActionAfterCompletion: 'DELETE',
  Target: { Arn: TARGET, RoleArn: 'arn:aws:iam::000000000000:role/r', Input: input },
});

describe('EventBridge Scheduler stand-in', () => {
  it('fires a one-time schedule on time with its input, then deletes it', async () => {
    await client.call({ method: 'POST', path: '/schedules/soon', body: body(1_000) });
    expect(scheduler.pending('trust')).toEqual(['soon']);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(fired).toEqual([{ n: 1 }]);
    expect(scheduler.pending('trust')).toEqual([]);
  });

  it('a name taken is ConflictException; an update moves it; a missing one is ResourceNotFoundException', async () => {
    await client.call({ method: 'POST', path: '/schedules/later', body: body(3_600_000) });
    await expect(
      client.call({ method: 'POST', path: '/schedules/later', body: body(3_600_000) }),
    ).rejects.toMatchObject({ type: 'ConflictException', status: 409 });
    await client.call({ method: 'PUT', path: '/schedules/later', body: body(7_200_000, '{"n":2}') });
    const got = await client.call<{ Target: { Input: string }; ScheduleExpression: string }>({
      method: 'GET',
      path: '/schedules/later',
      query: { groupName: 'trust' },
    });
    expect(got.Target.Input).toBe('{"n":2}');
    await expect(
      client.call({ method: 'PUT', path: '/schedules/none', body: body(1_000) }),
    ).rejects.toMatchObject({
      type: 'ResourceNotFoundException',
    });
    await expect(
      client.call({ method: 'POST', path: '/schedules/x', body: { ...body(1_000), GroupName: 'missing' } }),
    ).rejects.toMatchObject({ type: 'ResourceNotFoundException' });
  });

  it('lists by name prefix and deletes; a schedule 30 days ahead waits (longer than one Node timer)', async () => {
    await client.call({ method: 'POST', path: '/schedules/trust-a-1', body: body(30 * 86_400_000) });
    await client.call({ method: 'POST', path: '/schedules/trust-a-2', body: body(30 * 86_400_000) });
    await client.call({ method: 'POST', path: '/schedules/trust-b-1', body: body(30 * 86_400_000) });
    const listed = await client.call<{ Schedules: Array<{ Name: string; LastModificationDate: number }> }>({
      method: 'GET',
      path: '/schedules',
      query: { NamePrefix: 'trust-a-', ScheduleGroup: 'trust' },
    });
    expect(listed.Schedules.map((s) => s.Name)).toEqual(['trust-a-1', 'trust-a-2']);
    expect(Math.abs((listed.Schedules[0]?.LastModificationDate ?? 0) * 1000 - Date.now())).toBeLessThan(
      5_000,
    );
    await client.call({ method: 'DELETE', path: '/schedules/trust-a-1', query: { groupName: 'trust' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(scheduler.pending('trust').sort()).toEqual(['later', 'trust-a-2', 'trust-b-1']);
    expect(fired).toHaveLength(1);
  });

  it('refuses an unsigned call', async () => {
    const res = await fetch(`${scheduler.url}/schedules`);
    expect(res.status).toBe(403);
  });

  it('a target at its concurrency is throttled, and the invocation is retried by the schedule’s retry policy', async () => {
    const SLOW = 'arn:aws:lambda:eu-west-1:000000000000:function:slow';
    const done: unknown[] = [];
    scheduler.registerTarget(
      SLOW,
      async (event) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        done.push(event);
      },
      { concurrency: 1 },
    );
    scheduler.retryBaseMs = 200;
    const slow = (input: string) => ({
      ...body(1_000, input),
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 0 },
      Target: { ...body(1_000).Target, Arn: SLOW, Input: input, RetryPolicy: { MaximumRetryAttempts: 5 } },
    });
    await client.call({ method: 'POST', path: '/schedules/first', body: slow('{"n":"a"}') });
    await client.call({ method: 'POST', path: '/schedules/second', body: slow('{"n":"b"}') });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(done).toHaveLength(2);
    const runs = scheduler.invocations.filter((i) => i.targetArn === SLOW);
    expect(runs.filter((r) => r.throttled).length).toBeGreaterThan(0);
    expect(
      runs
        .filter((r) => r.ok)
        .map((r) => r.schedule)
        .sort(),
    ).toEqual(['first', 'second']);
    scheduler.retryBaseMs = 1_000;
  });
});
