import { listDevices } from '../devices/actions/list-devices.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(routes.listDevices, listDevices, await runtime);
