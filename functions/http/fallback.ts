import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { MethodNotAllowedError, NotFoundError } from '../errors.js';
import type { Log } from '../observability.js';
import { fallbackRoute, type RouteDefinition } from '../routes.js';
import { httpEnvelope } from './envelope.js';
import { RouteMatcher } from './route-matcher.js';

/**
 * The `$default` route: whatever no route matched gets problem+json too, 405 with `Allow` when the path
 * exists under other methods, else 404. No token is needed to learn that a route does not exist.
 */
export function createFallbackHandler(routes: readonly RouteDefinition[], log: Log) {
  const matcher = new RouteMatcher(routes);
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(httpEnvelope(log, fallbackRoute.id))
    .handler(async (event) => {
      const { method, path } = event.requestContext.http;
      const allow = matcher.methodsFor(event.rawPath ?? path);
      if (allow.length > 0) {
        throw new MethodNotAllowedError({
          code: 'method_not_allowed',
          detail: `${method} is not allowed here`,
          allow,
        });
      }
      throw new NotFoundError({ code: 'route_not_found', detail: 'No such route' });
    });
}
