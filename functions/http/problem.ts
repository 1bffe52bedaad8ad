import { HttpError as MiddyHttpError } from '@middy/util';
import {
  ApiError,
  BadRequestError,
  PayloadTooLargeError,
  ServerError,
  UnexpectedError,
  UnsupportedMediaTypeError,
} from '../errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
const PROBLEM_TYPE_PREFIX = 'urn:cognito-device-bff:problem:';

/** RFC 9457 body. `type` is a stable URN built from `code`, so clients may use either. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly [extension: string]: unknown;
}

/** What clients are told for any 5xx: nothing internal, only how to get help. */
const SERVER_DETAIL =
  'The request could not be completed. Retry later; if it persists, report the request id.';

/**
 * Anything thrown inside a handler → an {@link ApiError}. Middy's own body-parser errors carry a
 * `statusCode`; everything unknown is a bug and becomes a 500.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  // Middy's body-parser errors carry the raw body as `cause.data` (a verifier, say): they never become a
  // cause, so no log line can ever serialize it.
  if (error instanceof MiddyHttpError && error.statusCode < 500) {
    if (error.statusCode === 415) {
      return new UnsupportedMediaTypeError({
        code: 'unsupported_media_type',
        detail: 'The request body must be sent as application/json',
      });
    }
    if (error.statusCode === 413) {
      return new PayloadTooLargeError({ code: 'payload_too_large', detail: 'The request body is too large' });
    }
    // @middy/util's prototype-pollution guard: valid JSON, refused for a key (`__proto__`, `constructor`).
    if (error.message === 'Forbidden key in JSON body') {
      return new BadRequestError({
        code: 'forbidden_json_key',
        detail:
          'The request body uses a key that is refused to prevent prototype pollution (__proto__ or constructor)',
      });
    }
    return new BadRequestError({ code: 'malformed_json', detail: 'The request body is not valid JSON' });
  }
  return new UnexpectedError(error);
}

export function toProblem(error: ApiError): Problem {
  const exposed = !(error instanceof ServerError);
  return {
    ...(exposed ? error.extensions() : {}),
    type: `${PROBLEM_TYPE_PREFIX}${error.code}`,
    title: error.title,
    status: error.status,
    detail: exposed ? error.message : ((error as ServerError).publicDetail ?? SERVER_DETAIL),
    code: error.code,
  };
}
