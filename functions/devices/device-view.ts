import type { Device } from './device.js';
import { displayName } from './names/display-name.js';

/**
 * A device as one caller sees it: `displayName` is `name` made readable and safe to show ("Chrome on macOS" for a
 * raw User-Agent); `current` marks the device of the caller's own sign-in.
 */
export interface DeviceView extends Device {
  readonly displayName: string | null;
  readonly current: boolean;
  readonly trustEndsAt: string | null;
}

/** `current` comes from the verified token's `device_key` only. */
export function asSeenBy(
  device: Device,
  callerDeviceKey: string | undefined,
  trustEndsAt: Date | undefined = undefined,
): DeviceView {
  const { deviceKey, name, ...rest } = device;
  return {
    deviceKey,
    name,
    displayName: displayName(name),
    ...rest,
    current: callerDeviceKey !== undefined && deviceKey === callerDeviceKey,
    trustEndsAt: device.status === 'remembered' && trustEndsAt ? trustEndsAt.toISOString() : null,
  };
}
