/**
 * The package's `./cdk` export (`import { DeviceBff } from 'cognito-device-bff/cdk'`): the construct and what its
 * props use. Everything reachable from here may import only `aws-cdk-lib`, `constructs` and Node's built-ins (the
 * package's peer dependencies): scripts/build-package.ts checks it, so a consumer installs nothing else.
 */
export type { FunctionId } from '../functions/routes.js';
export {
  type AlarmSettings,
  accessLogFields,
  DeviceBff,
  DeviceBffConfigError,
  type DeviceBffProps,
  type EdgeSettings,
  type ThrottleSettings,
} from './device-bff.js';
export {
  type DeviceConfiguration,
  type DeviceTrackingMode,
  deviceConfiguration,
  deviceTrackingModes,
} from './device-tracking.js';
export { alarmThresholds } from './monitoring.js';
