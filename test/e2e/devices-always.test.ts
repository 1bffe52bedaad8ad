import { describeDeviceLifecycle } from './device-lifecycle.scenario.js';

describeDeviceLifecycle('always');
