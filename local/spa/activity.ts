import { createAccessTokenVerifier } from '../../functions/auth/verifier.js';
import type { PublishedEvent } from '../events/server.js';

/** One line of the demo's activity list: what happened, to which device, when. */
export interface ActivityItem {
  readonly type: string;
  readonly deviceName: string | null;
  /** "Other devices forgotten": how many. */
  readonly count?: number;
  readonly time: string;
}

/**
 * The demo's activity list, local only: the device events the stack published for the signed-in user (the bus's
 * stand-in keeps them; in AWS an app would subscribe to the bus and keep its own). The caller proves who they are
 * with their access token, verified as the functions verify it; only their own events come back, newest first, at
 * most `limit`. A new-device sign-in is named after the device confirmed right after it (Cognito's trigger does not
 * say which device signed in).
 */
export function localActivity(options: {
  readonly events: () => readonly PublishedEvent[];
  readonly userPoolId: () => string;
  readonly clientIds: () => string[];
  readonly jwksUri: () => string;
  readonly limit?: number;
}): (authorization: string | undefined) => Promise<ActivityItem[] | undefined> {
  let verifier: ReturnType<typeof createAccessTokenVerifier> | undefined;
  return async (authorization) => {
    const token = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/.exec(authorization ?? '')?.[1];
    if (!token) return undefined;
    verifier ??= createAccessTokenVerifier({
      userPoolId: options.userPoolId(),
      clientIds: options.clientIds(),
      jwksUri: options.jwksUri(),
    });
    let sub: string;
    try {
      sub = (await verifier.verify(token)).sub;
    } catch {
      return undefined;
    }
    const mine = options.events().filter((e) => e.detail.sub === sub);
    const items: ActivityItem[] = [];
    for (const [i, event] of mine.entries()) {
      if (event.detailType === 'Device confirmed') continue;
      const key = event.detail.deviceKey;
      // A passkey's events name the device by key only: its name is the one the user's other events gave it.
      const namedElsewhere = key
        ? mine.find((e) => e.detail.deviceKey === key && typeof e.detail.deviceName === 'string')?.detail
            .deviceName
        : undefined;
      let deviceName =
        (event.detail.deviceName as string | null | undefined) ??
        (typeof namedElsewhere === 'string' ? namedElsewhere : null);
      if (event.detailType === 'New device sign-in') {
        const confirmed = mine
          .slice(i + 1)
          .find(
            (e) =>
              e.detailType === 'Device confirmed' && Date.parse(e.time) - Date.parse(event.time) < 2 * 60_000,
          );
        deviceName = (confirmed?.detail.deviceName as string | null | undefined) ?? null;
      }
      const devices = event.detail.devices as unknown[] | undefined;
      items.push({
        type: event.detailType,
        deviceName,
        ...(devices && { count: devices.length }),
        time: String(event.detail.time),
      });
    }
    return items.reverse().slice(0, options.limit ?? 8);
  };
}
