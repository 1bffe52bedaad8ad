import type { Action } from '../../http/route-handler.js';
import { endTrust } from '../../trust/on-request.js';
import { parseInput } from '../../validation.js';
import { DeviceKeyPath } from '../schemas.js';
import { nameForEvent } from './device-name.js';

export const forgetDevice: Action = async ({ event, principal, directory, publishing, trust, log }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const deviceName = await nameForEvent(publishing, directory, principal, deviceKey);
  await directory.forget(principal, deviceKey);
  await endTrust(trust, principal, [deviceKey], log);
  return { status: 204, changes: [{ type: 'Device forgotten', deviceKey, deviceName }] };
};
