import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { g, modPow, N, padHex } from '../../client/srp-math.js';

export { padHex };

/**
 * Cognito's SRP-6a variant, server side, as amazon-cognito-identity-js implements the client: the 3072-bit
 * group of RFC 5054 with g = 2, SHA-256, k = H(PAD(N) | PAD(g)), u = H(PAD(A) | PAD(B)),
 * x = H(PAD(salt) | H(poolName | username | ":" | password)), and the session key is one HKDF block
 * (info "Caldera Derived Key") over PAD(S) salted with PAD(u). PAD is the library's `padHex`: even-length
 * hex with "00" prepended when the top bit is set.
 */

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hexHash = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const toBigInt = (hex: string) => BigInt(`0x${hex}`);

const k = toBigInt(hexHash(`${padHex(N)}${padHex(g)}`));

/** x for a user (poolName is the part of the pool id after "_") or a device (deviceGroupKey and deviceKey). */
function privateX(saltHex: string, identity: string, password: string): bigint {
  return toBigInt(hexHash(`${padHex(toBigInt(saltHex))}${sha256Hex(`${identity}:${password}`)}`));
}

export interface SrpVerifier {
  /** Hex, as Cognito sends it in `SALT`. */
  readonly salt: string;
  /** Hex of g^x mod N. */
  readonly verifier: string;
}

/** What the server stores instead of a password: `identity` is poolName + username; a new random salt unless given. */
export function createVerifier(
  identity: string,
  password: string,
  salt = randomBytes(16).toString('hex'),
): SrpVerifier {
  return { salt, verifier: padHex(modPow(g, privateX(salt, identity, password), N)) };
}

export interface ServerSession {
  readonly b: bigint;
  readonly B: bigint;
}

export function serverSession(verifierHex: string): ServerSession {
  const b = toBigInt(randomBytes(128).toString('hex')) % N;
  const B = (k * toBigInt(verifierHex) + modPow(g, b, N)) % N;
  return { b, B };
}

/** The 16-byte key both sides derive, or undefined for an A the protocol forbids (A mod N = 0). */
export function sessionKey(verifierHex: string, session: ServerSession, aHex: string): Buffer | undefined {
  const A = toBigInt(aHex);
  if (A % N === 0n) return undefined;
  const u = toBigInt(hexHash(`${padHex(A)}${padHex(session.B)}`));
  if (u === 0n) return undefined;
  const S = modPow((A * modPow(toBigInt(verifierHex), u, N)) % N, session.b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  return createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
}

/** Checks PASSWORD_CLAIM_SIGNATURE = HMAC(key, poolName | userId | secretBlock | timestamp), base64. */
export function signatureMatches(
  key: Buffer,
  parts: { poolName: string; userId: string; secretBlock: string; timestamp: string },
  signature: string,
): boolean {
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(parts.poolName, 'utf8'),
        Buffer.from(parts.userId, 'utf8'),
        Buffer.from(parts.secretBlock, 'base64'),
        Buffer.from(parts.timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Parses Cognito's TIMESTAMP format, e.g. `Sun Nov 22 09:07:03 UTC 2026`; NaN when malformed. */
export function parseTimestamp(value: string): number {
  const m = /^(\w{3}) (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d) UTC (\d{4})$/.exec(value);
  if (!m || !DAYS.includes(m[1] ?? '') || !MONTHS.includes(m[2] ?? '')) return Number.NaN;
  return Date.UTC(
    Number(m[7]),
    MONTHS.indexOf(m[2] ?? ''),
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
}
