import type { Action } from '../../http/route-handler.js';
import { retire, trustOnRead } from '../../trust/on-request.js';
import { parseInput } from '../../validation.js';
import type { Cursors } from '../cursor.js';
import { asSeenBy } from '../device-view.js';
import type { DeviceVisibility } from '../directory.js';
import { ListDevicesQuery } from '../schemas.js';

/**
 * Cognito documents no default for ListDevices' `Limit` (0..60), so the BFF always sends one: a page is never
 * smaller than the app asked for, or than 60, whatever the service's default is.
 */
export const DEFAULT_PAGE_SIZE = 60;

/**
 * @param view which devices the stage lists, bound into every cursor with the caller. With `rememberFor`, a device
 *   found past its trust is retired, not listed (functions/trust/on-request.ts).
 */
export function makeListDevices(cursors: Cursors, view: DeviceVisibility): Action {
  return async ({ event, principal, directory, trust, log }) => {
    const query = parseInput(ListDevicesQuery, event.queryStringParameters ?? {}, 'query');
    const binding = { sub: principal.sub, view };
    const page = await directory.list(principal, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      pageToken: query.cursor === undefined ? undefined : await cursors.open(query.cursor, binding),
    });
    const seen = await trustOnRead(trust, principal, page.devices, log);
    const { changes, retired } = await retire(trust, principal, directory, seen.ended, log);
    return {
      status: 200,
      body: {
        devices: page.devices
          .filter((device) => !retired.has(device.deviceKey))
          .map((device) =>
            asSeenBy(device, principal.deviceKey, {
              endsAt: seen.ends.get(device.deviceKey),
              unknown: seen.unavailable,
            }),
          ),
        nextCursor: page.nextPageToken === null ? null : await cursors.seal(page.nextPageToken, binding),
      },
      changes,
    };
  };
}
