import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MisconfigurationError, OperationNotEnabledError, ServerError } from '../errors.js';
import type { Log } from '../observability.js';
import { PROBLEM_CONTENT_TYPE, toApiError, toProblem } from './problem.js';

type Request = middy.Request<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/** Headers on every response, success or problem: tokens-bearing answers must never be cached. */
function withStandardHeaders(
  response: APIGatewayProxyStructuredResultV2,
  requestId: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    ...response,
    headers: { ...response.headers, 'Cache-Control': 'no-store', 'X-Request-Id': requestId },
  };
}

/**
 * Called once the response is final, with its status, for errors the problem's code, and whether the error says
 * our deployment is wrong (device tracking off, a missing permission…). Returns fields to add to the request's
 * outcome line (the user's `sub`, the Cognito call); may record metrics.
 */
export type Observe = (
  request: Request,
  status: number,
  code: string | undefined,
  misconfigured: boolean,
) => Record<string, unknown>;

/**
 * Outermost middleware: stamps standard headers on successes, turns every error into problem+json, and
 * writes one `request` line per request (ids, route, outcome; never tokens or bodies). Registered first so
 * that its `onError` runs after every other middleware's (Middy runs them in reverse).
 */
export function httpEnvelope(
  log: Log,
  route: string,
  observe?: Observe,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  const complete = (
    request: Request,
    status: number,
    code: string | undefined,
    misconfigured: boolean,
    reason?: string,
  ) => {
    const extra = observe?.(request, status, code, misconfigured);
    log.info('request', {
      requestId: request.event.requestContext.requestId,
      route,
      status,
      code,
      ...(reason !== undefined && { reason }),
      ...extra,
    });
  };
  return {
    after: (request: Request) => {
      request.response = withStandardHeaders(
        request.response ?? { statusCode: 204 },
        request.event.requestContext.requestId,
      );
      complete(request, request.response.statusCode ?? 200, undefined, false);
    },
    onError: (request: Request) => {
      const error = toApiError(request.error);
      const { requestId } = request.event.requestContext;
      // 5xx: the real error (with its cause chain) goes to the log only; the outcome line follows.
      if (error instanceof ServerError) {
        log.error(error.message, {
          requestId,
          routeKey: request.event.routeKey,
          status: error.status,
          code: error.code,
          error: error.cause ?? error,
        });
      }
      request.response = withStandardHeaders(
        {
          statusCode: error.status,
          headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...error.headers() },
          body: JSON.stringify(toProblem(error)),
        },
        requestId,
      );
      complete(
        request,
        error.status,
        error.code,
        error instanceof MisconfigurationError || error instanceof OperationNotEnabledError,
        error.reason,
      );
    },
  };
}
