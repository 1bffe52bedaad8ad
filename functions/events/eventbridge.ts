import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Log } from '../http/logger.js';
import { DEVICE_EVENT_SOURCE, type DeviceEvent, type EventPublisher } from './device-event.js';

/** SHA-256 and HMAC-SHA256 for the signer, from Node's crypto (what the SDK itself uses in Node). */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

class Sha256 {
  private readonly hash;

  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: Data): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

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
 * credentials). Not the SDK's EventBridge client: it added 20 KB to the API bundle, past its 0.9× budget
 * (BENCHMARKS.md), for one operation; the SDK's own signer and credentials provider do the AWS part. Never throws:
 * a refusal (HTTP error, or `FailedEntryCount` in a 200, as PutEvents reports partial failures) or a timeout is
 * logged with the event types and counted; the change it reports stands.
 */
export function createEventBridgePublisher(settings: EventBridgeSettings): EventPublisher {
  const url = new URL(settings.endpoint ?? `https://events.${settings.region}.amazonaws.com/`);
  const signer = new SignatureV4({
    service: 'events',
    region: settings.region,
    credentials: fromEnv(),
    sha256: Sha256,
  });
  const send = async (body: string): Promise<PutEventsOutput> => {
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: '/',
      query: {},
      headers: {
        host: url.host,
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSEvents.PutEvents',
      },
      body,
    });
    const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          method: 'POST',
          hostname: url.hostname,
          port: url.port || undefined,
          path: '/',
          headers: { ...signed.headers, 'content-length': Buffer.byteLength(body) },
          timeout: settings.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(new Error(`PutEvents answered ${res.statusCode}: ${text.slice(0, 200)}`));
              return;
            }
            try {
              resolve(JSON.parse(text) as PutEventsOutput);
            } catch {
              reject(new Error('PutEvents answered malformed JSON'));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('PutEvents did not answer in time')));
      req.on('error', reject);
      req.end(body);
    });
  };
  return {
    async publish(events) {
      if (events.length === 0) return;
      const types = events.map((e) => e.type);
      // PutEvents takes at most 10 entries a call; a request publishes one or two.
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10);
        try {
          const output = await send(
            JSON.stringify({ Entries: batch.map((e) => entry(e, settings.busName)) }),
          );
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
