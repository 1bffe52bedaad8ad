import { awsJsonClient } from '../aws/signed-request.js';
import type { DeviceEvent } from './device-event.js';

/** Where events EventBridge did not take wait to be tried again (an SQS queue the delivery itself drains). */
export interface RetryQueue {
  /** Keeps every event, or throws: nothing is dropped on the way. */
  send(events: readonly DeviceEvent[]): Promise<void>;
}

interface SendMessageBatchOutput {
  Successful?: Array<{ Id: string }>;
  Failed?: Array<{ Id: string; Code?: string }>;
}

/** SQS SendMessageBatch (JSON protocol, SigV4), ten messages a call, one event each. */
export function createRetryQueue(settings: {
  readonly region: string;
  readonly queueUrl: string;
  /** Local stack only: where the SQS stand-in listens. */
  readonly endpoint?: string | undefined;
  readonly timeoutMs: number;
}): RetryQueue {
  const client = awsJsonClient({
    service: 'sqs',
    region: settings.region,
    endpoint: settings.endpoint,
    contentType: 'application/x-amz-json-1.0',
    timeoutMs: settings.timeoutMs,
  });
  return {
    async send(events) {
      for (let i = 0; i < events.length; i += 10) {
        const batch = events.slice(i, i + 10);
        const output = await client.call<SendMessageBatchOutput>({
          method: 'POST',
          path: '/',
          headers: { 'x-amz-target': 'AmazonSQS.SendMessageBatch' },
          body: {
            QueueUrl: settings.queueUrl,
            Entries: batch.map((event, index) => ({ Id: String(index), MessageBody: JSON.stringify(event) })),
          },
        });
        if ((output.Failed ?? []).length > 0) {
          throw new Error(`SQS kept ${output.Successful?.length ?? 0} of ${batch.length} events`);
        }
      }
    },
  };
}
