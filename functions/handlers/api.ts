import { actions } from '../actions.js';
import { createDispatcher } from '../http/dispatch.js';
import { fallbackRoute, type RouteId, routeList } from '../routes.js';
import { runtime } from '../runtime.js';

/**
 * The one bundle every function of the stack runs; `ROUTES` (set by the stack) says which routes this function
 * serves, all of them when unset (the local API, which is one process).
 */
const deps = await runtime;
const served = deps.config.routes ?? [...routeList.map((r) => r.id as RouteId), fallbackRoute.id];
export const handler = createDispatcher(served, (route) => actions[route.id as RouteId](deps.config), deps);
