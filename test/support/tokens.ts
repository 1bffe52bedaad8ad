import { createHmac, createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';

export const POOL_ID = 'eu-west-1_TestPool1';
export const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`;
export const CLIENT_ID = 'mobileclient0000000000000a';
export const OTHER_CLIENT_ID = 'otherclient00000000000000b';
export const ADMIN_SCOPE = 'aws.cognito.signin.user.admin';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: { kid: string; alg: 'RS256'; use: 'sig'; kty: 'RSA'; n: string; e: string };
}

export function createSigningKey(kid = `kid-${randomUUID()}`): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (!n || !e) throw new Error('RSA export failed');
  return { kid, privateKey, publicKey, jwk: { kid, alg: 'RS256', use: 'sig', kty: 'RSA', n, e } };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a Cognito access token for a user signed in with `CLIENT_ID`, valid for an hour. */
export function accessClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: 'a1b2c3d4-0000-4000-8000-000000000001',
    iss: ISSUER,
    client_id: CLIENT_ID,
    origin_jti: randomUUID(),
    event_id: randomUUID(),
    token_use: 'access',
    scope: ADMIN_SCOPE,
    auth_time: now,
    exp: now + 3600,
    iat: now,
    jti: randomUUID(),
    username: 'alice',
    ...overrides,
  };
}

export function signRs256(
  key: SigningKey,
  payload: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const signingInput = `${b64url({ alg: 'RS256', kid: key.kid, ...header })}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.privateKey, 'base64url');
  return `${signingInput}.${signature}`;
}

/** The classic key-confusion attack: HS256 with the RSA public key (PEM) as the HMAC secret. */
export function signHs256WithPublicKey(key: SigningKey, payload: Record<string, unknown>): string {
  const signingInput = `${b64url({ alg: 'HS256', kid: key.kid })}.${b64url(payload)}`;
  const pem = key.publicKey.export({ format: 'pem', type: 'spki' });
  return `${signingInput}.${createHmac('sha256', pem).update(signingInput).digest('base64url')}`;
}

export function unsignedToken(key: SigningKey, payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', kid: key.kid })}.${b64url(payload)}.`;
}
