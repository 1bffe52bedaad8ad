import { gunzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Log } from '../observability.js';
import type { DeviceEvent } from './device-event.js';
import { eventOfLine } from './event-log.js';
import type { Bus } from './eventbridge.js';
import type { RetryQueue } from './retry-queue.js';

/**
 * The event delivery: publishes to EventBridge the device events the functions wrote as lines of their output
 * (functions/events/event-log.ts), off every request's path.
 *
 * - From CloudWatch Logs (the subscription filter on each function's log group): an event whose device is named later
 *   (`nameLater`: the change did not read the name) is named from Cognito first; the events are put, each refused
 *   entry tried again a few times; what EventBridge still does not take, or Cognito did not name, goes to the retry
 *   queue. Only a queue that cannot keep them fails the invocation, which Lambda then retries (twice), and then hands
 *   to the same queue (the function's on-failure destination).
 * - From the retry queue (an SQS event source): each message is one event (or the invocation record of a failed
 *   delivery, whose payload holds the lines); those not named or not taken are reported as failures, so SQS gives
 *   them back after its visibility timeout, for as long as the queue keeps a message (then its dead-letter queue keeps
 *   it, and the `EventsDeadLettered` alarm fires).
 *
 * So an event is delivered at least once (a put whose answer was lost is put again), in no guaranteed order, usually
 * seconds after its change, and never lost while EventBridge is slow, throttled or down for hours.
 */
/** The readable names of users' devices, as the delivery reads them for the events that name a device later. */
export interface DeviceNames {
  /**
   * The device's readable name (`displayName`), or null when it has none or is gone (forgotten since the change, the
   * user deleted); throws when Cognito did not say (throttled, unreachable): the event waits and is named later.
   */
  name(sub: string, deviceKey: string): Promise<string | null>;
}

export function makeEventDelivery(deps: {
  readonly bus: Bus;
  readonly queue: RetryQueue;
  /** Names the devices of `nameLater` events; without it they are published with the name they have (null). */
  readonly names?: DeviceNames | undefined;
  readonly log: Log;
  /** Counts the events not published at once, kept for later (the `EventsDeferred` metric). */
  readonly deferred: (count: number) => void;
  /** Tries of a refused entry within one invocation, and the pause before the first retry (doubling). */
  readonly attempts?: number;
  readonly backoffMs?: number;
}) {
  const attempts = deps.attempts ?? 3;
  const backoffMs = deps.backoffMs ?? 200;
  const names = deps.names && knownNames(deps.names);

  async function putWithRetries(
    events: DeviceEvent[],
  ): Promise<{ failed: DeviceEvent[]; reasons: string[] }> {
    let pending = events;
    let reasons: string[] = [];
    for (let attempt = 1; attempt <= attempts && pending.length > 0; attempt++) {
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 2)));
      ({ failed: pending, reasons } = await deps.bus.put(pending));
    }
    return { failed: pending, reasons };
  }

  /** Each event as it is published (named), in order; those whose name Cognito did not give are left as they were. */
  async function named(events: DeviceEvent[]): Promise<{ ready: DeviceEvent[]; unnamed: DeviceEvent[] }> {
    names?.learn(events);
    const reasons = new Set<string>();
    const outcomes = await Promise.all(
      events.map(async (event): Promise<{ ready: DeviceEvent } | { unnamed: DeviceEvent }> => {
        if (!event.nameLater) return { ready: event };
        const { nameLater: _, ...published } = event;
        if (!names || !event.detail.deviceKey) return { ready: published };
        try {
          const deviceName = await names.name(event.detail.sub, event.detail.deviceKey);
          return { ready: { ...published, detail: { ...published.detail, deviceName } } };
        } catch (error) {
          reasons.add((error as { code?: string }).code ?? (error as Error).name);
          return { unnamed: event };
        }
      }),
    );
    const ready = outcomes.flatMap((o) => ('ready' in o ? [o.ready] : []));
    const unnamed = outcomes.flatMap((o) => ('unnamed' in o ? [o.unnamed] : []));
    if (unnamed.length > 0) {
      deps.log.warn('device names not read from Cognito: the events wait', {
        count: unnamed.length,
        reasons: [...reasons],
      });
    }
    return { ready, unnamed };
  }

  return async (event: CloudWatchLogsEvent | SQSEvent): Promise<SQSBatchResponse | undefined> => {
    if ('awslogs' in event) {
      const { ready, unnamed } = await named(eventsOfLogs(event));
      const { failed, reasons } = await putWithRetries(ready);
      if (failed.length > 0) {
        // Types and reasons only: never a detail, which names the user.
        deps.log.warn('events kept for later: EventBridge did not take them', {
          count: failed.length,
          types: failed.map((e) => e.type),
          reasons,
        });
      }
      const kept = [...unnamed, ...failed];
      if (kept.length > 0) {
        deps.deferred(kept.length);
        await deps.queue.send(kept);
      }
      return undefined;
    }
    // A message is one event the delivery kept, or the invocation record Lambda kept of a delivery that failed
    // (its on-failure destination), whose payload holds the lines.
    const records = event.Records.map((record) => ({
      id: record.messageId,
      events: queued(record.body, deps.log),
    }));
    const naming = await Promise.all(records.map((record) => named(record.events)));
    const { failed, reasons } = await deps.bus.put(naming.flatMap((n) => n.ready));
    if (failed.length > 0)
      deps.log.warn('events still not taken by EventBridge', { count: failed.length, reasons });
    const failedSet = new Set(failed);
    return {
      batchItemFailures: records
        .filter((_, i) => {
          const { ready, unnamed } = naming[i] ?? { ready: [], unnamed: [] };
          return unnamed.length > 0 || ready.some((e) => failedSet.has(e));
        })
        .map((r) => ({ itemIdentifier: r.id })),
    };
  };
}

/** How many device names a delivery instance keeps (a few hundred kilobytes at most). */
const KNOWN_NAMES = 10_000;

/**
 * Names as the delivery learns them: a device's name is given once, when it is confirmed (ConfirmDevice of a confirmed
 * device is refused: DeviceKeyExistsException), and no operation renames it, so a name read or published once is
 * its name for good. The events that carry one (confirmed, forgotten, trust expired…) teach it, and Cognito is asked
 * only for a device this instance has not met, once however many of its events arrive together.
 */
function knownNames(source: DeviceNames) {
  const known = new Map<string, string | null>();
  const asking = new Map<string, Promise<string | null>>();
  const keep = (key: string, name: string | null) => {
    known.delete(key);
    known.set(key, name);
    if (known.size > KNOWN_NAMES) known.delete(known.keys().next().value as string);
  };
  return {
    learn(events: readonly DeviceEvent[]) {
      for (const { detail, nameLater } of events) {
        if (!nameLater && detail.deviceKey && detail.deviceName !== null)
          keep(`${detail.sub} ${detail.deviceKey}`, detail.deviceName);
        for (const device of detail.devices ?? [])
          if (device.deviceName !== null) keep(`${detail.sub} ${device.deviceKey}`, device.deviceName);
      }
    },
    async name(sub: string, deviceKey: string): Promise<string | null> {
      const key = `${sub} ${deviceKey}`;
      if (known.has(key)) return known.get(key) ?? null;
      let pending = asking.get(key);
      if (!pending) {
        pending = source.name(sub, deviceKey).finally(() => asking.delete(key));
        asking.set(key, pending);
      }
      const name = await pending;
      keep(key, name);
      return name;
    },
  };
}

/** CloudWatch Logs' subscription payload: base64 of gzipped JSON, whose log events are the function's lines. */
export function eventsOfLogs(event: CloudWatchLogsEvent): DeviceEvent[] {
  const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')) as {
    messageType: string;
    logEvents?: Array<{ message: string }>;
  };
  // CloudWatch Logs checks the destination with a CONTROL_MESSAGE when the subscription is made: nothing to deliver.
  if (data.messageType !== 'DATA_MESSAGE') return [];
  return (data.logEvents ?? []).flatMap((logEvent) => {
    const parsed = eventOfLine(logEvent.message);
    return parsed ? [parsed] : [];
  });
}

/** The events of a retry queue message (none, logged, for a message that holds none). */
function queued(body: string, log: Log): DeviceEvent[] {
  try {
    const parsed = JSON.parse(body) as Partial<DeviceEvent> & { requestPayload?: CloudWatchLogsEvent };
    if (parsed.requestPayload?.awslogs) return eventsOfLogs(parsed.requestPayload);
    if (typeof parsed.type === 'string' && typeof parsed.detail === 'object') return [parsed as DeviceEvent];
  } catch {
    // Not JSON: below.
  }
  log.error('a retry queue message without device events was dropped', {});
  return [];
}
