/**
 * The construct library's entry point (`cdk-cognito-device-bff`, built with jsii for TypeScript, Python, Java, .NET
 * and Go): the construct and what its props use. Everything reachable from here may import only `aws-cdk-lib`,
 * `constructs` and Node's built-ins (the package's peer dependencies), and every exported type follows jsii's type
 * system: structs with readonly properties, enums, classes; no unions, functions or module constants.
 */

export {
  type AlarmSettings,
  DeviceBff,
  type DeviceBffFunctions,
  type DeviceBffProps,
  type EdgeSettings,
  type EventDeliveryResources,
  type EventSettings,
  type ForgetOthersSettings,
  LogLevel,
  type ThrottleSettings,
  type TrustResources,
} from './device-bff.js';
export { DeviceTrackingMode, DeviceTrackingPresets } from './device-tracking.js';
export { AlarmThresholds } from './monitoring.js';
