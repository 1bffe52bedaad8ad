import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { deviceEvent, type EventPublisher } from '../events/device-event.js';
import { createLogger } from '../logging.js';
import type { Log } from '../observability.js';
import { targetRuntime } from '../target-runtime.js';
import type { CheckSchedules } from '../trust/checks.js';
import { trustChecks } from '../trust/settings.js';

/**
 * What the trigger may add to a sign-in, at most, whatever the scheduler does: Cognito waits 5 s for a trigger and
 * fails the sign-in after that; a healthy CreateSchedule answers in tens of milliseconds. (Its event is a line of its
 * log, delivered afterwards: functions/events/event-log.ts.)
 */
export const TRIGGER_BUDGET_MS = 500;

/**
 * Cognito's post-authentication trigger: "a new device signed in to your account". Cognito sets
 * `request.newDeviceUsed` when the user signed in on a device it did not know (pools that remember devices:
 * Always or User opt-in; Developer Guide, "Post authentication Lambda trigger"), and this publishes a
 * `New device sign-in` event for it. The event names the user (`sub`) and the app client; Cognito gives the trigger
 * no device key, IP address or user agent, so those are null.
 *
 * With `rememberFor`, it also schedules a check of the user's devices some minutes later (a device remembered without
 * this API gets its end of trust then). A trigger that fails or does not answer in 5 seconds fails the sign-in, so
 * this one never throws and stops waiting after `budgetMs`: the check is lost, not the sign-in (it is logged).
 */
export function makePostAuthentication(deps: {
  readonly events: EventPublisher | undefined;
  /** With `rememberFor`: the check of the user's devices some minutes after each sign-in. */
  readonly checks?: CheckSchedules | undefined;
  readonly log: Log;
  readonly budgetMs: number;
  readonly now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return async (event: PostAuthenticationTriggerEvent): Promise<PostAuthenticationTriggerEvent> => {
    try {
      const sub = event.request.userAttributes.sub;
      if (!sub) return event;
      const work: Array<Promise<unknown>> = [];
      if (deps.events && event.request.newDeviceUsed) {
        work.push(
          deps.events.publish([
            deviceEvent(
              { type: 'New device sign-in', deviceKey: null, deviceName: null },
              { sub, clientId: event.callerContext.clientId || null, time: new Date(now()).toISOString() },
            ),
          ]),
        );
      }
      // Every sign-in, not only a new device's: a device remembered without this API signs in before it matters.
      if (deps.checks) {
        work.push(
          deps.checks
            .schedule({ sub, username: event.userName }, event.userPoolId)
            .catch((error: unknown) => {
              deps.log.error('trust check not scheduled; the next sign-in or list starts it', { error });
            }),
        );
      }
      if (work.length === 0) return event;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), deps.budgetMs);
      });
      const outcome = await Promise.race([Promise.all(work).then(() => 'done' as const), late]);
      clearTimeout(timer);
      if (outcome === 'late') deps.log.error('post-authentication work not done in time', { sub });
    } catch (error) {
      deps.log.error('post-authentication trigger failed; the sign-in goes on', { error });
    }
    return event;
  };
}

type Trigger = (event: PostAuthenticationTriggerEvent) => Promise<PostAuthenticationTriggerEvent>;

/**
 * The trigger as its function runs it, from its environment. A setting it cannot read is logged and the trigger does
 * nothing, rather than failing at start-up: a trigger that fails fails every sign-in of the pool.
 */
export function postAuthenticationFromEnv(env: Record<string, string | undefined>): Trigger {
  try {
    const { log, events, trust } = targetRuntime(env);
    return makePostAuthentication({
      events,
      checks: trust && trustChecks(trust, TRIGGER_BUDGET_MS),
      log,
      budgetMs: TRIGGER_BUDGET_MS,
    });
  } catch (error) {
    const log = createLogger({ logLevel: 'ERROR' });
    log.error('post-authentication trigger misconfigured: sign-ins go on without its event and trust check', {
      error,
    });
    return async (event) => event;
  }
}
