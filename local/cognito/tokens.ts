import {
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { notAuthorized } from './errors.js';
import type { ClientRecord, PoolRecord, SessionRecord, SigningKeyRecord, UserRecord } from './state.js';

export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

/**
 * The `iss` of the pool's tokens: `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or, once the pool's
 * `IssuerConfiguration` is `UPDATED`, `https://issuer-cognito-idp.<region>.amazonaws.com/<poolId>` (IssuerConfigurationType,
 * API reference: "Recommended for all user pools").
 */
export const issuerOf = (pool: PoolRecord) =>
  (pool.settings.IssuerConfiguration as { Type?: string } | undefined)?.Type === 'UPDATED'
    ? updatedIssuer(pool)
    : originalIssuer(pool);
const originalIssuer = (pool: PoolRecord) => `https://cognito-idp.${pool.region}.amazonaws.com/${pool.id}`;
const updatedIssuer = (pool: PoolRecord) =>
  `https://issuer-cognito-idp.${pool.region}.amazonaws.com/${pool.id}`;

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Parsed keys by kid: PEM parsing costs more than an RSA signature. */
const keyObjects = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();
function keysOf(key: SigningKeyRecord) {
  let keys = keyObjects.get(key.kid);
  if (!keys) {
    keys = {
      privateKey: createPrivateKey(key.privateKeyPem),
      publicKey: createPublicKey({ key: key.jwk, format: 'jwk' }),
    };
    keyObjects.set(key.kid, keys);
  }
  return keys;
}

function sign(key: SigningKeyRecord, payload: Record<string, unknown>): string {
  const { privateKey } = keysOf(key);
  const input = `${b64json({ kid: key.kid, alg: 'RS256' })}.${b64json(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url')}`;
}

/** Seconds a token lives for, from the client's validity and its unit. */
function seconds(amount: number, unit: string): number {
  return amount * ({ seconds: 1, minutes: 60, hours: 3600, days: 86400 }[unit] ?? 3600);
}

export interface IssuedTokens {
  AccessToken: string;
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
}

/** Mints access and ID tokens for a session, with the claims Cognito puts in them. */
export function mintTokens(
  pool: PoolRecord,
  client: ClientRecord,
  user: UserRecord,
  session: SessionRecord,
  now: number,
  withRefreshToken: boolean,
): IssuedTokens {
  const iat = Math.floor(now / 1000);
  const accessLifetime = seconds(client.accessTokenValidity, client.tokenValidityUnits.AccessToken);
  const idLifetime = seconds(client.idTokenValidity, client.tokenValidityUnits.IdToken);
  const eventId = randomUUID();
  const common = {
    sub: user.sub,
    iss: issuerOf(pool),
    origin_jti: session.originJti,
    event_id: eventId,
    auth_time: session.authTime,
  };
  const access = {
    ...common,
    ...(session.deviceKey && { device_key: session.deviceKey }),
    client_id: client.clientId,
    token_use: 'access',
    scope: ADMIN_SCOPE,
    iat,
    exp: iat + accessLifetime,
    jti: randomUUID(),
    username: user.username,
  };
  const id = {
    ...common,
    ...Object.fromEntries(Object.entries(user.attributes).filter(([name]) => name !== 'sub')),
    ...(user.attributes.email_verified !== undefined && {
      email_verified: user.attributes.email_verified === 'true',
    }),
    aud: client.clientId,
    token_use: 'id',
    'cognito:username': user.username,
    iat,
    exp: iat + idLifetime,
    jti: randomUUID(),
  };
  return {
    AccessToken: sign(pool.signingKey, access),
    IdToken: sign(pool.idSigningKey, id),
    ...(withRefreshToken && { RefreshToken: session.refreshToken }),
    ExpiresIn: accessLifetime,
    TokenType: 'Bearer',
  };
}

export function refreshLifetimeMs(client: ClientRecord): number {
  return seconds(client.refreshTokenValidity, client.tokenValidityUnits.RefreshToken) * 1000;
}

/** Opaque, JWT-alphabet refresh token (Cognito's are encrypted JWTs; clients must not look inside). */
export function newRefreshToken(): string {
  return `${randomBytes(24).toString('base64url')}.${randomBytes(96).toString('base64url')}`;
}

export interface AccessContext {
  pool: PoolRecord;
  user: UserRecord;
  session: SessionRecord;
  claims: Record<string, unknown>;
}

const INVALID = 'Invalid Access Token';

/**
 * Tokens whose signature already verified, with their claims. RSA verification is most of the stand-in's
 * work per call; expiry and revocation are still checked on every call. Bounded: oldest entries go first.
 */
const verifiedTokens = new Map<string, { poolId: string; kid: string; claims: Record<string, unknown> }>();
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Checks an access token the way Cognito does for the self-service APIs: RS256 signature by the pool's
 * key, issuer, expiry, `token_use`, the admin scope, and that its sign-in (`origin_jti`) was not revoked.
 * Every failure is NotAuthorizedException.
 */
export function verifyAccessToken(
  pools: Record<string, PoolRecord>,
  token: string,
  now: number,
): AccessContext {
  const cached = verifiedTokens.get(token);
  const pool = cached ? pools[cached.poolId] : undefined;
  // A cached signature counts only while the pool still exists and still signs with the same key.
  const verified =
    cached && pool?.signingKey.kid === cached.kid
      ? { pool, claims: cached.claims }
      : verifySignature(pools, token);
  return checkClaims(verified.pool, verified.claims, now);
}

function verifySignature(
  pools: Record<string, PoolRecord>,
  token: string,
): { pool: PoolRecord; claims: Record<string, unknown> } {
  const [headerPart, payloadPart, signaturePart, extra] = token.split('.');
  if (!headerPart || !payloadPart || !signaturePart || extra !== undefined) throw notAuthorized(INVALID);
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    throw notAuthorized(INVALID);
  }
  const poolId = typeof claims.iss === 'string' ? claims.iss.split('/').pop() : undefined;
  const pool = poolId === undefined ? undefined : pools[poolId];
  if (
    !pool ||
    // Tokens issued before the pool's issuer was updated are still the pool's until they expire (ours: no record).
    (claims.iss !== originalIssuer(pool) && claims.iss !== updatedIssuer(pool)) ||
    header.alg !== 'RS256' ||
    header.kid !== pool.signingKey.kid
  ) {
    throw notAuthorized(INVALID);
  }
  const verifier = createVerify('RSA-SHA256').update(`${headerPart}.${payloadPart}`);
  if (!verifier.verify(keysOf(pool.signingKey).publicKey, Buffer.from(signaturePart, 'base64url'))) {
    throw notAuthorized(INVALID);
  }
  if (verifiedTokens.size >= VERIFIED_CACHE_SIZE)
    verifiedTokens.delete(verifiedTokens.keys().next().value as string);
  verifiedTokens.set(token, { poolId: pool.id, kid: pool.signingKey.kid, claims });
  return { pool, claims };
}

/** Expiry, use, scope and revocation: checked on every call, cached signature or not. */
function checkClaims(pool: PoolRecord, claims: Record<string, unknown>, now: number): AccessContext {
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now)
    throw notAuthorized('Access Token has expired');
  if (claims.token_use !== 'access') throw notAuthorized(INVALID);
  // Real Cognito's wording for a token without the admin scope (aws-amplify/aws-sdk-android #1813,
  // aws-amplify/amplify-js #1906: an OAuth token calling a user operation).
  if (typeof claims.scope !== 'string' || !claims.scope.split(' ').includes(ADMIN_SCOPE)) {
    throw notAuthorized('Access Token does not have required scopes');
  }
  const user = Object.values(pool.users).find((u) => u.sub === claims.sub);
  const session =
    user && typeof claims.origin_jti === 'string' ? user.sessions[claims.origin_jti] : undefined;
  if (!user || !session) throw notAuthorized('Access Token has been revoked');
  if (!user.enabled) throw notAuthorized('User is disabled.');
  return { pool, user, session, claims };
}
