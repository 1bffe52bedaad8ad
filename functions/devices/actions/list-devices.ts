import type { Action } from '../../http/route-handler.js';
import { parseInput } from '../../validation.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { ListDevicesQuery } from '../schemas.js';

export const listDevices: Action = async ({ event, principal, directory }) => {
  const query = parseInput(ListDevicesQuery, event.queryStringParameters ?? {}, 'query');
  const page = await directory.list(principal.accessToken, {
    limit: query.limit,
    pageToken: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
  });
  return {
    status: 200,
    body: {
      devices: page.devices,
      nextCursor: page.nextPageToken === null ? null : encodeCursor(page.nextPageToken),
    },
  };
};
