/**
 * The one error hierarchy of the BFF. Every failure a client can see is an {@link ApiError}; the
 * error middleware renders it as RFC 9457 problem+json. Anything else that escapes a handler is a bug
 * and becomes a generic 500.
 */

/** One invalid field, pointing into the request (RFC 6901 JSON pointer for bodies, `query:`/`path:` otherwise). */
export interface InvalidParam {
  readonly name: string;
  readonly reason: string;
}

interface ApiErrorOptions {
  /** Stable, machine-readable, snake_case. Clients branch on this, never on `detail`. */
  readonly code: string;
  /** Human-readable explanation for this occurrence. Shown to clients only for status < 500. */
  readonly detail: string;
  readonly cause?: unknown;
  /**
   * Why, for the log only: may quote what the caller sent (never a token), so it is never sent back.
   * Truncated to {@link MAX_REASON_LENGTH} characters.
   */
  readonly reason?: string;
}

const MAX_REASON_LENGTH = 300;

export abstract class ApiError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
  readonly code: string;
  readonly reason: string | undefined;

  constructor({ code, detail, cause, reason }: ApiErrorOptions) {
    super(detail, { cause });
    this.name = new.target.name;
    this.code = code;
    this.reason = reason?.slice(0, MAX_REASON_LENGTH);
  }

  /** Response headers this error requires (e.g. `WWW-Authenticate`, `Retry-After`). */
  headers(): Record<string, string> {
    return {};
  }

  /** Extra problem members (RFC 9457 extensions). */
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class BadRequestError extends ApiError {
  readonly status = 400;
  readonly title = 'Bad Request';
  readonly invalidParams: readonly InvalidParam[];

  constructor(options: ApiErrorOptions & { invalidParams?: readonly InvalidParam[] }) {
    super(options);
    this.invalidParams = options.invalidParams ?? [];
  }

  override extensions(): Record<string, unknown> {
    return this.invalidParams.length > 0 ? { invalidParams: this.invalidParams } : {};
  }
}

/** 401. `tokenPresented` decides between a bare challenge and `error="invalid_token"` (RFC 6750 §3). */
export class UnauthorizedError extends ApiError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  readonly tokenPresented: boolean;

  constructor(options: ApiErrorOptions & { tokenPresented: boolean }) {
    super(options);
    this.tokenPresented = options.tokenPresented;
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': this.tokenPresented ? 'Bearer error="invalid_token"' : 'Bearer' };
  }
}

export class ForbiddenError extends ApiError {
  readonly status = 403;
  readonly title = 'Forbidden';
}

/** 403 for a valid token that lacks the scope this API needs (RFC 6750 §3.1). */
export class InsufficientScopeError extends ForbiddenError {
  readonly requiredScope: string;

  constructor(options: ApiErrorOptions & { requiredScope: string }) {
    super(options);
    this.requiredScope = options.requiredScope;
  }

  override headers(): Record<string, string> {
    return { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${this.requiredScope}"` };
  }
}

export class NotFoundError extends ApiError {
  readonly status = 404;
  readonly title = 'Not Found';
}

export class MethodNotAllowedError extends ApiError {
  readonly status = 405;
  readonly title = 'Method Not Allowed';
  readonly allow: readonly string[];

  constructor(options: ApiErrorOptions & { allow: readonly string[] }) {
    super(options);
    this.allow = options.allow;
  }

  override headers(): Record<string, string> {
    return { Allow: this.allow.join(', ') };
  }
}

export class ConflictError extends ApiError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends ApiError {
  readonly status = 413;
  readonly title = 'Content Too Large';
}

export class UnsupportedMediaTypeError extends ApiError {
  readonly status = 415;
  readonly title = 'Unsupported Media Type';
}

export class TooManyRequestsError extends ApiError {
  readonly status = 429;
  readonly title = 'Too Many Requests';
  readonly retryAfterSeconds: number;

  constructor(options: ApiErrorOptions & { retryAfterSeconds: number }) {
    super(options);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/** 5xx errors: their detail is logged, never sent; `publicDetail`, when a subclass has one, is sent instead. */
export abstract class ServerError extends ApiError {
  /** A fixed text that tells the client more than "retry later", when retrying would not help. */
  readonly publicDetail: string | undefined = undefined;
}

/** Our own deployment is wrong (e.g. the pool has device tracking off). */
export class MisconfigurationError extends ServerError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

/**
 * 503: Cognito does not offer this operation here (OperationNotEnabledException: "not available in the current region
 * or for the current user pool configuration", e.g. a write to a multi-Region replica, whose ConfirmDevice,
 * UpdateDeviceStatus and ForgetDevice are the primary's only). Retrying changes nothing, so no `Retry-After`, and the
 * client is told so; the deployment is wrong, so it counts as `Misconfigured`.
 */
export class OperationNotEnabledError extends ServerError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
  override readonly publicDetail =
    'This operation is not available for this user pool here; retrying will not help. Report the request id.';
}

/** Anything that escaped without being classified: a bug. */
export class UnexpectedError extends ServerError {
  readonly status = 500;
  readonly title = 'Internal Server Error';

  constructor(cause: unknown) {
    super({ code: 'internal_error', detail: 'Unexpected error', cause });
  }
}

/** Cognito (or the JWKS endpoint) failed or answered something we cannot use. */
export class UpstreamError extends ServerError {
  readonly status = 502;
  readonly title = 'Bad Gateway';
}

/** Cognito did not answer within the call budget. */
export class UpstreamTimeoutError extends ServerError {
  readonly status = 504;
  readonly title = 'Gateway Timeout';
}
