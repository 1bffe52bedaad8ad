import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** RFC 6238 TOTP as authenticator apps compute it: HMAC-SHA1, 30-second steps, 6 digits, base32 secrets. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const STEP_SECONDS = 30;

/** A new secret, base32 without padding (Cognito's `SecretCode`). */
export function newTotpSecret(): string {
  const bytes = randomBytes(32);
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  return (bits.match(/.{1,5}/g) ?? [])
    .map((chunk) => BASE32[Number.parseInt(chunk.padEnd(5, '0'), 2)])
    .join('');
}

function base32Decode(secret: string): Buffer {
  let bits = '';
  for (const char of secret.toUpperCase().replace(/=+$/, '')) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error('not base32');
    bits += value.toString(2).padStart(5, '0');
  }
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
}

/** The code for the 30-second step that holds `timeMs`. */
export function totpCode(secret: string, timeMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / 1000 / STEP_SECONDS)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = (mac.at(-1) ?? 0) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Accepts the current step and its neighbours (clock drift), as authenticator-based services do. */
export function totpMatches(secret: string, code: string, nowMs: number): boolean {
  return [-1, 0, 1].some((drift) => {
    const expected = Buffer.from(totpCode(secret, nowMs + drift * STEP_SECONDS * 1000));
    const given = Buffer.from(code);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
