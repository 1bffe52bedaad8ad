import { NotFoundError, TooManyRequestsError } from '../../errors.js';
import type { Action } from '../../http/route-handler.js';
import { endTrust } from '../../trust/on-request.js';
import type { DeviceStatus } from '../device.js';
import type { DeviceDirectory, DeviceOwner } from '../directory.js';
import { displayName } from '../names/display-name.js';

/**
 * What one call may cost Cognito, whatever the user has (docs/reliability.md, "forget-others", has the worst
 * case these give with the route's throttle and the function's reserved concurrency, measured by
 * `npm run bench:amplification`).
 */
export interface ForgetOthersLimits {
  /** ForgetDevice calls per second: one call's pace. */
  readonly ratePerSecond: number;
  /** Devices forgotten per call at most; the app calls again until `complete`. */
  readonly maxForgets: number;
  /** Pages (of 60) listed per call at most to find them. */
  readonly maxPages: number;
  /** Time one call may take, Cognito calls included, far inside the function's timeout. */
  readonly budgetMs: number;
}

export const FORGET_OTHERS_LIMITS: ForgetOthersLimits = {
  ratePerSecond: 3,
  maxForgets: 10,
  maxPages: 3,
  budgetMs: 4_000,
};

const PAGE = 60;
/** Time kept for the final check of what remains (one page). */
const CHECK_RESERVE_MS = 600;
/** Time kept, after the last Cognito call, to build and send the answer before the budget (or Middy's 504) ends. */
const ANSWER_MS = 50;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

interface Listed {
  readonly others: Array<{ deviceKey: string; status: DeviceStatus | null; name: string | null }>;
  /** The last page was read: no device of the user is missing from `others`. */
  readonly whole: boolean;
}

/** The caller, with a signal that also fires `ms` from now: a Cognito call made for it stops then. */
function within(principal: DeviceOwner, signal: AbortSignal, ms: number) {
  const deadline = AbortSignal.timeout(Math.max(1, Math.floor(ms)));
  return {
    owner: { ...principal, signal: AbortSignal.any([signal, deadline]) },
    expired: () => deadline.aborted,
  };
}

/**
 * The other devices, up to `wanted`, listing at most `maxPages` pages and never after `stop()`. A pagination token
 * Cognito repeats ends the listing (it would page forever), as an incomplete one; so does a call stopped at the
 * caller's deadline (`expired`).
 */
async function listOthers(
  directory: DeviceDirectory,
  caller: { owner: DeviceOwner; expired: () => boolean },
  keep: string | undefined,
  limits: { wanted: number; maxPages: number; stop: () => boolean },
): Promise<Listed> {
  const others: Listed['others'] = [];
  const seen = new Set<string>();
  let pageToken: string | undefined;
  for (let pages = 0; pages < limits.maxPages && !limits.stop(); pages++) {
    let page: Awaited<ReturnType<DeviceDirectory['list']>>;
    try {
      page = await directory.list(caller.owner, { limit: PAGE, pageToken });
    } catch (error) {
      if (caller.expired()) break;
      throw error;
    }
    for (const d of page.devices)
      if (d.deviceKey !== keep) others.push({ deviceKey: d.deviceKey, status: d.status, name: d.name });
    if (page.nextPageToken === null) return { others, whole: true };
    if (seen.has(page.nextPageToken)) break;
    seen.add(page.nextPageToken);
    pageToken = page.nextPageToken;
    if (others.length >= limits.wanted) break;
  }
  return { others, whole: false };
}

/**
 * Forget the other devices: forgets the caller's devices except the current one (the verified token's
 * `device_key`; with none, every device is another), at most `maxForgets` per call, paced, within `budgetMs`, and
 * never after the request was answered. Each forgotten device must pass MFA again, and its sign-ins can no longer
 * refresh; it reaches the devices the directory lists (remembered ones, unless the full view is on), so it is not
 * a sign-out of every session (that is GlobalSignOut). Safe to repeat: a device already gone counts as done.
 *
 * The answer says what was done and what is left, from one last page listed at the end: `remaining` counts the
 * other devices on it (more may follow when `complete` is false), and `complete` is true only when that page was
 * the whole list and held none. The app calls again until `complete` (after `Retry-After` when Cognito throttled).
 *
 * The budget holds for the Cognito calls too, not only between them: the search and the forgets stop
 * `CHECK_RESERVE_MS` before it ends (a call still running then is aborted), and the check stops at its end.
 */
export function makeForgetOtherDevices(limits: ForgetOthersLimits = FORGET_OTHERS_LIMITS): Action {
  const interval = 1_000 / limits.ratePerSecond;
  return async ({ principal, directory, remainingMs, signal, trust, log }) => {
    const started = performance.now();
    const left = () => Math.min(limits.budgetMs - (performance.now() - started), remainingMs());
    const stop = () => signal.aborted || left() < CHECK_RESERVE_MS + interval;
    /** The caller, for calls that must end before the final check's reserve. */
    const beforeCheck = () => within(principal, signal, left() - CHECK_RESERVE_MS);
    const keep = principal.deviceKey;
    const { others } = await listOthers(directory, beforeCheck(), keep, {
      wanted: limits.maxForgets,
      maxPages: limits.maxPages,
      stop,
    });
    let forgotten = 0;
    const gone: Array<{ deviceKey: string; deviceName: string | null }> = [];
    let throttled = false;
    let failure: unknown;
    for (const { deviceKey, status, name } of others.slice(0, limits.maxForgets)) {
      if (stop()) break;
      const began = performance.now();
      const caller = beforeCheck();
      try {
        await directory.forget(caller.owner, deviceKey, { status });
        forgotten++;
        gone.push({ deviceKey, deviceName: displayName(name) });
      } catch (error) {
        // Out of time in the middle of it (it may or may not have happened): the next call finds out.
        if (caller.expired()) break;
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
      await sleep(Math.max(0, interval - (performance.now() - began)), signal);
    }
    // Nothing done and a real failure: answer it as the error it is.
    if (failure !== undefined && forgotten === 0) throw failure;
    if (!signal.aborted && left() > CHECK_RESERVE_MS) {
      await endTrust(
        trust,
        principal,
        gone.map((d) => d.deviceKey),
        log,
      );
    }
    const check =
      signal.aborted || left() < CHECK_RESERVE_MS / 2
        ? undefined
        : await listOthers(directory, within(principal, signal, left() - ANSWER_MS), keep, {
            wanted: PAGE,
            maxPages: 1,
            stop: () => signal.aborted,
          });
    const checked = check !== undefined && (check.whole || check.others.length > 0);
    const remaining = checked ? check.others.length : Math.max(0, others.length - forgotten);
    return {
      status: 200,
      ...(throttled && { headers: { 'Retry-After': '1' } }),
      body: {
        forgotten,
        remaining,
        complete: checked && check.whole && remaining === 0,
        keptDeviceKey: keep ?? null,
      },
      changes:
        gone.length > 0
          ? [{ type: 'Other devices forgotten', deviceKey: keep ?? null, deviceName: null, devices: gone }]
          : [],
    };
  };
}
