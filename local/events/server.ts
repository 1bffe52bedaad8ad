import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, signedFor } from '../listen.js';

/**
 * A local stand-in for Amazon EventBridge's PutEvents (AWS JSON 1.1, `AWSEvents.PutEvents`), the one operation the
 * product calls: what the functions publish is kept in memory, in order, for the tests and the demo's activity list,
 * and one line per event is printed by `npm start`. As the API reference describes: at most 10 entries a call,
 * `Source`, `DetailType` and `Detail` (a JSON object) required, a failed entry reported in a 200 answer
 * (`FailedEntryCount`, the entry's `ErrorCode`) while the others are put. `refuse` makes it fail every entry, as a
 * bus that denies the caller would, so that tests can show a change stands when its event cannot be published.
 */
export interface PublishedEvent {
  readonly id: string;
  readonly bus: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly time: string;
}

const SIGV4 = signedFor('events');

/** How many published events the stand-in keeps at least for tests and the demo's activity list (the latest). */
export const KEPT_EVENTS = 1_000;

export class EventsStandIn {
  /** The events put on the bus, oldest first: the latest {@link KEPT_EVENTS} at least, twice as many at most. */
  readonly events: PublishedEvent[] = [];
  /** Every entry fails with this error code while set (a bus that refuses the caller). */
  refuse: string | undefined;
  /** While true, calls are never answered (a bus that is down); their connections close with the stand-in. */
  hang = false;
  /** PutEvents calls received, answered or not (tests). */
  calls = 0;
  private readonly listeners: Array<(event: PublishedEvent) => void> = [];

  private constructor(
    private readonly closeServer: () => Promise<void>,
    readonly url: string,
  ) {}

  static async start(options: { host?: string; port?: number } = {}): Promise<EventsStandIn> {
    const { url, serve, close } = await listen(options, (res) =>
      send(res, 500, { __type: 'InternalException', message: 'Internal error' }),
    );
    const instance = new EventsStandIn(close, url);
    serve((req, res) => instance.handle(req, res));
    return instance;
  }

  /** Called with each event put, after it is kept. */
  onEvent(listener: (event: PublishedEvent) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    await this.closeServer();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.calls++;
    if (this.hang) return;
    if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
      send(res, 400, { __type: 'UnknownOperationException', message: 'Only PutEvents is served here' });
      return;
    }
    // Every call to EventBridge is signed; the stand-in has no IAM, so any SigV4 signature for `events` does.
    if (!SIGV4.test(String(req.headers.authorization ?? ''))) {
      send(res, 400, {
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
      return;
    }
    let input: { Entries?: unknown };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Entries?: unknown };
    } catch {
      send(res, 400, { __type: 'SerializationException', message: 'Malformed JSON' });
      return;
    }
    const entries = Array.isArray(input.Entries) ? (input.Entries as Array<Record<string, unknown>>) : [];
    if (entries.length < 1 || entries.length > 10) {
      send(res, 400, {
        __type: 'ValidationException',
        message:
          "1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10",
      });
      return;
    }
    const results = entries.map((entry) => this.put(entry));
    send(res, 200, {
      FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length,
      Entries: results,
    });
  }

  private put(
    entry: Record<string, unknown>,
  ): { EventId: string } | { ErrorCode: string; ErrorMessage: string } {
    if (this.refuse) return { ErrorCode: this.refuse, ErrorMessage: 'The bus refused the entry' };
    const { Source, DetailType, Detail, EventBusName, Time } = entry;
    if (typeof Source !== 'string' || typeof DetailType !== 'string' || typeof Detail !== 'string') {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Source, DetailType and Detail are required' };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const event: PublishedEvent = {
      id: randomUUID(),
      bus: typeof EventBusName === 'string' ? EventBusName : 'default',
      source: Source,
      detailType: DetailType,
      detail: detail as Record<string, unknown>,
      time: new Date(typeof Time === 'number' ? Time * 1000 : Date.now()).toISOString(),
    };
    this.events.push(event);
    // The latest only, so a long run (npm start, the load test) keeps a bounded memory: trimmed once in a while, not
    // on every event (a splice moves all the others).
    if (this.events.length >= 2 * KEPT_EVENTS) this.events.splice(0, this.events.length - KEPT_EVENTS);
    for (const listener of this.listeners) listener(event);
    return { EventId: event.id };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  res.end(JSON.stringify(body));
}
