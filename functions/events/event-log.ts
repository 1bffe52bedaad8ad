import type { DeviceEvent, EventPublisher } from './device-event.js';

/**
 * The key that marks a device event's line in a function's output. CloudWatch Logs' subscription filter on the
 * function's log group selects these lines (`{ $._deviceEvent.detail.version = 1 }`) and hands them to the event
 * delivery function, which publishes them to EventBridge (functions/events/delivery.ts).
 */
export const EVENT_LINE_KEY = '_deviceEvent';

/** How every event line starts (the local stack's subscription selects lines by it; the delivery reads them whole). */
export const EVENT_LINE_START = `{"${EVENT_LINE_KEY}":`;

/** The subscription filter's pattern: lines that carry an event of this version. */
export const EVENT_LINE_PATTERN = `{ $.${EVENT_LINE_KEY}.detail.version = 1 }`;

/**
 * Device events written, not sent: each is one JSON line on the function's output, which Lambda hands to CloudWatch
 * Logs, so a change's answer never waits for EventBridge and an event is not lost when EventBridge is slow, throttled
 * or down (the delivery retries, then a queue keeps it). The same idea as the embedded metric format: telemetry as log
 * lines, shipped after the request. Writing a line cannot fail the change it reports.
 */
export function createEventLog(
  write: (line: string) => void = (line) => process.stdout.write(line),
): EventPublisher {
  return {
    async publish(events: readonly DeviceEvent[]) {
      for (const event of events) write(`${JSON.stringify({ [EVENT_LINE_KEY]: event })}\n`);
    },
  };
}

/** The events in a log line, if it is one of ours (the delivery reads them back). */
export function eventOfLine(line: string): DeviceEvent | undefined {
  if (!line.includes(EVENT_LINE_KEY)) return undefined;
  try {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const event = parsed[EVENT_LINE_KEY] as DeviceEvent | undefined;
    return event && typeof event.type === 'string' && typeof event.detail === 'object' ? event : undefined;
  } catch {
    return undefined;
  }
}
