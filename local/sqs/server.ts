import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, signedFor } from '../listen.js';

/**
 * A local stand-in for Amazon SQS, enough for the device events' retry queue: SendMessage and SendMessageBatch over
 * SQS's JSON protocol (`AmazonSQS.<Operation>`, `application/x-amz-json-1.0`), standard queues with a visibility
 * timeout and a redrive policy to a dead-letter queue (`maxReceiveCount`), and Lambda's SQS event source mapping:
 * `consume` hands the visible messages to a function in batches, deletes those it did not report as failures
 * (`batchItemFailures`, or all of them when it throws), and gives the others back after the visibility timeout. As the
 * developer guide describes: a message received more than `maxReceiveCount` times goes to the dead-letter queue. In
 * memory; no long polling (the consumer looks every `pollMs`).
 */
interface Message {
  readonly id: string;
  readonly body: string;
  receiveCount: number;
  visibleAt: number;
}

interface Queue {
  readonly name: string;
  readonly messages: Message[];
  readonly visibilityTimeoutMs: number;
  readonly redrive?: { readonly deadLetter: string; readonly maxReceiveCount: number };
}

export type SqsConsumer = (event: {
  Records: Array<Record<string, unknown> & { messageId: string; body: string }>;
}) => Promise<{ batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined | unknown>;

const SIGV4 = signedFor('sqs');
const ACCOUNT = '000000000000';

export class SqsStandIn {
  private readonly queues = new Map<string, Queue>();
  private readonly timers: NodeJS.Timeout[] = [];
  /** Batches being handled by a consumer, by queue (tests wait for none). */
  private readonly busy = new Map<string, Promise<void>>();

  private constructor(
    private readonly closeServer: () => Promise<void>,
    readonly url: string,
    private readonly region: string,
  ) {}

  static async start(options: { host?: string; port?: number; region?: string } = {}): Promise<SqsStandIn> {
    const { url, serve, close } = await listen(options, (res) =>
      send(res, 500, { __type: 'com.amazonaws.sqs#InternalError', message: 'Internal error' }),
    );
    const instance = new SqsStandIn(close, url, options.region ?? 'us-east-1');
    serve((req, res) => instance.handle(req, res));
    return instance;
  }

  /** A queue, as the stack creates it; its URL. */
  createQueue(
    name: string,
    options: { visibilityTimeoutMs: number; redrive?: { deadLetter: string; maxReceiveCount: number } },
  ): string {
    this.queues.set(name, {
      name,
      messages: [],
      visibilityTimeoutMs: options.visibilityTimeoutMs,
      ...(options.redrive && { redrive: options.redrive }),
    });
    return this.queueUrl(name);
  }

  queueUrl(name: string): string {
    return `${this.url}/${ACCOUNT}/${name}`;
  }

  /** The bodies of a queue's messages, visible or not (tests, and the local dead-letter check). */
  bodies(name: string): string[] {
    return (this.queues.get(name)?.messages ?? []).map((m) => m.body);
  }

  /** Puts a message on a queue from inside the local stack (a function's on-failure destination). */
  enqueue(name: string, body: string): void {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue ${name}`);
    queue.messages.push({ id: randomUUID(), body, receiveCount: 0, visibleAt: Date.now() });
  }

  /**
   * Lambda's event source mapping for `name`: batches of at most `batchSize` visible messages to `consumer`, one batch
   * at a time, every `pollMs` while there are any.
   */
  consume(name: string, consumer: SqsConsumer, options: { batchSize?: number; pollMs?: number } = {}): void {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`no queue ${name}`);
    const timer = setInterval(() => {
      if (this.busy.has(name)) return;
      const work = this.deliver(queue, consumer, options.batchSize ?? 10).finally(() =>
        this.busy.delete(name),
      );
      this.busy.set(name, work);
    }, options.pollMs ?? 100);
    timer.unref();
    this.timers.push(timer);
  }

  /**
   * Resolves once `name` holds no message and no batch of it is being handled; rejects after `timeoutMs` (a message
   * its consumer keeps failing stays, waiting for its next receive).
   */
  async emptied(name: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.busy.get(name);
      if (this.bodies(name).length === 0 && !this.busy.has(name)) return;
      if (Date.now() > deadline) throw new Error(`${name} still holds ${this.bodies(name).length} messages`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.busy.values()]);
    await this.closeServer();
  }

  private async deliver(queue: Queue, consumer: SqsConsumer, batchSize: number): Promise<void> {
    const now = Date.now();
    // Past its receives: to the dead-letter queue, as the redrive policy says.
    for (const message of [...queue.messages]) {
      if (
        queue.redrive &&
        message.visibleAt <= now &&
        message.receiveCount >= queue.redrive.maxReceiveCount
      ) {
        queue.messages.splice(queue.messages.indexOf(message), 1);
        this.queues
          .get(queue.redrive.deadLetter)
          ?.messages.push({ ...message, receiveCount: 0, visibleAt: now });
      }
    }
    const batch = queue.messages.filter((m) => m.visibleAt <= now).slice(0, batchSize);
    if (batch.length === 0) return;
    for (const message of batch) {
      message.receiveCount++;
      message.visibleAt = now + queue.visibilityTimeoutMs;
    }
    let failed: Set<string>;
    try {
      const result = (await consumer({
        Records: batch.map((m) => ({
          messageId: m.id,
          receiptHandle: m.id,
          body: m.body,
          attributes: { ApproximateReceiveCount: String(m.receiveCount) },
          eventSource: 'aws:sqs',
          eventSourceARN: `arn:aws:sqs:${this.region}:${ACCOUNT}:${queue.name}`,
          awsRegion: this.region,
        })),
      })) as { batchItemFailures?: Array<{ itemIdentifier: string }> } | undefined;
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      failed = new Set(batch.map((m) => m.id));
    }
    for (const message of batch) {
      if (!failed.has(message.id)) queue.messages.splice(queue.messages.indexOf(message), 1);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!SIGV4.test(String(req.headers.authorization ?? ''))) {
      return send(res, 400, {
        __type: 'com.amazonaws.sqs#MissingAuthenticationToken',
        message: 'Missing Authentication Token',
      });
    }
    const operation = String(req.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
    let input: {
      QueueUrl?: string;
      MessageBody?: string;
      Entries?: Array<{ Id: string; MessageBody: string }>;
    };
    try {
      input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'Malformed JSON' });
    }
    const queue = this.queues.get(
      String(input.QueueUrl ?? '')
        .split('/')
        .pop() ?? '',
    );
    if (!queue) {
      return send(res, 400, {
        __type: 'com.amazonaws.sqs#QueueDoesNotExist',
        message: 'The specified queue does not exist.',
      });
    }
    const put = (body: string) => {
      const message = { id: randomUUID(), body, receiveCount: 0, visibleAt: Date.now() };
      queue.messages.push(message);
      return message.id;
    };
    if (operation === 'SendMessage' && typeof input.MessageBody === 'string') {
      return send(res, 200, { MessageId: put(input.MessageBody) });
    }
    if (operation === 'SendMessageBatch' && Array.isArray(input.Entries)) {
      if (input.Entries.length < 1 || input.Entries.length > 10) {
        return send(res, 400, {
          __type: 'com.amazonaws.sqs#TooManyEntriesInBatchRequest',
          message: 'Maximum number of entries per request are 10.',
        });
      }
      return send(res, 200, {
        Successful: input.Entries.map((entry) => ({ Id: entry.Id, MessageId: put(entry.MessageBody) })),
        Failed: [],
      });
    }
    return send(res, 400, {
      __type: 'com.amazonaws.sqs#UnsupportedOperation',
      message: 'Only SendMessage and SendMessageBatch are served here',
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify(body));
}
