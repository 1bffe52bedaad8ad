import { loadConfig } from '../config.js';
import { makeForgetOtherDevices } from '../devices/actions/forget-other-devices.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

export const handler = createRouteHandler(
  routes.forgetOtherDevices,
  makeForgetOtherDevices(loadConfig(process.env).forgetRatePerSecond),
  await runtime,
);
