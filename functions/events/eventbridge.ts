import { awsJsonClient } from '../aws/signed-request.js';
import type { Log } from '../http/logger.js';
import { DEVICE_EVENT_SOURCE, type DeviceEvent, type EventPublisher } from './device-event.js';

export interface EventBridgeSettings {
  readonly region: string;
  readonly busName: string;
  /** Local stack only: where the EventBridge stand-in listens. */
  readonly endpoint?: string | undefined;
  /** One attempt's limit; a publish is never retried (the change it reports has happened). */
  readonly timeoutMs: number;
  readonly log: Log;
  /** Counts events that were not published (the `EventsFailed` metric and its alarm). */
  readonly failed: (count: number) => void;
}

interface PutEventsOutput {
  FailedEntryCount?: number;
  Entries?: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
}

/**
 * Publishes to an EventBridge bus with PutEvents (JSON 1.1, SigV4 with the function role's environment
 * credentials; functions/aws/signed-request.ts says why not the SDK's client). Never throws:
 * a refusal (HTTP error, or `FailedEntryCount` in a 200, as PutEvents reports partial failures) or a timeout is
 * logged with the event types and counted; the change it reports stands.
 */
export function createEventBridgePublisher(settings: EventBridgeSettings): EventPublisher {
  const client = awsJsonClient({
    service: 'events',
    region: settings.region,
    endpoint: settings.endpoint ?? `https://events.${settings.region}.amazonaws.com/`,
    contentType: 'application/x-amz-json-1.1',
    timeoutMs: settings.timeoutMs,
  });
  const send = (body: unknown) =>
    client.call<PutEventsOutput>({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': 'AWSEvents.PutEvents' },
      body,
    });
  return {
    async publish(events) {
      if (events.length === 0) return;
      const types = events.map((e) => e.type);
      // PutEvents takes at most 10 entries a call; a request publishes one or two.
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10);
        try {
          const output = await send({ Entries: batch.map((e) => entry(e, settings.busName)) });
          const failed = output.FailedEntryCount ?? 0;
          if (failed > 0) {
            const codes = (output.Entries ?? []).flatMap((e) => (e.ErrorCode ? [e.ErrorCode] : []));
            settings.log.error('events not published', { types, failed, codes });
            settings.failed(failed);
          }
        } catch (error) {
          settings.log.error('events not published', { types, error });
          settings.failed(batch.length);
        }
      }
    },
  };
}

/** One PutEvents entry. */
export function entry(event: DeviceEvent, busName: string) {
  return {
    Source: DEVICE_EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event.detail),
    EventBusName: busName,
    // JSON 1.1 timestamps are epoch seconds.
    Time: Date.parse(event.detail.time) / 1000,
  };
}

/** Events off (no bus configured): nothing is published. */
export const noEvents: EventPublisher = { publish: async () => {} };
