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
import type { Cursors } from './devices/cursor.js';
import type { DeviceVisibility } from './devices/directory.js';
import type { Action } from './http/route-handler.js';
import {
  completePasskeyRegistration,
  listPasskeys,
  removePasskey,
  startPasskeyRegistration,
} from './passkeys/actions.js';
import type { RouteId } from './routes.js';

/** What the use cases are built with: the functions' config gives these, the tests their own. */
export interface ActionSettings {
  /** The list's cursors; called only when the function serves the list (the cursor key is required there only). */
  readonly cursors: () => Cursors;
  readonly view: DeviceVisibility;
  readonly forgetRatePerSecond: number;
}

/** Each route's use case, built when a function serves the route. */
export function makeActions(settings: ActionSettings): Record<RouteId, () => Action> {
  return {
    confirmDevice: () => confirmDevice,
    updateDeviceStatus: () => updateDeviceStatus,
    listDevices: () => makeListDevices(settings.cursors(), settings.view),
    getDevice: () => getDevice,
    forgetDevice: () => forgetDevice,
    forgetOtherDevices: () =>
      makeForgetOtherDevices({ ...FORGET_OTHERS_LIMITS, ratePerSecond: settings.forgetRatePerSecond }),
    signOutEverywhere: () => signOutEverywhere,
    listPasskeys: () => listPasskeys,
    startPasskeyRegistration: () => startPasskeyRegistration,
    completePasskeyRegistration: () => completePasskeyRegistration,
    removePasskey: () => removePasskey,
  };
}
