import { NotFoundError, TooManyRequestsError } from '../../errors.js';
import type { Action } from '../../http/route-handler.js';
import type { DeviceDirectory, DeviceOwner } from '../directory.js';

/**
 * ForgetDevice calls per second for one request: under Cognito's per-user rate (about 10 req/s for user
 * operations) and a fifth of the account's UserResourceUpdate quota (25 req/s), so one user signing out
 * everywhere leaves room for everyone else.
 */
export const FORGET_RATE_PER_SECOND = 5;
/** Time kept for the final count of what remains (one ListDevices per 60 devices). */
const COUNT_RESERVE_MS = 1_500;
const PAGE = 60;

/** Every device key the directory lists for this user (its view), through every page. */
async function listAll(directory: DeviceDirectory, owner: DeviceOwner): Promise<string[]> {
  const keys: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await directory.list(owner, { limit: PAGE, pageToken });
    keys.push(...page.devices.map((d) => d.deviceKey));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken !== undefined);
  return keys;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Forget the other devices: forgets each device of the caller except the current one (the verified token's
 * `device_key`; with none, every device is another), paced under Cognito's quotas and within the function's time.
 * Each forgotten device must pass MFA again, and its sign-ins can no longer refresh; it reaches the devices the
 * directory lists (remembered ones, unless the full view is on), so it is not a sign-out of every session (that
 * is GlobalSignOut). Safe to repeat: a device already gone counts as done. It answers with what it did and what
 * remains, counted again at the end, so it never says "complete" while a device is still there; the app calls
 * again until `complete` (after `Retry-After` when Cognito throttled).
 */
export function makeForgetOtherDevices(ratePerSecond = FORGET_RATE_PER_SECOND): Action {
  const interval = 1_000 / ratePerSecond;
  return async ({ principal, directory, remainingMs }) => {
    const keep = principal.deviceKey;
    const others = (await listAll(directory, principal)).filter((key) => key !== keep);
    let forgotten = 0;
    let throttled = false;
    let failure: unknown;
    for (const key of others) {
      if (remainingMs() < COUNT_RESERVE_MS + interval) break;
      const started = performance.now();
      try {
        await directory.forget(principal, key);
        forgotten++;
      } catch (error) {
        if (error instanceof TooManyRequestsError) {
          throttled = true;
          break;
        }
        // Gone already (forgotten elsewhere, or by an earlier try of this request): nothing left to do.
        if (!(error instanceof NotFoundError)) {
          failure = error;
          break;
        }
      }
      await sleep(Math.max(0, interval - (performance.now() - started)));
    }
    // Nothing done and a real failure: answer it as the error it is.
    if (failure !== undefined && forgotten === 0) throw failure;
    const remaining = (await listAll(directory, principal)).filter((key) => key !== keep).length;
    return {
      status: 200,
      ...(throttled && { headers: { 'Retry-After': '1' } }),
      body: { forgotten, remaining, complete: remaining === 0, keptDeviceKey: keep ?? null },
    };
  };
}
