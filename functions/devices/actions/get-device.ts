import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { asSeenBy } from '../device-view.js';
import { DeviceKeyPath } from '../schemas.js';

export const getDevice: Action = async ({ event, principal, directory }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  return {
    status: 200,
    body: asSeenBy(await directory.get(principal, deviceKey), principal.deviceKey),
  };
};
