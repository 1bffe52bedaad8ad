/**
 * The other design, for the benchmark only: every route in one function, routed by `routeKey`. It shares one
 * runtime (config, logger, verifier, SDK client) as the per-route functions each have their own.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handler as confirmDevice } from '../functions/handlers/confirm-device.js';
import { handler as forgetDevice } from '../functions/handlers/forget-device.js';
import { handler as forgetOtherDevices } from '../functions/handlers/forget-other-devices.js';
import { handler as getDevice } from '../functions/handlers/get-device.js';
import { handler as listDevices } from '../functions/handlers/list-devices.js';
import { handler as notFound } from '../functions/handlers/not-found.js';
import { handler as updateDeviceStatus } from '../functions/handlers/update-device-status.js';
import { routes } from '../functions/routes.js';

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;
const table: Array<[{ method: string; path: string }, Handler]> = [
  [routes.confirmDevice, confirmDevice],
  [routes.updateDeviceStatus, updateDeviceStatus],
  [routes.listDevices, listDevices],
  [routes.getDevice, getDevice],
  [routes.forgetDevice, forgetDevice],
  [routes.forgetOtherDevices, forgetOtherDevices],
];
const byRouteKey = new Map(table.map(([route, handler]) => [`${route.method} ${route.path}`, handler]));

export const handler: Handler = (event, context) =>
  (byRouteKey.get(event.routeKey) ?? (notFound as Handler))(event, context);
