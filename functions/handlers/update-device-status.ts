import { updateDeviceStatus } from '../devices/actions/update-device-status.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(routes.updateDeviceStatus, updateDeviceStatus, await runtime);
