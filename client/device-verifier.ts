import { sha256 } from '@noble/hashes/sha2.js';
import { g, modPow, N, padHex } from './srp-math.js';

/**
 * The device secret a client creates when Cognito hands it `NewDeviceMetadata`, byte-compatible with
 * amazon-cognito-identity-js's `AuthenticationHelper.generateHashDevice`: SRP over the RFC 5054 3072-bit
 * group with SHA-256, identity `DeviceGroupKey + DeviceKey`, a 40-byte random password and a 16-byte salt.
 * Runs in browsers, React Native and Node (BigInt, `crypto.getRandomValues`, a JS SHA-256).
 */

export interface DeviceSecretVerifier {
  /** Keep on the device (secure storage): it signs the device in with DEVICE_SRP_AUTH. Never send it anywhere. */
  readonly devicePassword: string;
  /** For `POST /devices` as `deviceSecretVerifierConfig`: base64, as ConfirmDevice expects. */
  readonly passwordVerifier: string;
  readonly salt: string;
}

/** Where randomness comes from; tests pass fixed bytes. */
export type RandomBytes = (length: number) => Uint8Array;

const secureRandom: RandomBytes = (length) => globalThis.crypto.getRandomValues(new Uint8Array(length));

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));
const utf8 = (text: string) => new TextEncoder().encode(text);
const base64 = (bytes: Uint8Array) => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

export function createDeviceSecretVerifier(
  deviceKey: string,
  deviceGroupKey: string,
  randomBytes: RandomBytes = secureRandom,
): DeviceSecretVerifier {
  const devicePassword = base64(randomBytes(40));
  const identityHash = toHex(sha256(utf8(`${deviceGroupKey}${deviceKey}:${devicePassword}`)));
  const salt = padHex(BigInt(`0x${toHex(randomBytes(16))}`));
  const x = BigInt(`0x${toHex(sha256(fromHex(`${salt}${identityHash}`)))}`);
  const verifier = padHex(modPow(g, x, N));
  return { devicePassword, passwordVerifier: base64(fromHex(verifier)), salt: base64(fromHex(salt)) };
}
