import { FORGET_OTHERS_LIMITS, makeForgetOtherDevices } from '../devices/actions/forget-other-devices.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';

const deps = await runtime;
export const handler = createRouteHandler(
  routes.forgetOtherDevices,
  makeForgetOtherDevices({ ...FORGET_OTHERS_LIMITS, ratePerSecond: deps.config.forgetRatePerSecond }),
  deps,
);
