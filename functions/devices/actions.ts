import type { Action } from '../http/route-handler.js';
import { parseInput } from '../validation.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { deviceNameFromUserAgent } from './device-name.js';
import { ConfirmDeviceBody, DeviceKeyPath, ListDevicesQuery, UpdateDeviceStatusBody } from './schemas.js';

/** The use cases behind each route: validate input at the edge, call the directory, shape the reply. */

export const confirmDevice: Action = async ({ event, body, principal, directory }) => {
  const input = parseInput(ConfirmDeviceBody, body, 'body');
  const deviceName = input.deviceName ?? deviceNameFromUserAgent(event.headers['user-agent']);
  const { userConfirmationNecessary } = await directory.confirm(principal.accessToken, {
    deviceKey: input.deviceKey,
    deviceName,
    verifier: input.deviceSecretVerifierConfig,
  });
  return {
    status: 201,
    headers: { Location: `/devices/${encodeURIComponent(input.deviceKey)}` },
    body: { deviceKey: input.deviceKey, userConfirmationNecessary },
  };
};

export const updateDeviceStatus: Action = async ({ event, body, principal, directory }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  const { status } = parseInput(UpdateDeviceStatusBody, body, 'body');
  await directory.setStatus(principal.accessToken, deviceKey, status);
  return { status: 200, body: { deviceKey, status } };
};

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

export const getDevice: Action = async ({ event, principal, directory }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  return { status: 200, body: await directory.get(principal.accessToken, deviceKey) };
};

export const forgetDevice: Action = async ({ event, principal, directory }) => {
  const { deviceKey } = parseInput(DeviceKeyPath, event.pathParameters ?? {}, 'path');
  await directory.forget(principal.accessToken, deviceKey);
  return { status: 204 };
};
