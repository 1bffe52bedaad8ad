import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ServerError } from '../errors.js';
import type { Log } from './logger.js';
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

/** Told how each request ended (status, and the problem's code for errors), once the response is final. */
export type OnComplete = (request: Request, status: number, code: string | undefined) => void;

/**
 * Outermost middleware: stamps standard headers on successes and turns every error into problem+json.
 * Registered first so that its `onError` runs after every other middleware's (Middy runs them in reverse).
 */
export function httpEnvelope(
  log: Log,
  onComplete?: OnComplete,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    after: (request: Request) => {
      request.response = withStandardHeaders(
        request.response ?? { statusCode: 204 },
        request.event.requestContext.requestId,
      );
      onComplete?.(request, request.response.statusCode ?? 200, undefined);
    },
    onError: (request: Request) => {
      const error = toApiError(request.error);
      const { requestId } = request.event.requestContext;
      const where = { requestId, routeKey: request.event.routeKey, status: error.status, code: error.code };
      // 5xx: the real error (with its cause chain) goes to the log only. 4xx: the outcome line says enough.
      if (error instanceof ServerError) log.error(error.message, { ...where, error: error.cause ?? error });
      else if (!onComplete) log.info('request rejected', where);
      request.response = withStandardHeaders(
        {
          statusCode: error.status,
          headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...error.headers() },
          body: JSON.stringify(toProblem(error)),
        },
        requestId,
      );
      onComplete?.(request, error.status, error.code);
    },
  };
}
