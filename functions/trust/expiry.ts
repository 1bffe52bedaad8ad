import { DEVICE_EVENT_VERSION, type EventPublisher } from '../events/device-event.js';
import type { Log } from '../http/logger.js';
import type { TrustExpiryInput } from './schedules.js';

/**
 * A remembered device's trust has ended: it goes back to `not_remembered` (AdminUpdateDeviceStatus, the function's
 * one Cognito permission), so its next sign-in is asked for MFA, and `Device trust expired` is published. A device
 * forgotten meanwhile is done with. Any other failure is thrown, so the scheduler tries again (its retry policy).
 */
export function makeTrustExpiry(deps: {
  readonly notRemembered: (input: TrustExpiryInput) => Promise<'done' | 'gone'>;
  readonly events: EventPublisher | undefined;
  readonly log: Log;
  readonly now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return async (input: TrustExpiryInput): Promise<void> => {
    const outcome = await deps.notRemembered(input);
    deps.log.info('trust expired', { sub: input.sub, outcome });
    if (outcome === 'gone') return;
    await deps.events?.publish([
      {
        type: 'Device trust expired',
        detail: {
          version: DEVICE_EVENT_VERSION,
          sub: input.sub,
          clientId: null,
          deviceKey: input.deviceKey,
          deviceName: input.deviceName,
          sourceIp: null,
          userAgent: null,
          time: new Date(now()).toISOString(),
        },
      },
    ]);
  };
}
