import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/**
 * A local stand-in for a CloudWatch Logs subscription filter with a Lambda destination, as the stack puts one on each
 * function that writes device events. The local stack's functions run in this process, so their output is this
 * process's: each line `matches` selects is kept, and the kept lines are handed to the destination in batches, with
 * CloudWatch Logs' payload (`{ awslogs: { data } }`, base64 of gzipped JSON: `messageType` `DATA_MESSAGE`, the log
 * group and stream, `logEvents` of `{ id, timestamp, message }`; Developer Guide, "Using CloudWatch Logs subscription
 * filters"). CloudWatch Logs invokes a Lambda destination asynchronously: a failed invocation is retried twice (Lambda
 * waits about a minute, then two; here a second, then two), then its invocation record (with the payload as
 * `requestPayload`) goes to the function's on-failure destination. The rest of the output still goes where it went;
 * a selected line does too unless `echo` is false (in Lambda it goes to the log group, not to anyone's terminal).
 */
export class LogSubscription {
  private buffer: Array<{ id: string; timestamp: number; message: string }> = [];
  private partial = '';
  private readonly previousWrite: typeof process.stdout.write;
  private readonly ownWrite: typeof process.stdout.write;
  private readonly timer: NodeJS.Timeout;
  private active = true;
  private readonly inFlight = new Set<Promise<void>>();

  private constructor(
    private readonly options: {
      readonly logGroup: string;
      readonly matches: (line: string) => boolean;
      readonly destination: (event: { awslogs: { data: string } }) => Promise<unknown>;
      readonly onFailure: (invocationRecord: string) => void;
      readonly retryDelaysMs: readonly number[];
      readonly echo: boolean;
    },
    flushMs: number,
  ) {
    this.previousWrite = process.stdout.write;
    const previous = this.previousWrite;
    const self = this;
    this.ownWrite = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
      if (self.active) {
        const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
        self.read(text);
        // A whole selected line, written at once (as functions/events/event-log.ts writes each): kept, not shown.
        if (
          !self.options.echo &&
          self.partial === '' &&
          /^[^\n]*\n$/.test(text) &&
          self.options.matches(text.slice(0, -1))
        ) {
          const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
          if (callback) queueMicrotask(callback);
          return true;
        }
      }
      return (previous as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof process.stdout.write;
    process.stdout.write = this.ownWrite;
    this.timer = setInterval(() => this.flush(), flushMs);
    this.timer.unref();
  }

  static start(options: {
    logGroup: string;
    matches: (line: string) => boolean;
    destination: (event: { awslogs: { data: string } }) => Promise<unknown>;
    onFailure: (invocationRecord: string) => void;
    /** How often kept lines are handed on; CloudWatch Logs does within about a second. */
    flushMs?: number;
    retryDelaysMs?: readonly number[];
    /** Whether the selected lines are also written on (default: yes). */
    echo?: boolean;
  }): LogSubscription {
    return new LogSubscription(
      { ...options, retryDelaysMs: options.retryDelaysMs ?? [1_000, 2_000], echo: options.echo ?? true },
      options.flushMs ?? 200,
    );
  }

  /** Hands on what is kept now, and waits until every invocation in flight (retries included) has ended. */
  async drain(): Promise<void> {
    this.flush();
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Hands on what is kept, waits for the invocations in flight, and stops reading the output. */
  async close(): Promise<void> {
    await this.drain();
    clearInterval(this.timer);
    this.active = false;
    if (process.stdout.write === this.ownWrite) process.stdout.write = this.previousWrite;
  }

  private read(text: string): void {
    // Most writes are one whole line (a logger's, an event's): no split needed.
    const newline = text.indexOf('\n');
    if (this.partial === '' && newline === text.length - 1) {
      const line = text.slice(0, -1);
      if (this.options.matches(line))
        this.buffer.push({ id: randomUUID(), timestamp: Date.now(), message: line });
      return;
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (this.options.matches(line))
        this.buffer.push({ id: randomUUID(), timestamp: Date.now(), message: line });
    }
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const logEvents = this.buffer;
    this.buffer = [];
    const data = gzipSync(
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: '000000000000',
        logGroup: this.options.logGroup,
        logStream: 'local',
        subscriptionFilters: ['device-events'],
        logEvents,
      }),
    ).toString('base64');
    const work = this.invoke({ awslogs: { data } });
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async invoke(payload: { awslogs: { data: string } }): Promise<void> {
    const delays = [0, ...this.options.retryDelaysMs];
    for (const [attempt, delay] of delays.entries()) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      try {
        await this.options.destination(payload);
        return;
      } catch {
        if (attempt === delays.length - 1) {
          this.options.onFailure(
            JSON.stringify({
              version: '1.0',
              timestamp: new Date().toISOString(),
              requestContext: {
                requestId: randomUUID(),
                condition: 'RetriesExhausted',
                approximateInvokeCount: delays.length,
              },
              requestPayload: payload,
              responseContext: { statusCode: 200, functionError: 'Unhandled' },
            }),
          );
        }
      }
    }
  }
}
