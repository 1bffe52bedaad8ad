import { awsJsonClient } from '../aws/signed-request.js';
import { DEVICE_EVENT_SOURCE, type DeviceEvent } from './device-event.js';

/** The bus, as the event delivery uses it: puts events and says which were not put. */
export interface Bus {
  /** The events EventBridge did not put (a refused entry, or all of them when the call failed); never throws. */
  put(events: readonly DeviceEvent[]): Promise<{ failed: DeviceEvent[]; reasons: string[] }>;
}

interface PutEventsOutput {
  FailedEntryCount?: number;
  Entries?: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
}

/**
 * EventBridge's PutEvents (JSON 1.1, SigV4 with the function role's environment credentials; functions/aws/
 * signed-request.ts says why not the SDK's client), at most 10 entries a call. A partial failure is reported in a 200
 * answer (`FailedEntryCount`, each entry's `ErrorCode`); a refused or unanswered call fails every entry in it.
 */
export function createEventBridgeBus(settings: {
  readonly region: string;
  readonly busName: string;
  /** Local stack only: where the EventBridge stand-in listens. */
  readonly endpoint?: string | undefined;
  readonly timeoutMs: number;
}): Bus {
  const client = awsJsonClient({
    service: 'events',
    region: settings.region,
    endpoint: settings.endpoint,
    contentType: 'application/x-amz-json-1.1',
    timeoutMs: settings.timeoutMs,
  });
  return {
    async put(events) {
      const failed: DeviceEvent[] = [];
      const reasons: string[] = [];
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10);
        try {
          const output = await client.call<PutEventsOutput>({
            method: 'POST',
            path: '/',
            headers: { 'x-amz-target': 'AWSEvents.PutEvents' },
            body: { Entries: batch.map((e) => entry(e, settings.busName)) },
          });
          (output.Entries ?? []).forEach((result, index) => {
            const event = batch[index];
            if (result.ErrorCode && event) {
              failed.push(event);
              reasons.push(result.ErrorCode);
            }
          });
        } catch (error) {
          failed.push(...batch);
          reasons.push((error as { code?: string }).code ?? (error as Error).name);
        }
      }
      return { failed, reasons };
    },
  };
}

/** One PutEvents entry: the event's schema is the subscribers' contract (docs/events.schema.json). */
export function entry(event: DeviceEvent, busName: string) {
  return {
    Source: DEVICE_EVENT_SOURCE,
    DetailType: event.type,
    Detail: JSON.stringify(event.detail),
    EventBusName: busName,
    // JSON 1.1 timestamps are epoch seconds; the change's own time, however late it is delivered.
    Time: Date.parse(event.detail.time) / 1000,
  };
}
