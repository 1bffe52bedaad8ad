import type { Principal } from '../auth/authenticator.js';
import type { Log } from '../http/logger.js';
import type { TrustSchedules } from './schedules.js';

/**
 * A device's trust schedule goes with the device: on a device forgotten or no longer remembered it is deleted.
 * A failure there does not fail the change the user asked for: the schedule only sets a device that is not
 * remembered any more to `not_remembered` again, or finds it gone.
 */
export async function endTrust(
  trust: TrustSchedules | undefined,
  principal: Principal,
  deviceKeys: readonly string[],
  log: Log,
): Promise<void> {
  if (!trust) return;
  for (const deviceKey of deviceKeys) {
    try {
      await trust.forget(principal, deviceKey);
    } catch (error) {
      log.warn('trust schedule not deleted; it will find the device not remembered', { error });
    }
  }
}
