/**
 * The use cases behind each route: validate input at the edge, call the directory, shape the reply.
 * One module per route, so each function bundles only what its route needs (the User-Agent parser only
 * ships with ConfirmDevice).
 */
export { confirmDevice } from './confirm-device.js';
export { forgetDevice } from './forget-device.js';
export { FORGET_OTHERS_LIMITS, makeForgetOtherDevices } from './forget-other-devices.js';
export { getDevice } from './get-device.js';
export { makeListDevices } from './list-devices.js';
export { signOutEverywhere } from './sign-out-everywhere.js';
export { updateDeviceStatus } from './update-device-status.js';
