import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { CloudWatchLogsEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceNames } from '../../../functions/events/delivery.js';
import { makeEventDelivery } from '../../../functions/events/delivery.js';
import type { DeviceEvent } from '../../../functions/events/device-event.js';
import {
  createEventLog,
  EVENT_LINE_KEY,
  EVENT_LINE_PATTERN,
  EVENT_LINE_START,
  eventOfLine,
} from '../../../functions/events/event-log.js';
import { type Bus, createEventBridgeBus } from '../../../functions/events/eventbridge.js';
import { createRetryQueue, type RetryQueue } from '../../../functions/events/retry-queue.js';
import { EventsStandIn } from '../../../local/events/server.js';
import { SqsStandIn } from '../../../local/sqs/server.js';
import { RecordingLog } from '../../support/recording-log.js';

const event: DeviceEvent = {
  type: 'Device forgotten',
  detail: {
    version: 1,
    sub: '00000000-0000-4000-8000-000000000001',
    clientId: 'client1',
    deviceKey: 'eu-west-1_00000000-0000-4000-8000-000000000002',
    deviceName: 'Chrome on macOS',
    sourceIp: '203.0.113.7',
    userAgent: 'Mozilla/5.0',
    time: '2026-11-25T10:00:00.000Z',
  },
};
const numbered = (n: number): DeviceEvent => ({
  ...event,
  detail: { ...event.detail, deviceName: `device ${n}` },
});

let bus: EventsStandIn;
let sqs: SqsStandIn;
const env = { ...process.env };
beforeAll(async () => {
  bus = await EventsStandIn.start();
  sqs = await SqsStandIn.start();
  // Lambda's environment credentials, which the clients sign with.
  process.env.AWS_ACCESS_KEY_ID = 'ASIATESTROLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-role-secret';
});
afterAll(async () => {
  await bus.close();
  await sqs.close();
  process.env = env;
});

/** The lines a function wrote, as CloudWatch Logs hands them to a subscription's Lambda destination. */
function logsPayload(lines: string[], messageType = 'DATA_MESSAGE'): CloudWatchLogsEvent {
  const data = {
    messageType,
    owner: '123456789012',
    logGroup: '/aws/lambda/devices-api',
    logStream: '2026/11/25/[$LATEST]abc',
    subscriptionFilters: ['device-events'],
    logEvents: lines.map((message, i) => ({ id: String(i), timestamp: 1_764_064_800_000, message })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(data)).toString('base64') } };
}

function written(events: DeviceEvent[]): string[] {
  const lines: string[] = [];
  void createEventLog((line) => lines.push(line)).publish(events);
  return lines.map((line) => line.trimEnd());
}

function sqsEvent(bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({ messageId: `m${i}`, body }) as SQSEvent['Records'][number]),
  };
}

/** A bus that refuses the events `refuses` picks, and records what it took. */
function fakeBus(refuses: (event: DeviceEvent, call: number) => boolean = () => false) {
  const taken: DeviceEvent[] = [];
  let calls = 0;
  const fake: Bus & { taken: DeviceEvent[]; calls: () => number } = {
    taken,
    calls: () => calls,
    async put(events) {
      calls++;
      const failed = events.filter((e) => refuses(e, calls));
      taken.push(...events.filter((e) => !failed.includes(e)));
      return { failed, reasons: failed.map(() => 'ThrottlingException') };
    },
  };
  return fake;
}

function fakeQueue(fails = false) {
  const kept: DeviceEvent[] = [];
  const queue: RetryQueue & { kept: DeviceEvent[] } = {
    kept,
    async send(events) {
      if (fails) throw new Error('SQS is down');
      kept.push(...events);
    },
  };
  return queue;
}

function delivery(theBus: Bus, queue: RetryQueue, names?: DeviceNames) {
  const log = new RecordingLog();
  const deferred: number[] = [];
  const handler = makeEventDelivery({
    bus: theBus,
    queue,
    names,
    log,
    deferred: (count) => deferred.push(count),
    backoffMs: 1,
  });
  return { handler, log, deferred };
}

describe('event lines (what the functions write)', () => {
  it('are one JSON line per event under the line key, read back whole; other lines are not events', () => {
    const lines = written([event, numbered(2)]);
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toEqual({ [EVENT_LINE_KEY]: event });
    for (const line of lines) expect(line.startsWith(EVENT_LINE_START)).toBe(true);
    expect(lines.map(eventOfLine)).toEqual([event, numbered(2)]);
    for (const other of [
      '{"level":"INFO","message":"request"}',
      `{"${EVENT_LINE_KEY}": {"type": 3}}`,
      `{"${EVENT_LINE_KEY}": `,
      `START RequestId: ${EVENT_LINE_KEY}`,
    ]) {
      expect(eventOfLine(other)).toBeUndefined();
    }
  });

  it("the subscription filter selects them by the detail's version, as CloudWatch Logs' JSON pattern reads it", () => {
    const [, path, value] = /^\{ \$\.([\w.]+) = (\d+) \}$/.exec(EVENT_LINE_PATTERN) ?? [];
    const at = (line: string) =>
      (path ?? '')
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], JSON.parse(line));
    expect(written([event]).map(at)).toEqual([Number(value)]);
    expect(at('{"level":"INFO","message":"request"}')).toBeUndefined();
  });
});

describe('EventBridge bus (PutEvents, SigV4)', () => {
  const theBus = (endpoint: string, timeoutMs = 1_000) =>
    createEventBridgeBus({ region: 'eu-west-1', busName: 'devices', endpoint, timeoutMs });

  it("puts signed entries with the source, the detail type, the detail and the change's own time, ten a call", async () => {
    const calls = bus.calls;
    const events = Array.from({ length: 12 }, (_, i) => numbered(i));
    await expect(theBus(bus.url).put(events)).resolves.toEqual({ failed: [], reasons: [] });
    expect(bus.calls - calls).toBe(2);
    expect(bus.events.slice(-12).map((e) => [e.bus, e.source, e.detailType, e.time])).toEqual(
      events.map(() => ['devices', 'cognito-device-bff', 'Device forgotten', '2026-11-25T10:00:00.000Z']),
    );
    expect(bus.events.at(-1)?.detail).toEqual(numbered(11).detail);
  });

  it('reports the entries a 200 answer refused (FailedEntryCount), with their error codes, and never throws', async () => {
    bus.refuse = 'AccessDeniedException';
    try {
      await expect(theBus(bus.url).put([event])).resolves.toEqual({
        failed: [event],
        reasons: ['AccessDeniedException'],
      });
    } finally {
      bus.refuse = undefined;
    }
  });

  it('a bus that does not answer in time fails every entry of the call after the timeout', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const started = performance.now();
    const result = await theBus(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 200).put([
      event,
    ]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.failed).toEqual([event]);
    expect(result.reasons).toHaveLength(1);
    silent.closeAllConnections();
    silent.close();
  });
});

describe('retry queue (SQS SendMessageBatch, SigV4)', () => {
  it('keeps every event as one message, ten a call', async () => {
    const url = sqs.createQueue('unit-retry', { visibilityTimeoutMs: 1_000 });
    const queue = createRetryQueue({
      region: 'us-east-1',
      queueUrl: url,
      endpoint: sqs.url,
      timeoutMs: 1_000,
    });
    const events = Array.from({ length: 23 }, (_, i) => numbered(i));
    await queue.send(events);
    expect(sqs.bodies('unit-retry').map((body) => JSON.parse(body))).toEqual(events);
  });

  it('throws when the queue does not keep them, so the invocation fails and Lambda keeps the payload', async () => {
    const queue = createRetryQueue({
      region: 'us-east-1',
      queueUrl: sqs.queueUrl('no-such-queue'),
      endpoint: sqs.url,
      timeoutMs: 1_000,
    });
    await expect(queue.send([event])).rejects.toThrow();
  });
});

describe('event delivery', () => {
  it('publishes the events of the lines CloudWatch Logs hands on, and skips the lines that are not events', async () => {
    const theBus = fakeBus();
    const queue = fakeQueue();
    const { handler, deferred } = delivery(theBus, queue);
    const lines = [...written([event, numbered(2)]), '{"level":"INFO","message":"answered"}'];
    await expect(handler(logsPayload(lines))).resolves.toBeUndefined();
    expect(theBus.taken).toEqual([event, numbered(2)]);
    expect(queue.kept).toEqual([]);
    expect(deferred).toEqual([]);
  });

  it("answers CloudWatch Logs' control message (sent when the subscription is made) without a call", async () => {
    const theBus = fakeBus();
    const { handler } = delivery(theBus, fakeQueue());
    await handler(logsPayload(['CWL CONTROL MESSAGE: Checking health of destination'], 'CONTROL_MESSAGE'));
    expect(theBus.taken).toEqual([]);
  });

  it('tries a refused entry again, and keeps in the retry queue only what EventBridge still refuses', async () => {
    // The first try refuses both; the second takes the first; the third still refuses the second.
    const theBus = fakeBus((e, call) => call === 1 || e.detail.deviceName === 'device 2');
    const queue = fakeQueue();
    const { handler, log, deferred } = delivery(theBus, queue);
    await handler(logsPayload(written([numbered(1), numbered(2)])));
    expect(theBus.calls()).toBe(3);
    expect(theBus.taken).toEqual([numbered(1)]);
    expect(queue.kept).toEqual([numbered(2)]);
    expect(deferred).toEqual([1]);
    expect(log.entries).toEqual([
      {
        level: 'warn',
        message: 'events kept for later: EventBridge did not take them',
        extra: { count: 1, types: ['Device forgotten'], reasons: ['ThrottlingException'] },
      },
    ]);
    // Types and reasons only: nothing that names the user or the device.
    expect(log.text()).not.toContain(event.detail.sub);
    expect(log.text()).not.toContain('device 2');
  });

  it('fails the invocation when the retry queue cannot keep them either (Lambda retries it, then keeps it)', async () => {
    const { handler } = delivery(
      fakeBus(() => true),
      fakeQueue(true),
    );
    await expect(handler(logsPayload(written([event])))).rejects.toThrow('SQS is down');
  });

  it('from the retry queue: publishes each message, and reports the ones EventBridge still refuses', async () => {
    const theBus = fakeBus((e) => e.detail.deviceName === 'device 2');
    const { handler } = delivery(theBus, fakeQueue());
    const result = await handler(
      sqsEvent([numbered(1), numbered(2), numbered(3)].map((e) => JSON.stringify(e))),
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(theBus.taken).toEqual([numbered(1), numbered(3)]);
  });

  it("from the retry queue: the invocation record of a failed delivery (its on-failure destination) yields the payload's events", async () => {
    const theBus = fakeBus();
    const { handler } = delivery(theBus, fakeQueue());
    const record = {
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: logsPayload(written([numbered(4), numbered(5)])),
      responseContext: { statusCode: 200, functionError: 'Unhandled' },
    };
    const result = await handler(sqsEvent([JSON.stringify(record)]));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(theBus.taken).toEqual([numbered(4), numbered(5)]);
  });

  it('from the retry queue: a message without events is logged and dropped, not retried for ever', async () => {
    const theBus = fakeBus();
    const { handler, log } = delivery(theBus, fakeQueue());
    const result = await handler(sqsEvent(['not json', '{"hello":"world"}']));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(log.entries.map((e) => e.message)).toEqual([
      'a retry queue message without device events was dropped',
      'a retry queue message without device events was dropped',
    ]);
  });

  describe('devices named later (a change that did not read the name)', () => {
    const unrelated: DeviceEvent = {
      ...numbered(7),
      detail: { ...numbered(7).detail, deviceKey: 'eu-west-1_00000000-0000-4000-8000-000000000007' },
    };
    const later: DeviceEvent = {
      ...event,
      type: 'Device remembered',
      detail: { ...event.detail, deviceName: null },
      nameLater: true,
    };
    /** Names from Cognito: `names` by device key; a key in `failing` is not answered (throttled). */
    function fakeNames(names: Record<string, string | null>, failing = new Set<string>()) {
      const asked: Array<[string, string]> = [];
      const port: DeviceNames & { asked: typeof asked } = {
        asked,
        async name(sub, deviceKey) {
          asked.push([sub, deviceKey]);
          if (failing.has(deviceKey))
            throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
          return names[deviceKey] ?? null;
        },
      };
      return port;
    }

    it("are named from Cognito by the user's sub and the device key; the flag is never published", async () => {
      const theBus = fakeBus();
      const names = fakeNames({ [event.detail.deviceKey as string]: 'Chrome on macOS' });
      const { handler } = delivery(theBus, fakeQueue(), names);
      await handler(logsPayload(written([later, unrelated])));
      expect(names.asked).toEqual([[event.detail.sub, event.detail.deviceKey]]);
      expect(theBus.taken).toEqual([
        { type: 'Device remembered', detail: { ...event.detail, deviceName: 'Chrome on macOS' } },
        unrelated,
      ]);
    });

    it('Cognito is asked once per device: a name is learnt from the events that carry one, and from each answer', async () => {
      const theBus = fakeBus();
      const other = 'eu-west-1_00000000-0000-4000-8000-000000000009';
      const laterOther: DeviceEvent = { ...later, detail: { ...later.detail, deviceKey: other } };
      const names = fakeNames({ [other]: 'Pixel 8' });
      const { handler } = delivery(theBus, fakeQueue(), names);
      // A device's name is fixed when it is confirmed: its confirmed event teaches it.
      const confirmed: DeviceEvent = { ...event, type: 'Device confirmed' };
      await handler(logsPayload(written([confirmed, later, laterOther, laterOther])));
      await handler(logsPayload(written([later, laterOther])));
      expect(names.asked).toEqual([[event.detail.sub, other]]);
      expect(theBus.taken.map((e) => [e.type, e.detail.deviceName])).toEqual([
        ['Device confirmed', 'Chrome on macOS'],
        ['Device remembered', 'Chrome on macOS'],
        ['Device remembered', 'Pixel 8'],
        ['Device remembered', 'Pixel 8'],
        ['Device remembered', 'Chrome on macOS'],
        ['Device remembered', 'Pixel 8'],
      ]);
    });

    it('a device gone since (forgotten) is published without a name', async () => {
      const theBus = fakeBus();
      const { handler } = delivery(theBus, fakeQueue(), fakeNames({}));
      await handler(logsPayload(written([later])));
      expect(theBus.taken).toEqual([
        { type: 'Device remembered', detail: { ...event.detail, deviceName: null } },
      ]);
    });

    it('a name Cognito does not give now: the event waits in the retry queue, still to be named, and is named from there', async () => {
      const theBus = fakeBus();
      const queue = fakeQueue();
      const failing = new Set([event.detail.deviceKey as string]);
      const names = fakeNames({ [event.detail.deviceKey as string]: 'Chrome on macOS' }, failing);
      const { handler, log, deferred } = delivery(theBus, queue, names);
      await handler(logsPayload(written([later, unrelated])));
      expect(theBus.taken).toEqual([unrelated]);
      expect(queue.kept).toEqual([later]);
      expect(deferred).toEqual([1]);
      expect(log.entries).toContainEqual({
        level: 'warn',
        message: 'device names not read from Cognito: the events wait',
        extra: { count: 1, reasons: ['TooManyRequestsException'] },
      });
      // From the queue: still not answered, the message is reported; then answered, it is published named.
      const message = sqsEvent(queue.kept.map((e) => JSON.stringify(e)));
      expect(await handler(message)).toEqual({ batchItemFailures: [{ itemIdentifier: 'm0' }] });
      failing.clear();
      expect(await handler(message)).toEqual({ batchItemFailures: [] });
      expect(theBus.taken.at(-1)).toEqual({
        type: 'Device remembered',
        detail: { ...event.detail, deviceName: 'Chrome on macOS' },
      });
    });

    it('without a pool to read from, the event is published with the name it has', async () => {
      const theBus = fakeBus();
      const { handler } = delivery(theBus, fakeQueue());
      await handler(logsPayload(written([later])));
      expect(theBus.taken).toEqual([
        { type: 'Device remembered', detail: { ...event.detail, deviceName: null } },
      ]);
    });
  });
});
