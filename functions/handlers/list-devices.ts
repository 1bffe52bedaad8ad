import { required } from '../config.js';
import { makeListDevices } from '../devices/actions/list-devices.js';
import { createCursors } from '../devices/cursor.js';
import { createRouteHandler } from '../http/route-handler.js';
import { routes } from '../routes.js';
import { runtime } from '../runtime.js';
import { readSecretViaExtension } from '../secrets/extension.js';

const deps = await runtime;
const cursorKey = readSecretViaExtension(
  deps.config,
  required(deps.config.cursorKeySecretId, 'CURSOR_KEY_SECRET_ID'),
);
export const handler = createRouteHandler(
  routes.listDevices,
  makeListDevices(createCursors(cursorKey), deps.config.deviceVisibility),
  deps,
);
