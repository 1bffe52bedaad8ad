/**
 * Fault injection: the next matching calls fail the way Cognito or the network can, so the BFF's retries,
 * budgets and error mapping are tested against a real HTTP peer.
 */
export type FaultKind =
  /** `TooManyRequestsException` (400), as when an account quota is exceeded. */
  | 'throttle'
  /** `InternalErrorException` (500). */
  | 'internal'
  /**
   * `OperationNotEnabledException` (400): the operation is not offered here, as a multi-Region replica answers the
   * primary's writes (since 2026-06). Its message is the exception's documentation; no answer was recorded.
   */
  | 'not-enabled'
  /** Never answers; the connection stays open until the client gives up. */
  | 'hang'
  /** Answers normally after `delayMs`. */
  | 'slow'
  /** Closes the connection without an answer. */
  | 'drop'
  /** Does the work, then closes the connection instead of answering: the answer is lost on the way. */
  | 'lose-answer';

export interface Fault {
  readonly kind: FaultKind;
  /** Only calls of this operation; any operation when omitted. */
  readonly operation?: string;
  /** How many calls it applies to. */
  readonly times: number;
  readonly delayMs?: number;
}

export class FaultInjector {
  private readonly queue: Array<Fault & { left: number }> = [];

  inject(fault: Fault): void {
    this.queue.push({ ...fault, left: fault.times });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** The fault for this call, consuming one use of it. */
  take(operation: string): Fault | undefined {
    const index = this.queue.findIndex(
      (f) => f.left > 0 && (f.operation === undefined || f.operation === operation),
    );
    const fault = this.queue[index];
    if (!fault) return undefined;
    fault.left--;
    if (fault.left === 0) this.queue.splice(index, 1);
    return fault;
  }
}
