import { NotFoundError } from '../../errors.js';
import type { Action } from '../../http/route-handler.js';
import { retire, trustOnRead } from '../../trust/on-request.js';
import { parseInput } from '../../validation.js';
import { asSeenBy } from '../device-view.js';
import { DeviceKeyPath } from '../schemas.js';

/** With `rememberFor`, a device found past its trust is retired, and then not found. */
export const getDevice: Action = async ({ event, principal, directory, trust, log }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const device = await directory.get(principal, deviceKey);
  const seen = await trustOnRead(trust, principal, [device], log);
  const { changes, retired } = await retire(trust, principal, directory, seen.ended, log);
  if (retired.has(deviceKey)) {
    return {
      status: 404,
      changes,
      failure: new NotFoundError({
        code: 'device_not_found',
        detail: 'This device’s trust has ended, so it was forgotten: sign in on it again (with MFA)',
      }),
    };
  }
  return {
    status: 200,
    body: asSeenBy(device, principal.deviceKey, {
      endsAt: seen.ends.get(deviceKey),
      unknown: seen.unavailable,
    }),
  };
};
