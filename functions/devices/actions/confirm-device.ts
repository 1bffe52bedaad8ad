import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { displayName, fromUserAgent, MAX_DISPLAY_LENGTH, neutralise } from '../names/display-name.js';
import { ConfirmDeviceBody } from '../schemas.js';

/**
 * A readable name from the User-Agent ("Chrome on macOS") for a confirmation that sends none; an agent that is no
 * browser's leaves the device unnamed rather than carrying a misleading name.
 */
function nameFromUserAgent(userAgent: string | undefined): string | undefined {
  const clean = userAgent && neutralise(userAgent.slice(0, 4 * MAX_DISPLAY_LENGTH));
  return clean ? fromUserAgent(clean) : undefined;
}

export const confirmDevice: Action = async ({ event, body, principal, directory, trust, log }) => {
  const input = parseInput(ConfirmDeviceBody, body, 'body');
  const deviceName = input.deviceName ?? nameFromUserAgent(event.headers['user-agent']);
  const { userConfirmationNecessary } = await directory.confirm(principal, {
    deviceKey: input.deviceKey,
    deviceName,
    verifier: input.deviceSecretVerifierConfig,
  });
  const named = { deviceKey: input.deviceKey, deviceName: displayName(deviceName ?? null) };
  // Remembered at confirmation (an `always` pool): its trust starts now. Should that fail, the check after the
  // sign-in, or the next list, starts it.
  if (!userConfirmationNecessary && trust) {
    await trust.record(principal, { ...named, lastModifiedAt: null }).catch((error: unknown) => {
      log.warn('trust schedule not made at confirmation; the check after sign-in will make it', { error });
    });
  }
  return {
    status: 201,
    headers: { Location: `/devices/${encodeURIComponent(input.deviceKey)}` },
    body: { deviceKey: input.deviceKey, userConfirmationNecessary },
    // Without a prompt to answer, Cognito remembered it at confirmation (an `always` pool).
    changes: [
      { type: 'Device confirmed', ...named },
      ...(userConfirmationNecessary ? [] : [{ type: 'Device remembered' as const, ...named }]),
    ],
  };
};
