/** One HTTP attempt to an AWS API (Cognito, Scheduler, EventBridge, SQS, Secrets Manager) from a function. */
export const AWS_ATTEMPT_TIMEOUT_MS = 2_000;
/** Opening the connection of such an attempt, at most. */
export const AWS_CONNECTION_TIMEOUT_MS = 1_000;
/** One call of the device events' delivery to EventBridge or SQS: off any request's path, so it may wait longer. */
export const DELIVERY_CALL_TIMEOUT_MS = 3_000;

/** An AWS SDK client's HTTP handler settings: an attempt that overruns `attemptTimeoutMs` is abandoned. */
export function sdkRequestHandler(attemptTimeoutMs: number) {
  return {
    connectionTimeout: Math.min(AWS_CONNECTION_TIMEOUT_MS, attemptTimeoutMs),
    requestTimeout: attemptTimeoutMs,
    // Without this, current smithy handlers only log a warning when an attempt overruns.
    throwOnRequestTimeout: true,
  };
}
