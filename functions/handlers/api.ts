import { makeActions } from '../actions.js';
import { createCursors } from '../devices/cursor.js';
import { required } from '../environment.js';
import { createDispatcher } from '../http/dispatch.js';
import { fallbackRoute, type RouteId, routeList } from '../routes.js';
import { runtime } from '../runtime.js';
import { readSecretViaExtension } from '../secrets/extension.js';

/**
 * The one bundle every function of the stack runs; `ROUTES` (set by the stack) says which routes this function
 * serves, all of them when unset (the local API, which is one process).
 */
const deps = await runtime;
const { config } = deps;
const actions = makeActions({
  cursors: () =>
    createCursors(readSecretViaExtension(config, required(config.cursorKeySecretId, 'CURSOR_KEY_SECRET_ID'))),
  view: config.deviceVisibility,
  forgetRatePerSecond: config.forgetRatePerSecond,
});
const served = config.routes ?? [...routeList.map((r) => r.id as RouteId), fallbackRoute.id];
export const handler = createDispatcher(served, (route) => actions[route.id as RouteId](), deps);
