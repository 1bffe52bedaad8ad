import { sha256 } from '@noble/hashes/sha2.js';

/**
 * The device secret a client creates when Cognito hands it `NewDeviceMetadata`, byte-compatible with
 * amazon-cognito-identity-js's `AuthenticationHelper.generateHashDevice`: SRP over the RFC 5054 3072-bit
 * group with SHA-256, identity `DeviceGroupKey + DeviceKey`, a 40-byte random password and a 16-byte salt.
 * Runs in browsers, React Native and Node (BigInt, `crypto.getRandomValues`, a JS SHA-256).
 */
const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

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

/** amazon-cognito-identity-js's `padHex`: even-length hex, "00" first when the top bit is set. */
function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

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
