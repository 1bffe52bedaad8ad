import { confirmDevice } from '../devices/actions/confirm-device.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(routes.confirmDevice, confirmDevice, await runtime);
