import { forgetDevice } from '../devices/actions/forget-device.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(routes.forgetDevice, forgetDevice, await runtime);
