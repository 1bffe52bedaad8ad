// Routes: every device route. Flow: the device lifecycle in an `always` pool (device-lifecycle.scenario.ts).
import { describeDeviceLifecycle } from './device-lifecycle.scenario.js';

describeDeviceLifecycle('always');
