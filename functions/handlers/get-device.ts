import { getDevice } from '../devices/actions/get-device.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(routes.getDevice, getDevice, await runtime);
