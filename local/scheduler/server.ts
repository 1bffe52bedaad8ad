import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, signedFor } from '../listen.js';

/**
 * A local stand-in for Amazon EventBridge Scheduler, enough for one-time schedules with a Lambda target, which is
 * what the product makes (a remembered device's record of trust, a user's check after a sign-in): CreateSchedule,
 * UpdateSchedule, GetSchedule, DeleteSchedule and ListSchedules over its REST JSON API, in schedule groups. At a
 * schedule's `at(…)` time (UTC), or at a random moment of its flexible time window after it, it invokes the local
 * function registered for the target's ARN with the target's `Input` as the event, as the service does for a Lambda
 * target, then deletes the schedule when its `ActionAfterCompletion` is `DELETE`. As the API reference says: a name
 * taken in the group is ConflictException, a missing schedule or group ResourceNotFoundException. A failed or
 * throttled invocation is retried by the target's RetryPolicy (by default 185 attempts within 24 hours), with
 * exponential back-off and jitter as the service does, then dropped (the service sends it to a dead-letter queue,
 * which the product does not set). A target registered with a concurrency runs at most that many at once, as a
 * function's reserved concurrency does: more are throttled, and retried. In memory: schedules are made anew when the
 * product runs again.
 */
export type LocalTarget = (event: unknown) => Promise<unknown>;

interface Schedule {
  readonly name: string;
  readonly group: string;
  expression: string;
  at: number;
  targetArn: string;
  roleArn: string;
  input: string | undefined;
  actionAfterCompletion: string;
  state: string;
  /** FLEXIBLE's window, in ms (0: OFF). */
  windowMs: number;
  retry: { maxAttempts: number; maxAgeMs: number };
  readonly created: number;
  modified: number;
  timer?: NodeJS.Timeout;
}

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const SIGV4 = signedFor('scheduler');
const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const AT = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/;
const MAX_TIMER_MS = 2 ** 31 - 1;

export class SchedulerStandIn {
  private readonly groups = new Set<string>(['default']);
  private readonly schedules = new Map<string, Schedule>();
  private readonly targets = new Map<string, { fn: LocalTarget; concurrency: number; running: number }>();
  /** Every invocation tried, in order (tests read what fired): `throttled` when the target was at its concurrency. */
  readonly invocations: Array<{
    schedule: string;
    targetArn: string;
    at: number;
    ok: boolean;
    throttled?: boolean;
  }> = [];
  /** Back-off of the first retry (ms); tests shorten it. */
  retryBaseMs = 1_000;
  /** While true, every API call is answered 503 ServiceUnavailableException (tests of a scheduler that is down). */
  failing = false;

  private constructor(
    private readonly closeServer: () => Promise<void>,
    readonly url: string,
    private readonly region: string,
  ) {}

  static async start(
    options: { host?: string; port?: number; region?: string } = {},
  ): Promise<SchedulerStandIn> {
    const { url, serve, close } = await listen(options, (res) =>
      send(res, 500, 'InternalServerException', { Message: 'Internal error' }),
    );
    const instance = new SchedulerStandIn(close, url, options.region ?? 'us-east-1');
    serve((req, res) => instance.handle(req, res));
    return instance;
  }

  /** A schedule group, as the stack creates its own. */
  createGroup(name: string): void {
    this.groups.add(name);
  }

  /** The local function behind a Lambda ARN, invoked when a schedule targeting it fires, `concurrency` at a time. */
  registerTarget(arn: string, target: LocalTarget, options: { concurrency?: number } = {}): void {
    this.targets.set(arn, {
      fn: target,
      concurrency: options.concurrency ?? Number.POSITIVE_INFINITY,
      running: 0,
    });
  }

  /** Deletes a schedule as if someone had (tests); none is fine. */
  async deleteSchedule(group: string, name: string): Promise<void> {
    const schedule = this.schedules.get(this.key(group, name));
    if (schedule) this.remove(schedule);
  }

  /** The schedules now waiting, by name (tests). */
  pending(group: string): string[] {
    return [...this.schedules.values()].filter((s) => s.group === group).map((s) => s.name);
  }

  async close(): Promise<void> {
    for (const schedule of this.schedules.values()) clearTimeout(schedule.timer);
    await this.closeServer();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://local');
    try {
      if (this.failing)
        throw new ServiceError(503, 'ServiceUnavailableException', 'Service unavailable (injected)');
      if (!SIGV4.test(String(req.headers.authorization ?? ''))) {
        throw new ServiceError(403, 'UnrecognizedClientException', 'Missing Authentication Token');
      }
      const body = chunks.length
        ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
        : {};
      const match = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) throw new ServiceError(404, 'ResourceNotFoundException', 'Unknown path');
      const name = match[1] ? decodeURIComponent(match[1]) : undefined;
      if (name === undefined && req.method === 'GET')
        return send(res, 200, undefined, this.list(url.searchParams));
      if (name === undefined) throw new ServiceError(404, 'ResourceNotFoundException', 'Unknown path');
      if (!NAME.test(name)) throw new ServiceError(400, 'ValidationException', 'Invalid schedule name');
      switch (req.method) {
        case 'POST':
          return send(res, 200, undefined, { ScheduleArn: this.put(name, body, false) });
        case 'PUT':
          return send(res, 200, undefined, { ScheduleArn: this.put(name, body, true) });
        case 'GET':
          return send(res, 200, undefined, this.describe(this.find(name, url.searchParams.get('groupName'))));
        case 'DELETE': {
          const schedule = this.find(name, url.searchParams.get('groupName'));
          this.remove(schedule);
          return send(res, 200, undefined, {});
        }
        default:
          throw new ServiceError(405, 'ValidationException', 'Unsupported method');
      }
    } catch (error) {
      if (error instanceof ServiceError)
        return send(res, error.status, error.type, { Message: error.message });
      if (error instanceof SyntaxError)
        return send(res, 400, 'ValidationException', { Message: 'Malformed JSON' });
      throw error;
    }
  }

  private key = (group: string, name: string) => `${group}/${name}`;

  private find(name: string, groupName: string | null): Schedule {
    const schedule = this.schedules.get(this.key(groupName ?? 'default', name));
    if (!schedule)
      throw new ServiceError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return schedule;
  }

  private put(name: string, body: Record<string, unknown>, update: boolean): string {
    const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
    if (!this.groups.has(group))
      throw new ServiceError(404, 'ResourceNotFoundException', `Schedule group ${group} does not exist.`);
    const key = this.key(group, name);
    const existing = this.schedules.get(key);
    if (update && !existing)
      throw new ServiceError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (!update && existing)
      throw new ServiceError(409, 'ConflictException', `Schedule ${name} already exists.`);
    const expression = String(body.ScheduleExpression ?? '');
    const at = AT.exec(expression)?.[1];
    if (!at)
      throw new ServiceError(
        400,
        'ValidationException',
        'Only one-time schedules, at(yyyy-mm-ddThh:mm:ss), are served here',
      );
    const target = body.Target as
      | {
          Arn?: string;
          RoleArn?: string;
          Input?: string;
          RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
        }
      | undefined;
    const window = body.FlexibleTimeWindow as { Mode?: string; MaximumWindowInMinutes?: number } | undefined;
    if (!target?.Arn || !target.RoleArn)
      throw new ServiceError(400, 'ValidationException', 'Target Arn and RoleArn are required');
    if (existing) clearTimeout(existing.timer);
    const now = Date.now();
    const schedule: Schedule = {
      name,
      group,
      expression,
      at: Date.parse(`${at}Z`),
      targetArn: target.Arn,
      roleArn: target.RoleArn,
      input: target.Input,
      actionAfterCompletion: String(body.ActionAfterCompletion ?? 'NONE'),
      state: String(body.State ?? 'ENABLED'),
      windowMs: window?.Mode === 'FLEXIBLE' ? (window.MaximumWindowInMinutes ?? 0) * 60_000 : 0,
      retry: {
        maxAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? 185,
        maxAgeMs: (target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400) * 1_000,
      },
      created: existing?.created ?? now,
      modified: now,
    };
    this.schedules.set(key, schedule);
    this.arm(schedule, 0);
    return this.arn(schedule);
  }

  private arn(schedule: Schedule): string {
    return `arn:aws:scheduler:${this.region}:000000000000:schedule/${schedule.group}/${schedule.name}`;
  }

  private arm(schedule: Schedule, attempt: number): void {
    if (schedule.state !== 'ENABLED') return;
    const backOff = Math.min(60_000, this.retryBaseMs * 2 ** (attempt - 1));
    const delay =
      attempt === 0
        ? Math.max(0, schedule.at - Date.now()) + Math.floor(Math.random() * schedule.windowMs)
        : Math.floor(backOff / 2 + (Math.random() * backOff) / 2);
    // Node's timers hold at most 2^31 - 1 ms (24.8 days; a longer delay fires at once): wait in steps.
    if (delay > MAX_TIMER_MS) {
      schedule.timer = setTimeout(() => this.arm(schedule, 0), MAX_TIMER_MS);
    } else {
      schedule.timer = setTimeout(() => void this.fire(schedule, attempt), delay);
    }
    schedule.timer.unref();
  }

  private async fire(schedule: Schedule, attempt: number): Promise<void> {
    if (this.schedules.get(this.key(schedule.group, schedule.name)) !== schedule) return;
    const target = this.targets.get(schedule.targetArn);
    let ok = false;
    let throttled = false;
    if (target && target.running >= target.concurrency) {
      throttled = true;
    } else {
      if (target) target.running++;
      try {
        if (!target) throw new Error(`no function ${schedule.targetArn}`);
        await target.fn(schedule.input === undefined ? {} : JSON.parse(schedule.input));
        ok = true;
      } catch {
        ok = false;
      } finally {
        if (target) target.running--;
      }
    }
    this.invocations.push({
      schedule: schedule.name,
      targetArn: schedule.targetArn,
      at: Date.now(),
      ok,
      ...(throttled && { throttled }),
    });
    const fresh = Date.now() - schedule.at < schedule.retry.maxAgeMs;
    if (!ok && attempt < schedule.retry.maxAttempts && fresh) return this.arm(schedule, attempt + 1);
    if (schedule.actionAfterCompletion === 'DELETE') this.remove(schedule);
  }

  private remove(schedule: Schedule): void {
    clearTimeout(schedule.timer);
    this.schedules.delete(this.key(schedule.group, schedule.name));
  }

  private describe(schedule: Schedule) {
    return {
      Arn: this.arn(schedule),
      Name: schedule.name,
      GroupName: schedule.group,
      ScheduleExpression: schedule.expression,
      ScheduleExpressionTimezone: 'UTC',
      State: schedule.state,
      ActionAfterCompletion: schedule.actionAfterCompletion,
      FlexibleTimeWindow:
        schedule.windowMs > 0
          ? { Mode: 'FLEXIBLE', MaximumWindowInMinutes: schedule.windowMs / 60_000 }
          : { Mode: 'OFF' },
      CreationDate: schedule.created / 1000,
      LastModificationDate: schedule.modified / 1000,
      Target: {
        Arn: schedule.targetArn,
        RoleArn: schedule.roleArn,
        ...(schedule.input && { Input: schedule.input }),
      },
    };
  }

  private list(params: URLSearchParams) {
    const group = params.get('ScheduleGroup');
    const prefix = params.get('NamePrefix') ?? '';
    const max = Math.min(100, Number(params.get('MaxResults') ?? 100) || 100);
    const start = Number(params.get('NextToken') ?? 0) || 0;
    const all = [...this.schedules.values()]
      .filter((s) => (group === null || s.group === group) && s.name.startsWith(prefix))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = all.slice(start, start + max);
    return {
      Schedules: page.map((s) => ({
        Arn: this.arn(s),
        Name: s.name,
        GroupName: s.group,
        State: s.state,
        CreationDate: s.created / 1000,
        LastModificationDate: s.modified / 1000,
        Target: { Arn: s.targetArn },
      })),
      ...(start + max < all.length && { NextToken: String(start + max) }),
    };
  }
}

function send(res: ServerResponse, status: number, errorType: string | undefined, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    ...(errorType && { 'x-amzn-errortype': `${errorType}:` }),
  });
  res.end(JSON.stringify(body ?? {}));
}
