import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import type { Cursors } from '../cursor.js';
import { asSeenBy } from '../device-view.js';
import type { DeviceVisibility } from '../directory.js';
import { ListDevicesQuery } from '../schemas.js';
import { trustEnds } from './trust-ends.js';

/**
 * Cognito documents no default for ListDevices' `Limit` (0..60), so the BFF always sends one: a page is never
 * smaller than the app asked for, or than 60, whatever the service's default is.
 */
export const DEFAULT_PAGE_SIZE = 60;

/** @param view which devices the stage lists, bound into every cursor with the caller */
export function makeListDevices(cursors: Cursors, view: DeviceVisibility): Action {
  return async ({ event, principal, directory, trust, log }) => {
    const query = parseInput(ListDevicesQuery, event.queryStringParameters ?? {}, 'query');
    const binding = { sub: principal.sub, view };
    const page = await directory.list(principal, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      pageToken: query.cursor === undefined ? undefined : await cursors.open(query.cursor, binding),
    });
    const ends = await trustEnds(trust, principal, page.devices, log);
    return {
      status: 200,
      body: {
        devices: page.devices.map((device) =>
          asSeenBy(device, principal.deviceKey, ends.get(device.deviceKey)),
        ),
        nextCursor: page.nextPageToken === null ? null : await cursors.seal(page.nextPageToken, binding),
      },
    };
  };
}
