/** RFC 9457 problem details as the BFF sends them. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly invalidParams?: ReadonlyArray<{ name: string; reason: string }>;
}

/**
 * Every failed call throws a {@link DeviceBffError}; branch with `instanceof` on the subclasses, or on
 * `code` (stable, e.g. `device_not_found`). API Gateway's own answers (`{"message"}`: throttling, payload
 * limits, failed functions) arrive with a code `gateway_<status>`.
 */
export class DeviceBffError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.name = new.target.name;
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

/** 400: the request broke a constraint; `problem.invalidParams` names each field. */
export class InvalidRequestError extends DeviceBffError {}
/**
 * 400 `stale_device_key` from `confirmDevice`: Cognito did not issue this device key to this user, or the device
 * was forgotten. Drop the stored key and device secret, sign in again without them, and confirm the
 * `NewDeviceMetadata` of that sign-in.
 */
export class StaleDeviceKeyError extends InvalidRequestError {}
/** 401: sign in again (no, expired or revoked token). */
export class UnauthenticatedError extends DeviceBffError {}
/** 403: the token lacks the scope, or Cognito forbids the user. */
export class ForbiddenError extends DeviceBffError {}
/**
 * 404: no such device for this user (or no such route). Cognito's token API shows remembered devices only, so
 * a device that is confirmed but not remembered is also 404 on `getDevice` and `forgetDevice`.
 */
export class NotFoundError extends DeviceBffError {}
/** 409 `device_key_exists`: the device is already confirmed (Cognito confirms a device once: no renaming). */
export class ConflictError extends DeviceBffError {}
/** 429: back off for `retryAfterSeconds` (when the server said), then retry. */
export class RateLimitedError extends DeviceBffError {
  constructor(
    problem: Problem,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(problem);
  }
}
/** 5xx: the server or Cognito failed; retry later and report `requestId` if it persists. */
export class ServerError extends DeviceBffError {}

export function errorFor(problem: Problem, retryAfterSeconds: number | undefined): DeviceBffError {
  switch (problem.status) {
    case 400:
      return problem.code === 'stale_device_key'
        ? new StaleDeviceKeyError(problem)
        : new InvalidRequestError(problem);
    case 413:
    case 415:
      return new InvalidRequestError(problem);
    case 401:
      return new UnauthenticatedError(problem);
    case 403:
      return new ForbiddenError(problem);
    case 404:
    case 405:
      return new NotFoundError(problem);
    case 409:
      return new ConflictError(problem);
    case 429:
      return new RateLimitedError(problem, retryAfterSeconds);
    default:
      return problem.status >= 500 ? new ServerError(problem) : new DeviceBffError(problem);
  }
}
