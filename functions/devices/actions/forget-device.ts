import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { DeviceKeyPath } from '../schemas.js';

export const forgetDevice: Action = async ({ event, principal, directory }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  await directory.forget(principal, deviceKey);
  return { status: 204 };
};
