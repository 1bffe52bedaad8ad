import type { TrustAdmin } from '../cognito/trust-admin.js';
import { displayName } from '../devices/names/display-name.js';
import { deviceEvent, type EventPublisher } from '../events/device-event.js';
import type { Log } from '../observability.js';
import { flexibleWindowMinutes, trustEnd } from './ends.js';
import type { TrustExpiryInput, TrustSchedules } from './schedules.js';

/** Clock skew allowed between the scheduler and Cognito's dates, besides the flexible window. */
const SKEW_MS = 60_000;

/**
 * The end of a device's trust: the device is forgotten (AdminForgetDevice), remembered or not, so its refresh tokens
 * stop working and its next sign-in asks for MFA and makes a new device; `Device trust expired` is published.
 *
 * A schedule's input is not trusted (whoever may make schedules in the group could write one): the function acts only
 * when Cognito knows the user by that name with that `sub`, the device is that user's, the record of its trust is the
 * one named after them, and Cognito's own dates with the record's creation say the trust is over. Anything else is
 * logged and left alone. A failure is thrown, so the scheduler tries again (its retry policy, for up to a day).
 */
export function makeTrustExpiry(deps: {
  readonly cognito: TrustAdmin;
  readonly trust: TrustSchedules;
  readonly events: EventPublisher | undefined;
  readonly log: Log;
  readonly now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  const tolerance = flexibleWindowMinutes(deps.trust.rememberForSeconds) * 60_000 + SKEW_MS;
  return async (input: TrustExpiryInput): Promise<void> => {
    const { userPoolId, username, deviceKey } = input;
    const outcome = await (async () => {
      const sub = await deps.cognito.subOf(userPoolId, username);
      if (sub === undefined) return 'user gone';
      if (sub !== input.sub) return 'not this user';
      const owner = { sub, username, userPoolId };
      const recordedAt = await deps.trust.recordedAt(owner, deviceKey);
      if (recordedAt === undefined) return 'no record';
      const device = await deps.cognito.device(userPoolId, username, deviceKey);
      if (!device) {
        await deps.trust.forget(owner, deviceKey);
        return 'device gone';
      }
      const end = trustEnd(deps.trust.rememberForSeconds, recordedAt, device.lastModifiedAt);
      if (end.getTime() > now() + tolerance) return 'not yet';
      const forgotten = await deps.cognito.forget(userPoolId, username, deviceKey);
      await deps.trust.forget(owner, deviceKey);
      if (!forgotten) return 'device gone';
      await deps.events?.publish([
        deviceEvent(
          { type: 'Device trust expired', deviceKey, deviceName: displayName(device.name) },
          { sub, time: new Date(now()).toISOString() },
        ),
      ]);
      return 'retired';
    })();
    // Never the username or the input's sub: they may be anyone's.
    if (outcome === 'retired' || outcome === 'device gone') deps.log.info('trust expiry', { outcome });
    else deps.log.warn('trust expiry', { outcome });
  };
}
