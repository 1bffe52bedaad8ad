import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { DEVICE_EVENT_VERSION, type EventPublisher } from '../events/device-event.js';
import type { Log } from '../http/logger.js';

/**
 * Cognito's post-authentication trigger: "a new device signed in to your account". Cognito sets
 * `request.newDeviceUsed` when the user signed in on a device it did not know (pools that remember devices:
 * Always or User opt-in; Developer Guide, "Post authentication Lambda trigger"), and this publishes a
 * `New device sign-in` event for it. The event names the user (`sub`) and the app client; Cognito gives the trigger
 * no device key, IP address or user agent, so those are null.
 *
 * A trigger that fails or does not answer in 5 seconds fails the sign-in, so this one never throws and stops
 * waiting after `budgetMs`: the event is lost, not the sign-in (the publisher logs and counts a failure).
 */
export function makePostAuthentication(deps: {
  readonly events: EventPublisher | undefined;
  readonly log: Log;
  readonly budgetMs: number;
  readonly now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return async (event: PostAuthenticationTriggerEvent): Promise<PostAuthenticationTriggerEvent> => {
    try {
      const sub = event.request.userAttributes.sub;
      if (deps.events && event.request.newDeviceUsed && sub) {
        const published = deps.events.publish([
          {
            type: 'New device sign-in',
            detail: {
              version: DEVICE_EVENT_VERSION,
              sub,
              clientId: event.callerContext.clientId || null,
              deviceKey: null,
              deviceName: null,
              sourceIp: null,
              userAgent: null,
              time: new Date(now()).toISOString(),
            },
          },
        ]);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), deps.budgetMs);
        });
        const outcome = await Promise.race([published.then(() => 'done' as const), late]);
        clearTimeout(timer);
        if (outcome === 'late') deps.log.error('new device sign-in event not published in time', { sub });
      }
    } catch (error) {
      deps.log.error('post-authentication trigger failed; the sign-in goes on', { error });
    }
    return event;
  };
}
