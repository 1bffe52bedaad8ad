import type { Log } from '../http/logger.js';
import type { TrustCheckInput } from './checks.js';
import type { TrustSchedules } from './schedules.js';

/**
 * After a sign-in: every remembered device of the user that has no trust schedule gets one, ending `rememberFor`
 * from now (when it was first seen remembered). The devices come from AdminListDevices (every device, remembered or
 * not, of this one user); the function may list devices and make trust schedules, nothing else.
 */
export function makeTrustCheck(deps: {
  readonly rememberedDevices: (
    input: TrustCheckInput,
  ) => Promise<Array<{ deviceKey: string; deviceName: string | null }>>;
  readonly trust: TrustSchedules;
  readonly log: Log;
}) {
  return async (input: TrustCheckInput): Promise<void> => {
    const owner = { sub: input.sub, username: input.username, userPoolId: input.userPoolId };
    const remembered = await deps.rememberedDevices(input);
    if (remembered.length === 0) return;
    const ends = await deps.trust.endsAt(
      owner,
      remembered.map((d) => d.deviceKey),
    );
    const untracked = remembered.filter((d) => !ends.has(d.deviceKey));
    for (const device of untracked) await deps.trust.remember(owner, device);
    deps.log.info('trust checked', {
      sub: input.sub,
      remembered: remembered.length,
      started: untracked.length,
    });
  };
}
