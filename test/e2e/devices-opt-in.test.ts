import { describeDeviceLifecycle } from './device-lifecycle.scenario.js';

describeDeviceLifecycle('opt-in');
