// Routes: every device route. Flow: the device lifecycle in an `opt-in` pool (device-lifecycle.scenario.ts).
import { describeDeviceLifecycle } from './device-lifecycle.scenario.js';

describeDeviceLifecycle('opt-in');
