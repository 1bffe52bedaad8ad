import { UpstreamError } from '../../errors.js';
import type { Action } from '../../http/route-handler.js';
import { endTrust } from '../../trust/in-actions.js';
import { parseInput } from '../../validation.js';
import { DeviceKeyPath, UpdateDeviceStatusBody } from '../schemas.js';
import { nameForEvent } from './device-name.js';

export const updateDeviceStatus: Action = async ({
  event,
  body,
  principal,
  directory,
  publishing,
  trust,
  log,
}) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const { status } = parseInput(UpdateDeviceStatusBody, body, 'body');
  // The token API sees a device while it is remembered: its name before it stops being, after it starts.
  const before =
    status === 'not_remembered' ? await nameForEvent(publishing, directory, principal, deviceKey) : null;
  await directory.setStatus(principal, deviceKey, status);
  const deviceName =
    status === 'remembered'
      ? await nameForEvent(publishing || trust !== undefined, directory, principal, deviceKey)
      : before;
  let trustEndsAt: Date | null = null;
  if (status === 'remembered' && trust) {
    try {
      trustEndsAt = await trust.remember(principal, { deviceKey, deviceName });
    } catch (error) {
      // A device remembered without an end to its trust would stay trusted for good: take it back, and say so.
      await directory.setStatus(principal, deviceKey, 'not_remembered').catch(() => undefined);
      throw new UpstreamError({
        code: 'trust_not_scheduled',
        detail: 'The end of this device’s trust could not be scheduled, so it was not remembered; try again',
        cause: error,
      });
    }
  }
  if (status === 'not_remembered') await endTrust(trust, principal, [deviceKey], log);
  return {
    status: 200,
    body: { deviceKey, status, trustEndsAt: trustEndsAt?.toISOString() ?? null },
    changes: [
      {
        type: status === 'remembered' ? 'Device remembered' : 'Device no longer remembered',
        deviceKey,
        deviceName,
      },
    ],
  };
};
