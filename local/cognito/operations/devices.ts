import { epochSeconds, findPool, type Input, type OperationContext, requireString } from '../context.js';
import {
  CognitoError,
  DEVICE_NOT_FOUND,
  invalidParameter,
  notAuthorized,
  resourceNotFound,
} from '../errors.js';
import type { DeviceRecord, PoolRecord, UserRecord } from '../state.js';
import { verifyAccessToken } from '../tokens.js';
import { findUser } from '../usernames.js';

/** ConfirmDevice of a key Cognito did not issue to this user (boto/boto3 #4059; amplify-js #2087, #2705). */
const INVALID_DEVICE_KEY = 'Invalid device key given.';
/** The account id in `dev:device_arn`; the stand-in has no account, so it uses AWS's documentation example. */
const ACCOUNT_ID = '123456789012';

/**
 * Cognito's DeviceType. Attributes in the order of the AWS CLI's `get-device`/`admin-list-devices` examples
 * (`awscli/examples/cognito-idp/list-devices.rst`): `device_status`, `device_name`, `dev:device_arn`,
 * `dev:device_owner`, `last_ip_used`, `dev:device_remembered_status`, `dev:device_sdk`.
 * @param listView a token-authorized ListDevices: the answer recorded in aws-amplify/amplify-js PR #12171
 *   carried `device_status` and `last_ip_used` only (that device had no name), so the `dev:` attributes are
 *   left out there and clients must not depend on them
 */
function deviceType(pool: PoolRecord, user: UserRecord, device: DeviceRecord, listView = false) {
  const owner = `${user.username}.${pool.id}`;
  const attributes = [
    { Name: 'device_status', Value: 'valid' },
    ...(device.name !== undefined ? [{ Name: 'device_name', Value: device.name }] : []),
    {
      Name: 'dev:device_arn',
      Value: `arn:aws:cognito-idp:${pool.region}:${ACCOUNT_ID}:owner/${owner}/device/${device.key}`,
    },
    { Name: 'dev:device_owner', Value: owner },
    ...(device.lastIp !== undefined ? [{ Name: 'last_ip_used', Value: device.lastIp }] : []),
    { Name: 'dev:device_remembered_status', Value: device.remembered },
    { Name: 'dev:device_sdk', Value: 'aws-sdk' },
  ];
  return {
    DeviceKey: device.key,
    DeviceAttributes: listView ? attributes.filter((a) => !a.Name.startsWith('dev:')) : attributes,
    DeviceCreateDate: epochSeconds(device.createdAt),
    DeviceLastModifiedDate: epochSeconds(device.lastModifiedAt),
    // The last sign-in is whole seconds, the other dates keep milliseconds: `list-devices.rst` of the AWS CLI
    // (`1715100742.022`, `1723233651.167`, `1715100742.0`) and the output recorded in amplify-js PR #12171.
    ...(device.lastAuthenticatedAt !== undefined && {
      DeviceLastAuthenticatedDate: Math.floor(device.lastAuthenticatedAt / 1000),
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

/** Who a device operation acts for, and which of that user's devices it can see. */
interface Caller {
  pool: PoolRecord;
  user: UserRecord;
  /**
   * The token-authorized operations see remembered devices only; the admin ones see every confirmed device
   * (aws-amplify/aws-sdk-android `AWSMobileClientTest.testRememberDevice`; amazon-cognito-identity-js PR #199).
   */
  rememberedOnly: boolean;
}

/** The user as proven by the access token; the token form of each device operation acts as that user only. */
function tokenUser(input: Input, ctx: OperationContext): Caller {
  if (typeof input.AccessToken !== 'string') throw notAuthorized('Missing access token.');
  const { pool, user } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  requireTracking(pool);
  return { pool, user, rememberedOnly: true };
}

function adminUser(input: Input, ctx: OperationContext): Caller {
  const pool = findPool(ctx, input.UserPoolId);
  requireTracking(pool);
  return { pool, user: findUser(pool, input.Username), rememberedOnly: false };
}

const visible = (caller: Caller, device: DeviceRecord | undefined): device is DeviceRecord =>
  device?.confirmed === true && (!caller.rememberedOnly || device.remembered === 'remembered');

/** A device this caller can see; another user's key, a pending, forgotten or (token) not-remembered one is not found. */
function visibleDevice(caller: Caller, key: string): DeviceRecord {
  const device = caller.user.devices[key];
  if (!visible(caller, device)) throw resourceNotFound(DEVICE_NOT_FOUND);
  return device;
}

/** A confirmed device of this user, remembered or not; anything else is not found. */
function confirmedDevice(user: UserRecord, key: string): DeviceRecord {
  const device = user.devices[key];
  if (!device?.confirmed) throw resourceNotFound(DEVICE_NOT_FOUND);
  return device;
}

/**
 * Confirms a device issued to this user by a sign-in. A key this user was not issued (invented, another
 * user's, forgotten) is InvalidParameterException "Invalid device key given." (boto/boto3 #4059). Confirming
 * an already confirmed device is refused with DeviceKeyExistsException, as the API reference describes the
 * exception ("a device key that already exists"); no public record shows real Cognito accepting it.
 */
export function ConfirmDevice(input: Input, ctx: OperationContext) {
  const { pool, user } = tokenUser(input, ctx);
  const device = user.devices[input.DeviceKey];
  if (!device) throw invalidParameter(INVALID_DEVICE_KEY);
  const verifier = input.DeviceSecretVerifierConfig as
    | { PasswordVerifier?: string; Salt?: string }
    | undefined;
  if (verifier && (!verifier.PasswordVerifier || !verifier.Salt)) {
    throw invalidParameter('DeviceSecretVerifierConfig needs both PasswordVerifier and Salt.');
  }
  if (device.confirmed) throw new CognitoError('DeviceKeyExistsException', 'Device key already exists.');
  const promptOnly = pool.deviceConfiguration?.DeviceOnlyRememberedOnUserPrompt === true;
  device.remembered = promptOnly ? 'not_remembered' : 'remembered';
  device.confirmed = true;
  if (input.DeviceName !== undefined) device.name = input.DeviceName;
  if (verifier) {
    device.verifier = verifier.PasswordVerifier;
    device.salt = verifier.Salt;
  }
  device.lastModifiedAt = ctx.now();
  return { UserConfirmationNecessary: promptOnly };
}

/** Works on any confirmed device, remembered or not (AWSMobileClientTest.testRememberDevice, second loop). */
function setStatus(caller: Caller, input: Input, ctx: OperationContext) {
  const device = confirmedDevice(caller.user, input.DeviceKey);
  device.remembered = requireString(
    input.DeviceRememberedStatus,
    'DeviceRememberedStatus',
  ) as DeviceRecord['remembered'];
  device.lastModifiedAt = ctx.now();
  return {};
}

export const UpdateDeviceStatus = (input: Input, ctx: OperationContext) =>
  setStatus(tokenUser(input, ctx), input, ctx);
export const AdminUpdateDeviceStatus = (input: Input, ctx: OperationContext) =>
  setStatus(adminUser(input, ctx), input, ctx);

function get(caller: Caller, input: Input) {
  return { Device: deviceType(caller.pool, caller.user, visibleDevice(caller, input.DeviceKey)) };
}
export const GetDevice = (input: Input, ctx: OperationContext) => get(tokenUser(input, ctx), input);
export const AdminGetDevice = (input: Input, ctx: OperationContext) => get(adminUser(input, ctx), input);

/**
 * Forgetting a device also ends its sign-ins' ability to refresh (access tokens run until they expire). The
 * token form forgets what the token form can see: whether real Cognito's ForgetDevice accepts a not-remembered
 * device is recorded nowhere (AWSMobileClientTest.testForgetDevice forgets a remembered one), so the stand-in
 * promises no more than GetDevice does.
 */
function forget(caller: Caller, input: Input) {
  visibleDevice(caller, input.DeviceKey);
  delete caller.user.devices[input.DeviceKey];
  for (const session of Object.values(caller.user.sessions)) {
    if (session.deviceKey === input.DeviceKey) session.deviceForgotten = true;
  }
  return {};
}
export const ForgetDevice = (input: Input, ctx: OperationContext) => forget(tokenUser(input, ctx), input);
export const AdminForgetDevice = (input: Input, ctx: OperationContext) =>
  forget(adminUser(input, ctx), input);

const byAge = (a: { createdAt: number; key: string }, b: { createdAt: number; key: string }) =>
  a.createdAt - b.createdAt || a.key.localeCompare(b.key);

/**
 * Devices oldest first. A page token holds the position (creation time, key) of the last device served,
 * so paging resumes correctly even if that device is forgotten meanwhile. `Limit` 0 or absent means 60.
 */
function list(caller: Caller, input: Input) {
  const limit = input.Limit ? Number(input.Limit) : 60;
  let devices = Object.values(caller.user.devices)
    .filter((d) => visible(caller, d))
    .sort(byAge);
  if (input.PaginationToken !== undefined) {
    const after = parsePageToken(input.PaginationToken);
    devices = devices.filter((d) => byAge(d, after) > 0);
  }
  const page = devices.slice(0, limit);
  const last = page.at(-1);
  return {
    Devices: page.map((d) => deviceType(caller.pool, caller.user, d, caller.rememberedOnly)),
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

export const ListDevices = (input: Input, ctx: OperationContext) => list(tokenUser(input, ctx), input);
export const AdminListDevices = (input: Input, ctx: OperationContext) => list(adminUser(input, ctx), input);
