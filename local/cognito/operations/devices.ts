import {
  epochSeconds,
  findPool,
  findUser,
  type Input,
  type OperationContext,
  requireString,
} from '../context.js';
import { CognitoError, invalidParameter, notAuthorized, resourceNotFound } from '../errors.js';
import type { DeviceRecord, PoolRecord, UserRecord } from '../state.js';
import { verifyAccessToken } from '../tokens.js';

const DEVICE_NOT_FOUND = 'Device does not exist.';

/** Cognito's DeviceType: attributes `device_status`, `device_name`, `dev:device_remembered_status`, `last_ip_used`. */
function deviceType(device: DeviceRecord) {
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    ...(device.name !== undefined ? [{ Name: 'device_name', Value: device.name }] : []),
    { Name: 'dev:device_remembered_status', Value: device.remembered },
    ...(device.lastIp !== undefined ? [{ Name: 'last_ip_used', Value: device.lastIp }] : []),
  ];
  return {
    DeviceKey: device.key,
    DeviceAttributes: attributes,
    DeviceCreateDate: epochSeconds(device.createdAt),
    DeviceLastModifiedDate: epochSeconds(device.lastModifiedAt),
    ...(device.lastAuthenticatedAt !== undefined && {
      DeviceLastAuthenticatedDate: epochSeconds(device.lastAuthenticatedAt),
    }),
  };
}

function requireTracking(pool: PoolRecord): void {
  if (!pool.deviceConfiguration) {
    throw new CognitoError(
      'InvalidUserPoolConfigurationException',
      'Device tracking is not enabled for this user pool.',
    );
  }
}

/** The user as proven by the access token; the token form of each device operation acts as that user only. */
function tokenUser(input: Input, ctx: OperationContext): { pool: PoolRecord; user: UserRecord } {
  if (typeof input.AccessToken !== 'string') throw notAuthorized('Missing access token.');
  const { pool, user } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  requireTracking(pool);
  return { pool, user };
}

function adminUser(input: Input, ctx: OperationContext): { pool: PoolRecord; user: UserRecord } {
  const pool = findPool(ctx, input.UserPoolId);
  requireTracking(pool);
  return { pool, user: findUser(pool, input.Username) };
}

/** A confirmed device of this user; another user's key, an unconfirmed or a forgotten one are all "not found". */
function confirmedDevice(user: UserRecord, key: string): DeviceRecord {
  const device = user.devices[key];
  if (!device?.confirmed) throw resourceNotFound(DEVICE_NOT_FOUND);
  return device;
}

export function ConfirmDevice(input: Input, ctx: OperationContext) {
  const { pool, user } = tokenUser(input, ctx);
  const device = user.devices[input.DeviceKey];
  if (!device) throw resourceNotFound(DEVICE_NOT_FOUND);
  const verifier = input.DeviceSecretVerifierConfig as
    | { PasswordVerifier?: string; Salt?: string }
    | undefined;
  if (verifier && (!verifier.PasswordVerifier || !verifier.Salt)) {
    throw invalidParameter('DeviceSecretVerifierConfig needs both PasswordVerifier and Salt.');
  }
  const replacesSecret =
    verifier !== undefined &&
    device.verifier !== undefined &&
    (verifier.PasswordVerifier !== device.verifier || verifier.Salt !== device.salt);
  if (device.confirmed && replacesSecret) {
    throw new CognitoError('DeviceKeyExistsException', 'Device already confirmed with a different secret.');
  }
  const promptOnly = pool.deviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
  if (!device.confirmed) device.remembered = promptOnly ? 'not_remembered' : 'remembered';
  device.confirmed = true;
  if (input.DeviceName !== undefined) device.name = input.DeviceName;
  if (verifier) {
    device.verifier = verifier.PasswordVerifier;
    device.salt = verifier.Salt;
  }
  device.lastModifiedAt = ctx.now();
  return { UserConfirmationNecessary: promptOnly };
}

function setStatus(user: UserRecord, input: Input, ctx: OperationContext) {
  const device = confirmedDevice(user, input.DeviceKey);
  device.remembered = requireString(
    input.DeviceRememberedStatus,
    'DeviceRememberedStatus',
  ) as DeviceRecord['remembered'];
  device.lastModifiedAt = ctx.now();
  return {};
}

export const UpdateDeviceStatus = (input: Input, ctx: OperationContext) =>
  setStatus(tokenUser(input, ctx).user, input, ctx);
export const AdminUpdateDeviceStatus = (input: Input, ctx: OperationContext) =>
  setStatus(adminUser(input, ctx).user, input, ctx);

export const GetDevice = (input: Input, ctx: OperationContext) => ({
  Device: deviceType(confirmedDevice(tokenUser(input, ctx).user, input.DeviceKey)),
});
export const AdminGetDevice = (input: Input, ctx: OperationContext) => ({
  Device: deviceType(confirmedDevice(adminUser(input, ctx).user, input.DeviceKey)),
});

/** Forgetting a device also ends its sign-ins' ability to refresh (access tokens run until they expire). */
function forget(user: UserRecord, input: Input) {
  confirmedDevice(user, input.DeviceKey);
  delete user.devices[input.DeviceKey];
  for (const session of Object.values(user.sessions)) {
    if (session.deviceKey === input.DeviceKey) session.deviceForgotten = true;
  }
  return {};
}
export const ForgetDevice = (input: Input, ctx: OperationContext) =>
  forget(tokenUser(input, ctx).user, input);
export const AdminForgetDevice = (input: Input, ctx: OperationContext) =>
  forget(adminUser(input, ctx).user, input);

const byAge = (a: { createdAt: number; key: string }, b: { createdAt: number; key: string }) =>
  a.createdAt - b.createdAt || a.key.localeCompare(b.key);

/**
 * Devices oldest first. A page token holds the position (creation time, key) of the last device served,
 * so paging resumes correctly even if that device is forgotten meanwhile. `Limit` 0 or absent means 60.
 */
function list(user: UserRecord, input: Input) {
  const limit = input.Limit ? Number(input.Limit) : 60;
  let devices = Object.values(user.devices)
    .filter((d) => d.confirmed)
    .sort(byAge);
  if (input.PaginationToken !== undefined) {
    const after = parsePageToken(input.PaginationToken);
    devices = devices.filter((d) => byAge(d, after) > 0);
  }
  const page = devices.slice(0, limit);
  const last = page.at(-1);
  return {
    Devices: page.map(deviceType),
    ...(devices.length > limit &&
      last && {
        PaginationToken: Buffer.from(JSON.stringify({ createdAt: last.createdAt, key: last.key })).toString(
          'base64url',
        ),
      }),
  };
}

function parsePageToken(token: string): { createdAt: number; key: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed.createdAt === 'number' && typeof parsed.key === 'string') return parsed;
  } catch {
    // fall through to the same error as a well-formed but wrong token
  }
  throw invalidParameter('Invalid pagination token.');
}

export const ListDevices = (input: Input, ctx: OperationContext) => list(tokenUser(input, ctx).user, input);
export const AdminListDevices = (input: Input, ctx: OperationContext) =>
  list(adminUser(input, ctx).user, input);
