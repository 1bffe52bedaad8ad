import { type Config, required } from './config.js';
import {
  confirmDevice,
  FORGET_OTHERS_LIMITS,
  forgetDevice,
  getDevice,
  makeForgetOtherDevices,
  makeListDevices,
  signOutEverywhere,
  updateDeviceStatus,
} from './devices/actions/index.js';
import { createCursors } from './devices/cursor.js';
import type { Action } from './http/route-handler.js';
import type { RouteId } from './routes.js';
import { readSecretViaExtension } from './secrets/extension.js';

/**
 * Each route's use case, built from the function's config when the function serves the route (so a setting only
 * one route needs, like the cursor key, is required at the cold start of the functions that serve it only).
 */
export const actions: Record<RouteId, (config: Config) => Action> = {
  confirmDevice: () => confirmDevice,
  updateDeviceStatus: () => updateDeviceStatus,
  listDevices: (config) =>
    makeListDevices(
      createCursors(
        readSecretViaExtension(config, required(config.cursorKeySecretId, 'CURSOR_KEY_SECRET_ID')),
      ),
      config.deviceVisibility,
    ),
  getDevice: () => getDevice,
  forgetDevice: () => forgetDevice,
  forgetOtherDevices: (config) =>
    makeForgetOtherDevices({ ...FORGET_OTHERS_LIMITS, ratePerSecond: config.forgetRatePerSecond }),
  signOutEverywhere: () => signOutEverywhere,
};
