import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { DeviceKeyPath, UpdateDeviceStatusBody } from '../schemas.js';

export const updateDeviceStatus: Action = async ({ event, body, principal, directory }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const { status } = parseInput(UpdateDeviceStatusBody, body, 'body');
  await directory.setStatus(principal, deviceKey, status);
  return { status: 200, body: { deviceKey, status } };
};
