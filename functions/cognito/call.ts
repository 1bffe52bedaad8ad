import { deadline } from '../deadline.js';
import type { DeviceOwner } from '../devices/directory.js';
import { UpstreamTimeoutError } from '../errors.js';
import { type DeviceOperation, fromCognitoError } from './error-map.js';

/**
 * One Cognito call for a request: within the call budget (one timer, cleared when the call ends), never started or
 * awaited once the request was answered (`owner.signal`), its failure mapped to an ApiError. `recover` may turn an
 * error into an answer (an expected "Device does not exist.").
 */
export async function cognitoCall<T, R = T>(
  callBudgetMs: number,
  operation: DeviceOperation,
  owner: Pick<DeviceOwner, 'signal'>,
  send: (options: { abortSignal: AbortSignal }) => Promise<T>,
  recover?: (error: unknown) => Promise<R> | undefined,
): Promise<T | R> {
  if (owner.signal?.aborted) throw answered(operation);
  const budget = deadline(callBudgetMs, owner.signal);
  try {
    return await send({ abortSignal: budget.signal });
  } catch (error) {
    if (owner.signal?.aborted) throw answered(operation, error);
    const recovered = recover?.(error);
    if (recovered) return recovered;
    throw fromCognitoError(error, budget.timedOut(), operation);
  } finally {
    budget.done();
  }
}

/** The request was answered already (Middy's early timeout): no Cognito call is made or awaited for it. */
function answered(operation: DeviceOperation, cause?: unknown): UpstreamTimeoutError {
  return new UpstreamTimeoutError({
    code: 'timeout',
    detail: `${operation} stopped: the request had already been answered`,
    cause,
  });
}
