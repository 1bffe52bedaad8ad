import { createHash, createHmac, randomUUID } from 'node:crypto';
import { poolName } from './context.js';
import { CognitoError, invalidParameter, userNotFound } from './errors.js';
import { createVerifier, type SrpVerifier } from './srp.js';
import type { PoolRecord, UserRecord } from './state.js';

/**
 * The names a user of a pool is known by, as Cognito resolves them (local/cognito/README.md, "Sign-in names"):
 * the username; with `UsernameAttributes`, the email or phone number that stands for it (the username itself is a
 * UUID equal to `sub`); with `AliasAttributes`, a verified email or phone number and a `preferred_username`; and,
 * where the API reference says so, the `sub`. `UsernameConfiguration.CaseSensitive: false` makes every one of them
 * match in any case.
 */

type SignInAttribute = 'email' | 'phone_number';
type AliasAttribute = SignInAttribute | 'preferred_username';

interface SignInNames {
  /** `UsernameAttributes`: the user signs up with one of these in place of a username. */
  readonly usernameAttributes: readonly SignInAttribute[];
  /** `AliasAttributes`: names that sign the user in besides the username. */
  readonly aliasAttributes: readonly AliasAttribute[];
  readonly caseSensitive: boolean;
}

export function signInNames(pool: PoolRecord): SignInNames {
  const settings = pool.settings as {
    UsernameAttributes?: SignInAttribute[];
    AliasAttributes?: AliasAttribute[];
    UsernameConfiguration?: { CaseSensitive?: boolean };
  };
  return {
    usernameAttributes: settings.UsernameAttributes ?? [],
    aliasAttributes: settings.AliasAttributes ?? [],
    // CreateUserPool's default is case-sensitive (UsernameConfigurationType: "defaults to true").
    caseSensitive: settings.UsernameConfiguration?.CaseSensitive !== false,
  };
}

/**
 * What counts as an email or a phone number. Cognito's own check is not published: these are ours, strict enough
 * that a username never looks like either (an email needs `@` and a dot in its domain; a phone number is E.164).
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const PHONE_NUMBER = /^\+[0-9]{4,15}$/;
const looksLike = (attribute: SignInAttribute, value: string) =>
  (attribute === 'email' ? EMAIL : PHONE_NUMBER).test(value);

const sameName = (names: SignInNames) =>
  names.caseSensitive
    ? (a: string | undefined, b: string) => a === b
    : (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** An alias signs in only once verified, except `preferred_username`, which cannot be verified. */
const aliasActive = (user: UserRecord, attribute: AliasAttribute) =>
  attribute === 'preferred_username' || user.attributes[`${attribute}_verified`] === 'true';

export interface LookUp {
  /**
   * Accept the user's `sub` too: the admin operations' `Username` ("If username isn't an alias attribute in your
   * user pool, this value must be the sub of a local user", API reference). Sign-in does not (no record says it
   * does, so the stand-in promises nothing more).
   */
  readonly sub?: boolean;
}

/** The user whose username is exactly `name` (never a property every object has, such as `constructor`). */
export const ownUser = (pool: PoolRecord, name: string): UserRecord | undefined =>
  Object.hasOwn(pool.users, name) ? pool.users[name] : undefined;

/** The user a name stands for, or undefined. */
export function userNamed(pool: PoolRecord, name: string, lookUp: LookUp = {}): UserRecord | undefined {
  const names = signInNames(pool);
  const same = sameName(names);
  const exact = ownUser(pool, name);
  if (exact) return exact;
  const users = Object.values(pool.users);
  if (!names.caseSensitive) {
    const byName = users.find((user) => same(user.username, name));
    if (byName) return byName;
  }
  for (const attribute of names.usernameAttributes) {
    const user = users.find((candidate) => same(candidate.attributes[attribute], name));
    if (user) return user;
  }
  for (const attribute of names.aliasAttributes) {
    const user = users.find(
      (candidate) => aliasActive(candidate, attribute) && same(candidate.attributes[attribute], name),
    );
    if (user) return user;
  }
  return lookUp.sub ? users.find((user) => user.sub === name) : undefined;
}

/** Like {@link userNamed} for the admin operations: the `sub` is accepted, and nobody is UserNotFoundException. */
export function findUser(pool: PoolRecord, name: string): UserRecord {
  const user = userNamed(pool, name, { sub: true });
  if (!user) throw userNotFound();
  return user;
}

/**
 * Stands in for a user nobody is, when the client hides whether users exist: the SRP identity and verifier a
 * `PASSWORD_VERIFIER` challenge names for a name nobody holds. Whatever a stranger can see must look like a real
 * user's, the same on every try: in a pool whose usernames are UUIDs the name becomes a version-4 UUID (variant digit
 * included) derived from it, and the salt is derived from it too (a real user's salt never changes between tries).
 * Both come from a secret of the pool's, so nobody can compute them. What Cognito sends here is not recorded; this is
 * ours.
 */
export function unknownUser(pool: PoolRecord, name: string): { userId: string; verifier: SrpVerifier } {
  const derived = (purpose: string) =>
    createHmac('sha256', createHash('sha256').update(pool.signingKey.privateKeyPem).digest())
      .update(`${purpose}:${name.toLowerCase()}`)
      .digest('hex');
  const hex = derived('user');
  const variant = (8 + (Number.parseInt(hex.charAt(16), 16) & 3)).toString(16);
  const userId =
    signInNames(pool).usernameAttributes.length === 0
      ? name
      : `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return {
    userId,
    verifier: createVerifier(`${poolName(pool)}${userId}`, derived('password'), derived('salt').slice(0, 32)),
  };
}

export interface NewUserName {
  /** The username to store: as given, or a new UUID (equal to `sub`) in a pool with `UsernameAttributes`. */
  readonly username: string;
  readonly sub: string;
  readonly attributes: Record<string, string>;
}

/**
 * Checks a new user's `Username` and attributes against the pool's sign-in settings, with Cognito's messages, and
 * names the user. `forceAlias` is AdminCreateUser's `ForceAliasCreation`: a verified alias another user holds moves
 * to the new user (and is unverified on the other) instead of AliasExistsException.
 */
export function nameNewUser(
  pool: PoolRecord,
  requested: string,
  attributes: Record<string, string>,
  forceAlias = false,
): NewUserName {
  const names = signInNames(pool);
  const sub = randomUUID();
  if (names.usernameAttributes.length > 0) {
    const attribute = names.usernameAttributes.find((a) => looksLike(a, requested));
    if (!attribute) throw invalidParameter(usernameFormatMessage(names.usernameAttributes));
    const given = attributes[attribute];
    if (given !== undefined && given !== requested) {
      throw invalidParameter(
        attribute === 'email'
          ? 'User email should be empty or same as username, since username attribute is email.'
          : 'User phone number should be empty or same as username, since username attribute is phone number.',
      );
    }
    if (userNamed(pool, requested)) {
      throw new CognitoError(
        'UsernameExistsException',
        `An account with the given ${attribute} already exists.`,
      );
    }
    return { username: sub, sub, attributes: { ...attributes, [attribute]: requested, sub } };
  }
  for (const attribute of names.aliasAttributes) {
    if (attribute !== 'preferred_username' && looksLike(attribute, requested)) {
      throw invalidParameter(
        attribute === 'email'
          ? 'Username cannot be of email format, since user pool is configured for email alias.'
          : 'Username cannot be of phone number format, since user pool is configured for phone number alias.',
      );
    }
  }
  if (userNamed(pool, requested))
    throw new CognitoError('UsernameExistsException', 'User account already exists');
  claimAliases(pool, attributes, forceAlias);
  return { username: requested, sub, attributes: { ...attributes, sub } };
}

function usernameFormatMessage(attributes: readonly SignInAttribute[]): string {
  if (attributes.length > 1) return 'Username should be either an email or a phone number.';
  return attributes[0] === 'email' ? 'Username should be an email.' : 'Username should be a phone number.';
}

/**
 * Aliases are unique among the users who hold them: a verified email or phone number, or a `preferred_username`,
 * that another user already holds is AliasExistsException, unless `force` moves it (the other user's copy stays,
 * unverified, so it no longer signs them in; a `preferred_username` cannot move and is refused either way).
 */
function claimAliases(pool: PoolRecord, attributes: Record<string, string>, force: boolean): void {
  const names = signInNames(pool);
  const same = sameName(names);
  const moves: UserRecord[] = [];
  const moved: string[] = [];
  for (const attribute of names.aliasAttributes) {
    const value = attributes[attribute];
    if (value === undefined) continue;
    const claims = attribute === 'preferred_username' || attributes[`${attribute}_verified`] === 'true';
    if (!claims) continue;
    const holder = Object.values(pool.users).find(
      (user) => aliasActive(user, attribute) && same(user.attributes[attribute], value),
    );
    // A preferred_username that is someone's username could never sign its owner in (the username wins): ours.
    const shadows = attribute === 'preferred_username' && userNamed(pool, value) !== undefined;
    if (!holder && !shadows) continue;
    if (!force || attribute === 'preferred_username') {
      throw new CognitoError('AliasExistsException', `An account with the ${attribute} already exists.`);
    }
    if (holder) {
      moves.push(holder);
      moved.push(attribute);
    }
  }
  // Only once every alias is known to be free or movable: a refused creation changes nobody.
  moves.forEach((holder, i) => {
    holder.attributes[`${moved[i]}_verified`] = 'false';
  });
}
