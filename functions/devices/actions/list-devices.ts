import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { asSeenBy } from '../device-view.js';
import { ListDevicesQuery } from '../schemas.js';

/**
 * Cognito documents no default for ListDevices' `Limit` (0..60), so the BFF always sends one: a page is never
 * smaller than the app asked for, or than 60, whatever the service's default is.
 */
export const DEFAULT_PAGE_SIZE = 60;

export const listDevices: Action = async ({ event, principal, directory }) => {
  const query = parseInput(ListDevicesQuery, event.queryStringParameters ?? {}, 'query');
  const page = await directory.list(principal, {
    limit: query.limit ?? DEFAULT_PAGE_SIZE,
    pageToken: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
  });
  return {
    status: 200,
    body: {
      devices: page.devices.map((device) => asSeenBy(device, principal.deviceKey)),
      nextCursor: page.nextPageToken === null ? null : encodeCursor(page.nextPageToken),
    },
  };
};
