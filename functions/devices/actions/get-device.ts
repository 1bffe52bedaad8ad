import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { asSeenBy } from '../device-view.js';
import { DeviceKeyPath } from '../schemas.js';
import { trustEnds } from './trust-ends.js';

export const getDevice: Action = async ({ event, principal, directory, trust, log }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const device = await directory.get(principal, deviceKey);
  const ends = await trustEnds(trust, principal, [device], log);
  return { status: 200, body: asSeenBy(device, principal.deviceKey, ends.get(deviceKey)) };
};
