/**
 * The SRP group and number helpers Cognito's SRP uses (RFC 5054 3072-bit group, g = 2), in plain BigInt so
 * they run in any JavaScript runtime. Shared by the app client and the local Cognito stand-in. No BigInt literals
 * syntax: Hermes, React Native's engine, took `BigInt(2)` before it took the literal (facebook/hermes #962).
 */
export const ZERO = BigInt(0);
export const ONE = BigInt(1);
export const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = BigInt(2);

/** amazon-cognito-identity-js's `padHex`: even-length hex, "00" first when the top bit is set. */
export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = ONE;
  let b = base % modulus;
  let e = exponent;
  while (e > ZERO) {
    if ((e & ONE) === ONE) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= ONE;
  }
  return result;
}
