import { signOutEverywhere } from '../devices/actions/sign-out-everywhere.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(routes.signOutEverywhere, signOutEverywhere, await runtime);
