/**
 * The use cases behind the device routes: validate input at the edge, call the directory, shape the reply. One
 * module per route, for reading; every function runs the one bundle that holds them all (functions/routes.ts).
 */
export { confirmDevice } from './confirm-device.js';
export { forgetDevice } from './forget-device.js';
export { FORGET_OTHERS_LIMITS, makeForgetOtherDevices } from './forget-other-devices.js';
export { getDevice } from './get-device.js';
export { makeListDevices } from './list-devices.js';
export { signOutEverywhere } from './sign-out-everywhere.js';
export { updateDeviceStatus } from './update-device-status.js';
