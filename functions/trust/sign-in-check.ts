import type { TrustAdmin } from '../cognito/trust-admin.js';
import type { Device } from '../devices/device.js';
import { displayName } from '../devices/names/display-name.js';
import { deviceEvent, type EventPublisher } from '../events/device-event.js';
import type { Log } from '../observability.js';
import type { TrustCheckInput } from './checks.js';
import { MAX_TRUSTED_DEVICES, trustEnd } from './ends.js';
import { scheduleName, type TrustRecordList, type TrustSchedules } from './schedules.js';

/** Pages of a user's devices the check reads at most (60 each). */
const MAX_PAGES = 5;

/**
 * Some minutes after each sign-in, one user's devices against their records of trust: a device remembered without this
 * API (a sign-in library's ConfirmDevice in an `always` pool, a direct UpdateDeviceStatus) gets its record, from its
 * last change at the latest; one past its trust is retired (forgotten); remembered devices beyond
 * {@link MAX_TRUSTED_DEVICES} are no longer remembered, those signed in longest ago first; records of devices that are
 * gone are deleted, so they never fire.
 */
export function makeTrustCheck(deps: {
  readonly cognito: TrustAdmin;
  readonly trust: TrustSchedules & TrustRecordList;
  readonly events: EventPublisher | undefined;
  readonly log: Log;
  readonly now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return async (input: TrustCheckInput): Promise<void> => {
    const { userPoolId, username, sub } = input;
    // The schedule's input names the user; Cognito says who that is.
    if ((await deps.cognito.subOf(userPoolId, username)) !== sub) {
      deps.log.warn('trust check for a user Cognito does not know by that sub; nothing done', { sub });
      return;
    }
    const owner = { sub, username, userPoolId };
    const devices = await deps.cognito.devices(userPoolId, username, MAX_PAGES);
    const records = await deps.trust.list(owner);
    const named = new Map(devices.map((d) => [scheduleName(sub, d.deviceKey), d]));
    let cleaned = 0;
    for (const name of records.keys()) {
      if (!named.has(name)) {
        await deps.trust.forgetNamed(name);
        cleaned++;
      }
    }
    const remembered = devices
      .filter((d) => d.status === 'remembered')
      .sort((a, b) => Date.parse(b.lastAuthenticatedAt ?? '') - Date.parse(a.lastAuthenticatedAt ?? '') || 0);
    const beyond = remembered.slice(MAX_TRUSTED_DEVICES);
    for (const device of beyond) await deps.cognito.notRemembered(userPoolId, username, device.deviceKey);
    const retired: Device[] = [];
    let started = 0;
    for (const device of remembered.slice(0, MAX_TRUSTED_DEVICES)) {
      const recordedAt = records.get(scheduleName(sub, device.deviceKey));
      if (trustEnd(deps.trust.rememberForSeconds, recordedAt, device.lastModifiedAt).getTime() <= now()) {
        if (await deps.cognito.forget(userPoolId, username, device.deviceKey)) retired.push(device);
        await deps.trust.forget(owner, device.deviceKey);
      } else if (recordedAt === undefined) {
        await deps.trust.record(owner, {
          deviceKey: device.deviceKey,
          deviceName: displayName(device.name),
          lastModifiedAt: device.lastModifiedAt,
        });
        started++;
      }
    }
    if (retired.length > 0) {
      const time = new Date(now()).toISOString();
      await deps.events?.publish(
        retired.map((device) =>
          deviceEvent(
            {
              type: 'Device trust expired',
              deviceKey: device.deviceKey,
              deviceName: displayName(device.name),
            },
            { sub, time },
          ),
        ),
      );
    }
    deps.log.info('trust checked', {
      sub,
      remembered: remembered.length,
      started,
      retired: retired.length,
      notRemembered: beyond.length,
      cleaned,
    });
  };
}
