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
  readonly trustEndsAtUnknown: boolean;
}

/**
 * `current` comes from the verified token's `device_key` only. `trust`: the end of the device's trust, and whether it
 * could not be read (a remembered device on a stage whose trust ends, while the scheduler failed).
 */
export function asSeenBy(
  device: Device,
  callerDeviceKey: string | undefined,
  trust: { endsAt?: Date | undefined; unknown?: boolean } = {},
): DeviceView {
  const remembered = device.status === 'remembered';
  const { deviceKey, name, ...rest } = device;
  return {
    deviceKey,
    name,
    displayName: displayName(name),
    ...rest,
    current: callerDeviceKey !== undefined && deviceKey === callerDeviceKey,
    trustEndsAt: remembered && trust.endsAt ? trust.endsAt.toISOString() : null,
    trustEndsAtUnknown: remembered && trust.endsAt === undefined && trust.unknown === true,
  };
}
