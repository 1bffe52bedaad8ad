import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SigningKeyRecord } from './state.js';

/** A new RS256 key pair with a Cognito-shaped `kid` (base64 of 32 random bytes). */
export function createSigningKey(): SigningKeyRecord {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { n, e } = publicKey.export({ format: 'jwk' });
  if (!n || !e) throw new Error('RSA key export failed');
  const kid = randomBytes(32).toString('base64');
  return {
    kid,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: { kid, alg: 'RS256', kty: 'RSA', use: 'sig', n, e },
  };
}
