import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { LogSubscription } from '../../local/logs/subscription.js';
import { type SqsConsumer, SqsStandIn } from '../../local/sqs/server.js';

/** The stand-ins the device events' delivery runs on locally: CloudWatch Logs' subscription filter, and SQS. */
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await pause(20);
  }
}

describe('SQS stand-in', () => {
  async function sqsWith(visibilityTimeoutMs: number, maxReceiveCount: number) {
    const sqs = await SqsStandIn.start();
    closers.push(() => sqs.close());
    sqs.createQueue('dlq', { visibilityTimeoutMs: 60_000 });
    const url = sqs.createQueue('work', {
      visibilityTimeoutMs,
      redrive: { deadLetter: 'dlq', maxReceiveCount },
    });
    return { sqs, url };
  }

  const sqsCall = (
    sqs: SqsStandIn,
    operation: string,
    body: unknown,
    authorization = 'AWS4-HMAC-SHA256 Credential=AKID/20261204/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc',
  ) =>
    fetch(sqs.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${operation}`,
        authorization,
      },
      body: JSON.stringify(body),
    });

  it('SendMessageBatch keeps up to ten messages; more, an unknown queue or no signature is refused', async () => {
    const { sqs, url } = await sqsWith(1_000, 3);
    const entries = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ Id: String(i), MessageBody: `m${i}` }));
    const kept = await sqsCall(sqs, 'SendMessageBatch', { QueueUrl: url, Entries: entries(10) });
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as { Successful: unknown[] }).Successful).toHaveLength(10);
    expect(sqs.bodies('work')).toEqual(entries(10).map((e) => e.MessageBody));
    const tooMany = await sqsCall(sqs, 'SendMessageBatch', { QueueUrl: url, Entries: entries(11) });
    expect([tooMany.status, ((await tooMany.json()) as { __type: string }).__type]).toEqual([
      400,
      'com.amazonaws.sqs#TooManyEntriesInBatchRequest',
    ]);
    const unknown = await sqsCall(sqs, 'SendMessage', { QueueUrl: sqs.queueUrl('nope'), MessageBody: 'x' });
    expect(((await unknown.json()) as { __type: string }).__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
    const unsigned = await sqsCall(sqs, 'SendMessage', { QueueUrl: url, MessageBody: 'x' }, '');
    expect(unsigned.status).toBe(400);
    expect(sqs.bodies('work')).toHaveLength(10);
  });

  it('the event source deletes what the consumer took, gives back its reported failures after the visibility timeout, and dead-letters a message past its receives', async () => {
    const { sqs } = await sqsWith(150, 3);
    for (const body of ['ok', 'flaky', 'poison']) sqs.enqueue('work', body);
    const seen: string[] = [];
    let flakyFailures = 0;
    const consumer: SqsConsumer = async ({ Records }) => {
      seen.push(...Records.map((r) => r.body));
      return {
        batchItemFailures: Records.filter(
          (r) => r.body === 'poison' || (r.body === 'flaky' && flakyFailures++ < 1),
        ).map((r) => ({ itemIdentifier: r.messageId })),
      };
    };
    sqs.consume('work', consumer, { pollMs: 10 });
    await until(() => sqs.bodies('dlq').length === 1);
    expect(sqs.bodies('dlq')).toEqual(['poison']);
    expect(sqs.bodies('work')).toEqual([]);
    expect(seen.filter((b) => b === 'ok')).toHaveLength(1);
    expect(seen.filter((b) => b === 'flaky')).toHaveLength(2);
    expect(seen.filter((b) => b === 'poison')).toHaveLength(3);
    await sqs.emptied('work');
  });

  it('a consumer that throws fails its whole batch; emptied() says what the queue still holds', async () => {
    const { sqs } = await sqsWith(60_000, 5);
    sqs.enqueue('work', 'a');
    sqs.enqueue('work', 'b');
    let calls = 0;
    sqs.consume(
      'work',
      async () => {
        calls++;
        throw new Error('down');
      },
      { pollMs: 10 },
    );
    await until(() => calls === 1);
    await expect(sqs.emptied('work', 100)).rejects.toThrow('work still holds 2 messages');
  });
});

describe('CloudWatch Logs subscription stand-in', () => {
  type Payload = { awslogs: { data: string } };
  const decode = (payload: Payload) =>
    JSON.parse(gunzipSync(Buffer.from(payload.awslogs.data, 'base64')).toString('utf8')) as {
      messageType: string;
      logGroup: string;
      logEvents: Array<{ id: string; timestamp: number; message: string }>;
    };

  it('hands the matching lines of the output on in batches (lines split across writes too), and keeps them off the terminal', async () => {
    // The terminal behind the subscription: what is still shown.
    const shown: string[] = [];
    const terminal = process.stdout.write;
    process.stdout.write = ((chunk: string) => shown.push(chunk) > 0) as typeof process.stdout.write;
    const payloads: Payload[] = [];
    try {
      const subscription = LogSubscription.start({
        logGroup: '/aws/lambda/test',
        matches: (line) => line.startsWith('{"event"'),
        destination: async (payload) => payloads.push(payload),
        onFailure: () => {
          throw new Error('unexpected');
        },
        echo: false,
      });
      process.stdout.write('{"event":1}\n');
      process.stdout.write('{"event":2,');
      process.stdout.write('"split":true}\n{"level":"INFO"}\n');
      await subscription.close();
    } finally {
      process.stdout.write = terminal;
    }
    const data = payloads.map(decode);
    expect(data.map((d) => [d.messageType, d.logGroup])).toEqual([['DATA_MESSAGE', '/aws/lambda/test']]);
    expect(data[0]?.logEvents.map((e) => e.message)).toEqual(['{"event":1}', '{"event":2,"split":true}']);
    // A whole event line is kept off the terminal; what is split across writes, or not an event, still shows.
    expect(shown).toEqual(['{"event":2,', '"split":true}\n{"level":"INFO"}\n']);
  });

  it('a destination that keeps failing is tried three times, then its invocation record goes to the on-failure destination', async () => {
    let tries = 0;
    const records: string[] = [];
    const subscription = LogSubscription.start({
      logGroup: '/aws/lambda/test',
      matches: (line) => line === 'EVENT',
      destination: async () => {
        tries++;
        throw new Error('down');
      },
      onFailure: (record) => records.push(record),
      retryDelaysMs: [10, 20],
      echo: false,
    });
    closers.push(() => subscription.close());
    process.stdout.write('EVENT\n');
    await subscription.drain();
    expect(tries).toBe(3);
    const record = JSON.parse(records[0] ?? '{}') as {
      requestContext: { condition: string; approximateInvokeCount: number };
      requestPayload: Payload;
    };
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(decode(record.requestPayload).logEvents.map((e) => e.message)).toEqual(['EVENT']);
  });
});
