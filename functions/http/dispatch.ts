import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { MisconfigurationError } from '../errors.js';
import type { Log } from '../observability.js';
import { type fallbackRoute, type RouteDefinition, type RouteId, routeList } from '../routes.js';
import { httpEnvelope } from './envelope.js';
import { createFallbackHandler } from './fallback.js';
import { type Action, createRouteHandler, type RouteDeps } from './route-handler.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * One function serving several routes: the route's own Middy chain by API Gateway's `routeKey` ("GET /devices"),
 * `$default` by the problem+json fallback. Only the routes in `served` are built (their actions may need settings
 * the others do not). A route of the table that this function does not serve never reaches it from the stack's API:
 * if one does, the deployment is wrong, and it is answered 500 `misconfigured` (and counted) rather than guessed at.
 */
export function createDispatcher(
  served: ReadonlyArray<RouteId | typeof fallbackRoute.id>,
  action: (route: RouteDefinition) => Action,
  deps: RouteDeps & { log: Log },
): Handler {
  const handlers = new Map<string, Handler>();
  for (const route of routeList) {
    handlers.set(
      `${route.method} ${route.path}`,
      served.includes(route.id as RouteId)
        ? createRouteHandler(route, action(route), deps)
        : misrouted(route, deps),
    );
  }
  const fallback = createFallbackHandler(routeList, deps.log) as Handler;
  return (event, context) => (handlers.get(event.routeKey) ?? fallback)(event, context);
}

function misrouted(route: RouteDefinition, deps: RouteDeps & { log: Log }): Handler {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
    .use(
      httpEnvelope(deps.log, route.id, (_request, status, code, misconfigured) => {
        deps.metrics.record({ route: route.id, status, code, misconfigured });
        return {};
      }),
    )
    .handler(async () => {
      throw new MisconfigurationError({
        code: 'misconfigured',
        detail: `${route.id} reached a function whose ROUTES do not include it: check the API's integrations`,
      });
    }) as Handler;
}
