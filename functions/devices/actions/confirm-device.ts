import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { deviceNameFromUserAgent } from '../device-name.js';
import { ConfirmDeviceBody } from '../schemas.js';

export const confirmDevice: Action = async ({ event, body, principal, directory }) => {
  const input = parseInput(ConfirmDeviceBody, body, 'body');
  const deviceName = input.deviceName ?? deviceNameFromUserAgent(event.headers['user-agent']);
  const { userConfirmationNecessary } = await directory.confirm(principal, {
    deviceKey: input.deviceKey,
    deviceName,
    verifier: input.deviceSecretVerifierConfig,
  });
  return {
    status: 201,
    headers: { Location: `/devices/${encodeURIComponent(input.deviceKey)}` },
    body: { deviceKey: input.deviceKey, userConfirmationNecessary },
  };
};
