import {
  checkPasswordPolicy,
  checkSecretHash,
  epochSeconds,
  findClient,
  findPool,
  type Input,
  type OperationContext,
  randomString,
  requireString,
  setPassword,
  toAttributeList,
  toAttributeMap,
} from '../context.js';
import { CognitoError, invalidParameter, notAuthorized } from '../errors.js';
import type { PoolRecord, UserRecord } from '../state.js';
import { verifyAccessToken } from '../tokens.js';
import { findUser, nameNewUser } from '../usernames.js';

/** A new user, named as the pool's sign-in settings say (see usernames.ts). */
function newUser(
  pool: PoolRecord,
  requested: string,
  attributes: Record<string, string>,
  now: number,
  forceAlias = false,
): UserRecord {
  const name = nameNewUser(pool, requested, attributes, forceAlias);
  const user: UserRecord = {
    username: name.username,
    sub: name.sub,
    attributes: name.attributes,
    enabled: true,
    status: 'UNCONFIRMED',
    createdAt: now,
    lastModifiedAt: now,
    devices: {},
    sessions: {},
  };
  pool.users[user.username] = user;
  return user;
}

const userType = (user: UserRecord) => ({
  Username: user.username,
  Attributes: toAttributeList(user.attributes),
  UserCreateDate: epochSeconds(user.createdAt),
  UserLastModifiedDate: epochSeconds(user.lastModifiedAt),
  Enabled: user.enabled,
  UserStatus: user.status,
});

const mfaSettings = (user: UserRecord) =>
  user.totp?.enabled
    ? {
        UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
        ...(user.totp.preferred && { PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA' }),
      }
    : { UserMFASettingList: [] };

export function AdminCreateUser(input: Input, ctx: OperationContext) {
  const pool = findPool(ctx, input.UserPoolId);
  const password: string = input.TemporaryPassword ?? `${randomString(12)}a1A!`;
  checkPasswordPolicy(pool, password);
  const user = newUser(
    pool,
    input.Username,
    toAttributeMap(input.UserAttributes),
    ctx.now(),
    input.ForceAliasCreation === true,
  );
  setPassword(pool, user, password);
  user.status = 'FORCE_CHANGE_PASSWORD';
  return { User: userType(user) };
}

export function AdminSetUserPassword(input: Input, ctx: OperationContext) {
  const pool = findPool(ctx, input.UserPoolId);
  const user = findUser(pool, input.Username);
  checkPasswordPolicy(pool, input.Password);
  setPassword(pool, user, input.Password);
  user.status = input.Permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  user.lastModifiedAt = ctx.now();
  return {};
}

export function AdminGetUser(input: Input, ctx: OperationContext) {
  const user = findUser(findPool(ctx, input.UserPoolId), input.Username);
  const { Attributes, ...rest } = userType(user);
  return { ...rest, UserAttributes: Attributes, ...mfaSettings(user) };
}

export function SignUp(input: Input, ctx: OperationContext) {
  const { pool, client } = findClient(ctx, input.ClientId);
  checkSecretHash(client, input.Username, input.SecretHash);
  const password = requireString(input.Password, 'Password');
  checkPasswordPolicy(pool, password);
  const attributes = toAttributeMap(input.UserAttributes);
  // Nobody proves their own email by saying so: a verified email or phone number would be an alias, taken from
  // whoever really holds it. Which exception Cognito answers is not recorded; this one is ours.
  const claimed = Object.keys(attributes).filter((name) => name.endsWith('_verified'));
  if (claimed.length > 0) throw invalidParameter(`A client cannot set ${claimed.join(', ')} at sign-up.`);
  const user = newUser(pool, input.Username, attributes, ctx.now());
  setPassword(pool, user, password);
  return { UserConfirmed: false, UserSub: user.sub };
}

export function AdminConfirmSignUp(input: Input, ctx: OperationContext) {
  const user = findUser(findPool(ctx, input.UserPoolId), input.Username);
  if (user.status !== 'UNCONFIRMED') {
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  user.status = 'CONFIRMED';
  user.lastModifiedAt = ctx.now();
  return {};
}

export function GetUser(input: Input, ctx: OperationContext) {
  const { user } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  return {
    Username: user.username,
    UserAttributes: toAttributeList(user.attributes),
    UserMFASettingList: [],
  };
}

/** Ends every sign-in of the user: their access and refresh tokens stop working at once. */
export function GlobalSignOut(input: Input, ctx: OperationContext) {
  const { user } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  user.sessions = {};
  return {};
}

/** Revokes the refresh token's sign-in and every access token minted from it. Unknown tokens succeed (RFC 7009). */
export function RevokeToken(input: Input, ctx: OperationContext) {
  const { pool, client } = findClient(ctx, input.ClientId);
  // Only refresh tokens can be revoked; a JWT (access or ID token) here is a client mistake worth telling.
  if (/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(input.Token)) {
    throw new CognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  }
  if (!client.enableTokenRevocation) {
    throw new CognitoError(
      'UnsupportedOperationException',
      'Token revocation is not enabled for this client.',
    );
  }
  if (client.clientSecret && input.ClientSecret !== client.clientSecret) {
    throw new CognitoError('UnauthorizedException', 'Invalid client secret.');
  }
  for (const user of Object.values(pool.users)) {
    for (const session of Object.values(user.sessions)) {
      if (session.refreshToken !== input.Token) continue;
      if (session.clientId !== client.clientId) {
        throw new CognitoError('UnauthorizedException', 'The token was not issued to this client.');
      }
      delete user.sessions[session.originJti];
    }
  }
  return {};
}
