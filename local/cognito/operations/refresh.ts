import { findClient, type Input, type OperationContext, requireString } from '../context.js';
import { CognitoError, notAuthorized } from '../errors.js';
import type { ClientRecord, PoolRecord, SessionRecord, UserRecord } from '../state.js';
import { mintTokens, newRefreshToken } from '../tokens.js';

/**
 * Token refresh, by both of Cognito's routes: InitiateAuth `REFRESH_TOKEN_AUTH` and GetTokensFromRefreshToken
 * (the only one on an app client that rotates refresh tokens). Sources are cited in local/cognito/README.md.
 */

/** Real Cognito's text for a refused refresh token, with its period (aws-amplify/aws-sdk-ios #2354). */
export const INVALID_REFRESH_TOKEN = 'Invalid Refresh Token.';
/** Rotated-out refresh tokens remembered per sign-in (enough for any retry pattern within a grace period). */
const ROTATED_OUT_KEPT = 10;

const rotates = (client: ClientRecord) => client.refreshTokenRotation?.Feature === 'ENABLED';

interface Found {
  user: UserRecord;
  session: SessionRecord;
  /** Set when the token is one rotation replaced: until when it is still accepted. */
  graceUntil?: number;
}

function findSession(pool: PoolRecord, token: string): Found | undefined {
  for (const user of Object.values(pool.users)) {
    for (const session of Object.values(user.sessions)) {
      if (session.refreshToken === token) return { user, session };
      const old = session.rotatedOut?.find((r) => r.token === token);
      if (old) return { user, session, graceUntil: old.graceUntil };
    }
  }
  return undefined;
}

/**
 * The checks every refresh makes, in order, and new tokens. With device tracking the sign-in is bound to its
 * device: a device never confirmed (Cognito "will not let the refresh token refresh", aws-amplify/amplify-android
 * #2506; AWS Knowledge Center "cognito-invalid-refresh-token-error"), a forgotten device, or a missing or
 * different device key are all "Invalid Refresh Token.".
 */
function refresh(
  pool: PoolRecord,
  client: ClientRecord,
  request: { token: string; deviceKey: string | undefined; checkSecret: (username: string) => void },
  ctx: OperationContext,
) {
  const now = ctx.now();
  const found = findSession(pool, request.token);
  if (!found || found.session.clientId !== client.clientId) throw notAuthorized(INVALID_REFRESH_TOKEN);
  const { user, session } = found;
  request.checkSecret(user.username);
  if (found.graceUntil !== undefined && found.graceUntil <= now) {
    // Rotated out and past its grace period. What else real Cognito does is not recorded; the stand-in ends the
    // whole sign-in, as OAuth's refresh-token reuse detection does, so an app must cope with signing in again.
    delete user.sessions[session.originJti];
    throw new CognitoError('RefreshTokenReuseException', 'Refresh token has been rotated out and reused.');
  }
  if (session.expiresAt <= now) throw notAuthorized('Refresh Token has expired');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (pool.deviceConfiguration && session.deviceKey) {
    const device = user.devices[session.deviceKey];
    const bound = !session.deviceForgotten && device?.confirmed === true;
    if (!bound || request.deviceKey !== session.deviceKey) throw notAuthorized(INVALID_REFRESH_TOKEN);
  } else if (request.deviceKey !== undefined && request.deviceKey !== session.deviceKey) {
    throw notAuthorized(INVALID_REFRESH_TOKEN);
  }
  const tokens = mintTokens(pool, client, user, session, now, false);
  if (!rotates(client)) return { ...tokens };
  // Rotation: a new refresh token for the rest of the original's lifetime; the old one works for the grace period.
  const graceMs = (client.refreshTokenRotation?.RetryGracePeriodSeconds ?? 0) * 1000;
  session.rotatedOut = [
    ...(session.rotatedOut ?? []).filter((r) => r.token !== request.token),
    {
      token: request.token,
      graceUntil: Math.min(found.graceUntil ?? Number.POSITIVE_INFINITY, now + graceMs),
    },
  ].slice(-ROTATED_OUT_KEPT);
  if (found.graceUntil === undefined) session.refreshToken = newRefreshToken();
  return { ...tokens, RefreshToken: session.refreshToken };
}

/**
 * InitiateAuth / AdminInitiateAuth `REFRESH_TOKEN_AUTH`. An app client that rotates refresh tokens cannot use it
 * (Developer Guide, "Refresh tokens": "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh
 * token rotation enabled"); such a client has no ALLOW_REFRESH_TOKEN_AUTH, so the flow is refused as not enabled.
 */
export function refreshTokenAuth(
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
  ctx: OperationContext,
  checkSecretHash: (username: string) => void,
) {
  const token = requireString(params.REFRESH_TOKEN, 'REFRESH_TOKEN');
  const tokens = refresh(
    pool,
    client,
    { token, deviceKey: params.DEVICE_KEY, checkSecret: checkSecretHash },
    ctx,
  );
  return { ChallengeParameters: {}, AuthenticationResult: tokens };
}

/**
 * GetTokensFromRefreshToken: works on every app client; returns a new refresh token only where the client rotates
 * them (API reference). `DeviceKey` is required where the pool tracks devices ("You must provide the confirmed
 * device key in this request if device remembering is enabled in your user pool").
 */
export function GetTokensFromRefreshToken(input: Input, ctx: OperationContext) {
  const { pool, client } = findClient(ctx, input.ClientId);
  const checkSecret = () => {
    if (client.clientSecret && input.ClientSecret !== client.clientSecret) {
      throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
    }
  };
  const tokens = refresh(
    pool,
    client,
    { token: requireString(input.RefreshToken, 'RefreshToken'), deviceKey: input.DeviceKey, checkSecret },
    ctx,
  );
  return { AuthenticationResult: tokens };
}
