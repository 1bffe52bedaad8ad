import type { Principal } from '../../auth/authenticator.js';
import type { Log } from '../../http/logger.js';
import type { TrustSchedules } from '../../trust/schedules.js';
import type { Device } from '../device.js';
import { displayName } from '../names/display-name.js';

/**
 * When each remembered device's trust ends. A remembered device without a schedule (remembered without this API:
 * a sign-in library's ConfirmDevice in an `always` pool, or a direct UpdateDeviceStatus) gets one now, from when it
 * was first seen. A schedule service that does not answer leaves the dates out (null), never the list.
 */
export async function trustEnds(
  trust: TrustSchedules | undefined,
  principal: Principal,
  devices: readonly Device[],
  log: Log,
): Promise<Map<string, Date>> {
  const remembered = devices.filter((d) => d.status === 'remembered');
  if (!trust || remembered.length === 0) return new Map();
  try {
    const ends = await trust.endsAt(
      principal,
      remembered.map((d) => d.deviceKey),
    );
    for (const device of remembered.filter((d) => !ends.has(d.deviceKey))) {
      ends.set(
        device.deviceKey,
        await trust.remember(principal, {
          deviceKey: device.deviceKey,
          deviceName: displayName(device.name),
        }),
      );
    }
    return ends;
  } catch (error) {
    log.warn('trust schedules not read; the devices are listed without their end of trust', { error });
    return new Map();
  }
}
