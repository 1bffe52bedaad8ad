import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { g, modPow, N, padHex, ZERO } from './srp-math.js';

/**
 * The client side of Cognito's SRP (USER_SRP_AUTH's PASSWORD_VERIFIER and the device's
 * DEVICE_PASSWORD_VERIFIER), byte-compatible with amazon-cognito-identity-js's AuthenticationHelper:
 * SHA-256, k = H(PAD(N) | PAD(g)), u = H(PAD(A) | PAD(B)), x = H(PAD(salt) | H(identity | userId | ":" |
 * password)), S = (B - k·g^x)^(a + u·x) mod N, and the key is one HKDF block ("Caldera Derived Key") over
 * PAD(S) salted with PAD(u). BigInt and `crypto.getRandomValues` only: browsers, React Native, Node.
 */

export type RandomBytes = (length: number) => Uint8Array;
const secureRandom: RandomBytes = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
const utf8 = (text: string) => new TextEncoder().encode(text);
const hexHash = (hex: string) => toHex(sha256(fromHex(hex)));
const big = (hex: string) => BigInt(`0x${hex}`);
const mod = (value: bigint) => ((value % N) + N) % N;
const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

const k = big(hexHash(`${padHex(N)}${padHex(g)}`));

/** One SRP exchange: the client's secret `a` and public `A` (`SRP_A`, hex). */
export interface SrpExchange {
  readonly a: bigint;
  readonly srpA: string;
}

/** A fresh exchange: 128 random bytes for `a`, as the library takes them. */
export function startSrp(randomBytes: RandomBytes = secureRandom): SrpExchange {
  const a = big(toHex(randomBytes(128)));
  const A = modPow(g, a, N);
  if (A % N === ZERO) throw new Error('SRP: A mod N is 0');
  return { a, srpA: A.toString(16) };
}

/** The 16-byte key both sides derive, from the server's `SRP_B` and `SALT` (hex). */
export function srpKey(
  exchange: SrpExchange,
  server: { srpB: string; salt: string },
  identity: string,
  userId: string,
  password: string,
): Uint8Array {
  const A = big(exchange.srpA);
  const B = big(server.srpB);
  if (B % N === ZERO) throw new Error('SRP: B mod N is 0');
  const u = big(hexHash(`${padHex(A)}${padHex(B)}`));
  if (u === ZERO) throw new Error('SRP: u is 0');
  const x = big(
    hexHash(`${padHex(big(server.salt))}${toHex(sha256(utf8(`${identity}${userId}:${password}`)))}`),
  );
  const S = modPow(mod(B - k * modPow(g, x, N)), exchange.a + u * x, N);
  const prk = hmac(sha256, fromHex(padHex(u)), fromHex(padHex(S)));
  return hmac(sha256, prk, concat(utf8('Caldera Derived Key'), Uint8Array.of(1))).slice(0, 16);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Cognito's `TIMESTAMP`, as the library's DateHelper writes it: `Sun Nov 2 09:07:03 UTC 2026`. */
export function cognitoTimestamp(date: Date): string {
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} UTC ${date.getUTCFullYear()}`;
}

/**
 * The challenge answer that proves the password (or the device secret): HMAC(key, identity | userId |
 * secretBlock | timestamp). For a user, `identity` is the pool name (the part of the pool id after "_");
 * for a device, the DeviceGroupKey, with the DeviceKey as `userId`.
 */
export function passwordClaim(
  key: Uint8Array,
  parts: { identity: string; userId: string; secretBlock: string; timestamp: string },
): { PASSWORD_CLAIM_SECRET_BLOCK: string; PASSWORD_CLAIM_SIGNATURE: string; TIMESTAMP: string } {
  const message = concat(
    utf8(parts.identity),
    utf8(parts.userId),
    fromBase64(parts.secretBlock),
    utf8(parts.timestamp),
  );
  return {
    PASSWORD_CLAIM_SECRET_BLOCK: parts.secretBlock,
    PASSWORD_CLAIM_SIGNATURE: base64(hmac(sha256, key, message)),
    TIMESTAMP: parts.timestamp,
  };
}
