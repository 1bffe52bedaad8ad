import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { DeviceKeyPath, UpdateDeviceStatusBody } from '../schemas.js';
import { nameForEvent } from './device-name.js';

export const updateDeviceStatus: Action = async ({ event, body, principal, directory, publishing }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const { status } = parseInput(UpdateDeviceStatusBody, body, 'body');
  // The token API sees a device while it is remembered: its name before it stops being, after it starts.
  const before =
    status === 'not_remembered' ? await nameForEvent(publishing, directory, principal, deviceKey) : null;
  await directory.setStatus(principal, deviceKey, status);
  const deviceName =
    status === 'remembered' ? await nameForEvent(publishing, directory, principal, deviceKey) : before;
  return {
    status: 200,
    body: { deviceKey, status },
    changes: [
      {
        type: status === 'remembered' ? 'Device remembered' : 'Device no longer remembered',
        deviceKey,
        deviceName,
      },
    ],
  };
};
