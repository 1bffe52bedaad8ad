import type { EventPublisher } from './device-event.js';
import { createEventLog } from './event-log.js';

/**
 * The device events' publisher of a function that makes changes, when the stack turns events on: their lines in the
 * function's output (functions/events/event-log.ts), for the delivery to publish.
 */
export function createEvents(config: { readonly deviceEvents: boolean }): EventPublisher | undefined {
  return config.deviceEvents ? createEventLog() : undefined;
}
