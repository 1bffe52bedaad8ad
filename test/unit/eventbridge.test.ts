import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../functions/events/device-event.js';
import { createEventBridgePublisher } from '../../functions/events/eventbridge.js';
import { EventsStandIn } from '../../local/events/server.js';
import { RecordingLog } from '../support/recording-log.js';

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

let bus: EventsStandIn;
const env = { ...process.env };
beforeAll(async () => {
  bus = await EventsStandIn.start();
  // Lambda's environment credentials, which the publisher signs with.
  process.env.AWS_ACCESS_KEY_ID = 'ASIATESTROLE';
  process.env.AWS_SECRET_ACCESS_KEY = 'test-role-secret';
});
afterAll(async () => {
  await bus.close();
  process.env = env;
});

function publisher(endpoint: string, timeoutMs = 1_000) {
  const failures: number[] = [];
  const log = new RecordingLog();
  return {
    failures,
    log,
    events: createEventBridgePublisher({
      region: 'eu-west-1',
      busName: 'devices',
      endpoint,
      timeoutMs,
      log,
      failed: (count) => failures.push(count),
    }),
  };
}

describe('EventBridge publisher (PutEvents, SigV4)', () => {
  it('puts signed entries on the bus with the source, the detail type, the detail and its time', async () => {
    const { events, failures } = publisher(bus.url);
    await events.publish([event, { ...event, type: 'Device remembered' }]);
    expect(failures).toEqual([]);
    expect(bus.events.slice(-2).map((e) => [e.bus, e.source, e.detailType, e.time])).toEqual([
      ['devices', 'cognito-device-bff', 'Device forgotten', '2026-11-25T10:00:00.000Z'],
      ['devices', 'cognito-device-bff', 'Device remembered', '2026-11-25T10:00:00.000Z'],
    ]);
    expect(bus.events.at(-1)?.detail).toEqual(event.detail);
  });

  it('a refused entry (FailedEntryCount in a 200) is counted and logged, never thrown', async () => {
    const { events, failures, log } = publisher(bus.url);
    bus.refuse = 'AccessDeniedException';
    try {
      await expect(events.publish([event])).resolves.toBeUndefined();
    } finally {
      bus.refuse = undefined;
    }
    expect(failures).toEqual([1]);
    expect(log.entries).toContainEqual({
      level: 'error',
      message: 'events not published',
      extra: { types: ['Device forgotten'], failed: 1, codes: ['AccessDeniedException'] },
    });
  });

  it('a bus that does not answer in time costs the timeout, is counted, and never throws', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { events, failures } = publisher(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, 200);
    const started = performance.now();
    await expect(events.publish([event])).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(failures).toEqual([1]);
    silent.closeAllConnections();
    silent.close();
  });
});
