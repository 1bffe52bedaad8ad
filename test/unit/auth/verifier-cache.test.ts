import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { JwtExpiredError } from 'aws-jwt-verify/error';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccessTokenVerifier } from '../../../functions/auth/verifier.js';
import { UNREACHABLE_JWKS } from '../../support/harness.js';
import { accessClaims, CLIENT_ID, createSigningKey, POOL_ID, signRs256 } from '../../support/tokens.js';

const key = createSigningKey();
const verifierWith = (cacheSize?: number) => {
  const verifier = createAccessTokenVerifier({
    userPoolId: POOL_ID,
    clientIds: [CLIENT_ID],
    jwksUri: UNREACHABLE_JWKS,
    ...(cacheSize !== undefined && { cacheSize }),
  });
  verifier.cacheJwks({ keys: [key.jwk] });
  return verifier;
};
const token = (claims: Record<string, unknown> = {}) => signRs256(key, accessClaims(claims));
/** Every real verification aws-jwt-verify does (signature, claims). */
let library: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  library = vi.spyOn(CognitoJwtVerifier.prototype, 'verify');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('remembered verifications', () => {
  it('the same token again is answered from memory with the same payload', async () => {
    const verifier = verifierWith();
    const t = token();
    const first = await verifier.verify(t);
    await expect(verifier.verify(t)).resolves.toEqual(first);
    expect(library).toHaveBeenCalledTimes(1);
  });

  it('a remembered token past its exp goes back to aws-jwt-verify, which refuses it', async () => {
    const verifier = verifierWith();
    const t = token();
    const { exp } = await verifier.verify(t);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(exp * 1000 + 1_000);
    await expect(verifier.verify(t)).rejects.toBeInstanceOf(JwtExpiredError);
    expect(library).toHaveBeenCalledTimes(2);
  });

  it('a new key set forgets every remembered token', async () => {
    const verifier = verifierWith();
    const t = token();
    await verifier.verify(t);
    verifier.cacheJwks({ keys: [key.jwk] });
    await verifier.verify(t);
    expect(library).toHaveBeenCalledTimes(2);
  });

  it('keeps at most cacheSize tokens, the least recently used going first', async () => {
    const verifier = verifierWith(2);
    const [a, b, c] = [token({ jti: 'a' }), token({ jti: 'b' }), token({ jti: 'c' })] as [
      string,
      string,
      string,
    ];
    await verifier.verify(a);
    await verifier.verify(b);
    await verifier.verify(a); // a is now the most recent
    await verifier.verify(c); // b goes
    expect(library).toHaveBeenCalledTimes(3);
    await verifier.verify(a);
    expect(library).toHaveBeenCalledTimes(3);
    await verifier.verify(b);
    expect(library).toHaveBeenCalledTimes(4);
  });

  it('never remembers a failure, and cacheSize 0 remembers nothing', async () => {
    const verifier = verifierWith();
    const wrongClient = token({ client_id: 'someoneelse' });
    await expect(verifier.verify(wrongClient)).rejects.toThrow();
    await expect(verifier.verify(wrongClient)).rejects.toThrow();
    expect(library).toHaveBeenCalledTimes(2);
    const none = verifierWith(0);
    const t = token();
    await none.verify(t);
    await none.verify(t);
    expect(library).toHaveBeenCalledTimes(4);
  });
});
