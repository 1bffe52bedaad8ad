import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { CognitoError, invalidParameter, notAuthorized, resourceNotFound } from './errors.js';
import { createVerifier } from './srp.js';
import type { ClientRecord, PasswordHash, PoolRecord, Store, UserRecord } from './state.js';

/** What every operation gets: the state, the clock, the caller's address and the region it serves. */
export interface OperationContext {
  readonly store: Store;
  readonly now: () => number;
  readonly sourceIp: string;
  readonly region: string;
  /**
   * Set when the operation ended a sign-in with tokens (not a refresh): the server then runs the pool's
   * post-authentication trigger, and undoes the sign-in if the trigger fails, as Cognito answers the sign-in only
   * after it.
   */
  signedIn?: SignedIn;
  /** Hands a message the service would send (an email's one-time code) to whoever reads them locally. */
  readonly deliver: (message: LocalMessage) => void;
}

/**
 * A message the service would send: locally it is kept (`GET /_local/messages`) and printed by `npm start`, so
 * tests and people can read the code.
 */
export interface LocalMessage {
  /** Where it would go: the user's email address. */
  readonly to: string;
  /** Why: `EMAIL_OTP` (a sign-in code). */
  readonly type: string;
  readonly code: string;
  /** When it was sent (ISO 8601). */
  readonly time: string;
}

export interface SignedIn {
  readonly pool: PoolRecord;
  readonly user: UserRecord;
  readonly clientId: string;
  readonly sessionId: string;
  /** The device this sign-in issued, when it was a new one. */
  readonly newDeviceKey: string | undefined;
}

// The stand-in parses JSON 1.1 bodies after validating them against the model, so members are loosely typed.
// biome-ignore lint/suspicious/noExplicitAny: operation inputs are validated against the service model first
export type Input = Record<string, any>;
export type Operation = (input: Input, ctx: OperationContext) => unknown;

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export function randomString(length: number, alphabet = ALPHANUMERIC): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export const epochSeconds = (ms: number) => ms / 1000;

/** What a USER_AUTH sign-in of this pool may start with (`Policies.SignInPolicy.AllowedFirstAuthFactors`). */
export const firstAuthFactors = (pool: PoolRecord): string[] => pool.firstAuthFactors ?? ['PASSWORD'];

export function findPool(ctx: OperationContext, userPoolId: string): PoolRecord {
  const pool = ctx.store.data.pools[userPoolId];
  if (!pool) throw resourceNotFound(`User pool ${userPoolId} does not exist.`);
  return pool;
}

export function findClient(
  ctx: OperationContext,
  clientId: string,
): { pool: PoolRecord; client: ClientRecord } {
  for (const pool of Object.values(ctx.store.data.pools)) {
    const client = Object.hasOwn(pool.clients, clientId) ? pool.clients[clientId] : undefined;
    if (client) return { pool, client };
  }
  throw resourceNotFound(`User pool client ${clientId} does not exist.`);
}

/** `SECRET_HASH` = Base64(HMAC-SHA256(client secret, username + client id)), required when the client has a secret. */
export function checkSecretHash(client: ClientRecord, username: string, secretHash: unknown): void {
  if (!client.clientSecret) return;
  const expected = createHmac('sha256', client.clientSecret)
    .update(username + client.clientId)
    .digest('base64');
  if (secretHash !== expected)
    throw notAuthorized(`Unable to verify secret hash for client ${client.clientId}`);
}

// scrypt with a modest cost: this is a development stand-in that signs in many test users.
const SCRYPT = { N: 1024, r: 8, p: 1 } as const;
export function hashPassword(password: string): PasswordHash {
  const salt = randomBytes(16).toString('base64');
  return { salt, hash: scryptSync(password, salt, 32, SCRYPT).toString('base64') };
}
/** Sets a user's password: a hash for password flows and an SRP verifier for USER_SRP_AUTH. */
export function setPassword(pool: PoolRecord, user: UserRecord, password: string): void {
  user.password = hashPassword(password);
  user.srp = createVerifier(`${poolName(pool)}${user.username}`, password);
}

/** The part of the pool id after "_", which Cognito's SRP mixes into every password and signature. */
export const poolName = (pool: PoolRecord) => pool.id.slice(pool.id.indexOf('_') + 1);

export function passwordMatches(stored: PasswordHash | undefined, password: string): boolean {
  if (!stored) return false;
  const actual = scryptSync(password, stored.salt, 32, SCRYPT);
  return timingSafeEqual(actual, Buffer.from(stored.hash, 'base64'));
}

/** Enforces the pool's password policy with Cognito's messages. */
export function checkPasswordPolicy(pool: PoolRecord, password: string): void {
  const policy = pool.passwordPolicy;
  const fail = (what: string) =>
    new CognitoError('InvalidPasswordException', `Password does not conform to policy: ${what}`);
  if ([...password].length < policy.MinimumLength) throw fail('Password not long enough');
  if (policy.RequireUppercase && !/[A-Z]/.test(password))
    throw fail('Password must have uppercase characters');
  if (policy.RequireLowercase && !/[a-z]/.test(password))
    throw fail('Password must have lowercase characters');
  if (policy.RequireNumbers && !/[0-9]/.test(password)) throw fail('Password must have numeric characters');
  if (policy.RequireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password)) {
    throw fail('Password must have symbol characters');
  }
}

export function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw invalidParameter(`Missing required parameter ${name}`);
  return value;
}

/** AttributeListType → record, and back. */
export const toAttributeMap = (list: { Name: string; Value?: string }[] | undefined) =>
  Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value ?? '']));
export const toAttributeList = (map: Record<string, string>) =>
  Object.entries(map).map(([Name, Value]) => ({ Name, Value }));
