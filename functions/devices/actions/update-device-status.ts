import { ConflictError, UpstreamError } from '../../errors.js';
import type { Action, ActionRequest, Reply } from '../../http/route-handler.js';
import { MAX_TRUSTED_DEVICES, trustEnd } from '../../trust/ends.js';
import { retire } from '../../trust/on-request.js';
import type { TrustSchedules } from '../../trust/schedules.js';
import { parseInput } from '../../validation.js';
import { displayName } from '../names/display-name.js';
import { DeviceKeyPath, UpdateDeviceStatusBody } from '../schemas.js';

/**
 * Remember a device, or stop remembering it. With `rememberFor`, stopping keeps the device's record of trust, so its
 * period runs on: remembering it again never starts a new one (functions/trust/ends.ts).
 */
export const updateDeviceStatus: Action = async (request) => {
  const { event, body, principal, directory, trust } = request;
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const { status } = parseInput(UpdateDeviceStatusBody, body, 'body');
  if (status === 'remembered' && trust) return rememberWithTrust(request, trust, deviceKey);
  // The change is the one Cognito call: the event's device name is read when it is delivered (nameLater).
  await directory.setStatus(principal, deviceKey, status);
  return {
    status: 200,
    body: { deviceKey, status, trustEndsAt: null },
    changes: [
      {
        type: status === 'remembered' ? 'Device remembered' : 'Device no longer remembered',
        deviceKey,
        deviceName: null,
        nameLater: true,
      },
    ],
  };
};

/**
 * Remembering on a stage whose trust ends: a device whose period is over is retired (forgotten: trust comes back only
 * through a sign-in with MFA, as a new device), one with a period keeps it, and one without starts it, if the user
 * has fewer than {@link MAX_TRUSTED_DEVICES} remembered devices. A period that cannot be written down takes the
 * remembering back: a device trusted without an end would be trusted for good.
 */
async function rememberWithTrust(
  { principal, directory, log }: ActionRequest,
  trust: TrustSchedules,
  deviceKey: string,
): Promise<Reply> {
  let recordedAt: number | undefined;
  try {
    recordedAt = await trust.recordedAt(principal, deviceKey);
  } catch (error) {
    throw notScheduled(error);
  }
  if (
    recordedAt !== undefined &&
    trustEnd(trust.rememberForSeconds, recordedAt, null).getTime() <= Date.now()
  ) {
    // The token API forgets a remembered device only: it is remembered for the moment it takes to forget it.
    await directory.setStatus(principal, deviceKey, 'remembered');
    const device = await directory.get(principal, deviceKey);
    const { changes, retired } = await retire(trust, principal, directory, [device], log);
    if (!retired.has(deviceKey)) {
      await directory.setStatus(principal, deviceKey, 'not_remembered').catch(() => undefined);
    }
    return {
      status: 409,
      changes,
      failure: new ConflictError({
        code: 'trust_ended',
        detail:
          'This device’s trust has ended, so it was forgotten: sign in on it again (with MFA) to remember it',
      }),
    };
  }
  const othersRemembered = async () =>
    (await directory.list(principal, { limit: 60 })).devices.filter(
      (d) => d.status === 'remembered' && d.deviceKey !== deviceKey,
    ).length;
  if (recordedAt === undefined && (await othersRemembered()) >= MAX_TRUSTED_DEVICES) throw tooMany();
  await directory.setStatus(principal, deviceKey, 'remembered');
  // Counted again once done: requests made at once all found room before any of them took it.
  if (recordedAt === undefined && (await othersRemembered()) >= MAX_TRUSTED_DEVICES) {
    await directory.setStatus(principal, deviceKey, 'not_remembered').catch(() => undefined);
    throw tooMany();
  }
  const device = await directory.get(principal, deviceKey);
  const deviceName = displayName(device.name);
  if (recordedAt === undefined) {
    try {
      recordedAt = await trust.record(principal, {
        deviceKey,
        deviceName,
        lastModifiedAt: device.lastModifiedAt,
      });
    } catch (error) {
      await directory.setStatus(principal, deviceKey, 'not_remembered').catch(() => undefined);
      throw notScheduled(error);
    }
  }
  const trustEndsAt = trustEnd(trust.rememberForSeconds, recordedAt, device.lastModifiedAt);
  return {
    status: 200,
    body: { deviceKey, status: 'remembered', trustEndsAt: trustEndsAt.toISOString() },
    changes: [{ type: 'Device remembered', deviceKey, deviceName }],
  };
}

const notScheduled = (cause: unknown) =>
  new UpstreamError({
    code: 'trust_not_scheduled',
    detail: 'The end of this device’s trust could not be scheduled, so it was not remembered; try again',
    cause,
  });

const tooMany = () =>
  new ConflictError({
    code: 'too_many_remembered_devices',
    detail: `At most ${MAX_TRUSTED_DEVICES} devices can be remembered: forget one first`,
  });
