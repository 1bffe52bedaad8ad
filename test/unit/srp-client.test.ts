import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js';
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js';
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js';
import { afterEach, expect, it, vi } from 'vitest';
import { cognitoTimestamp, passwordClaim, srpKey, startSrp } from '../../client/srp-client.js';
import { createVerifier, serverSession, sessionKey, signatureMatches } from '../../local/cognito/srp.js';

const POOL_NAME = 'AbCdEf123';
const USER = 'alice';
const PASSWORD = 'Corr3ct-horse-battery';

afterEach(() => {
  vi.useRealTimers();
});

/** The library's own exchange, with its random `a`; ours is fed the same 128 bytes. */
async function bothSides() {
  const helper = new AuthenticationHelper(POOL_NAME);
  const libraryA = await new Promise<string>((resolve, reject) =>
    helper.getLargeAValue((e, value) => (e ? reject(e) : resolve(value.toString(16)))),
  );
  const aBytes = Buffer.from(helper.smallAValue.toString(16).padStart(256, '0'), 'hex');
  const ours = startSrp(() => aBytes);
  return { helper, libraryA, ours };
}

it('makes the same SRP_A and the same key as amazon-cognito-identity-js, given the same randomness', async () => {
  for (let run = 0; run < 5; run++) {
    const { helper, libraryA, ours } = await bothSides();
    expect(ours.srpA).toBe(libraryA);
    const verifier = createVerifier(`${POOL_NAME}${USER}`, PASSWORD);
    const server = serverSession(verifier.verifier);
    const srpB = server.B.toString(16);
    const libraryKey = await new Promise<Uint8Array>((resolve, reject) =>
      helper.getPasswordAuthenticationKey(
        USER,
        PASSWORD,
        new BigInteger(srpB, 16),
        new BigInteger(verifier.salt, 16),
        (e, key) => (e ? reject(e) : resolve(key)),
      ),
    );
    const key = srpKey(ours, { srpB, salt: verifier.salt }, POOL_NAME, USER, PASSWORD);
    expect(Buffer.from(key).toString('hex')).toBe(Buffer.from(libraryKey).toString('hex'));
    // ...and the stand-in (Node's crypto, an independent implementation) derives it too.
    expect(Buffer.from(key).equals(sessionKey(verifier.verifier, server, ours.srpA) ?? Buffer.alloc(0))).toBe(
      true,
    );
  }
});

it('signs the claim so that the server accepts it, and a wrong password does not', async () => {
  const { ours } = await bothSides();
  const verifier = createVerifier(`${POOL_NAME}${USER}`, PASSWORD);
  const server = serverSession(verifier.verifier);
  const secretBlock = Buffer.from('secret block from Cognito').toString('base64');
  const timestamp = cognitoTimestamp(new Date());
  const serverKey = sessionKey(verifier.verifier, server, ours.srpA) ?? Buffer.alloc(0);
  for (const [password, accepted] of [
    [PASSWORD, true],
    [`${PASSWORD}!`, false],
  ] as const) {
    const key = srpKey(ours, { srpB: server.B.toString(16), salt: verifier.salt }, POOL_NAME, USER, password);
    const claim = passwordClaim(key, { identity: POOL_NAME, userId: USER, secretBlock, timestamp });
    expect(claim.PASSWORD_CLAIM_SECRET_BLOCK).toBe(secretBlock);
    expect(
      signatureMatches(
        serverKey,
        { poolName: POOL_NAME, userId: USER, secretBlock, timestamp },
        claim.PASSWORD_CLAIM_SIGNATURE,
      ),
    ).toBe(accepted);
  }
});

it.each(['2026-11-02T09:07:03Z', '2026-01-31T23:59:59Z', '2027-02-28T00:00:00Z'])(
  'writes TIMESTAMP exactly as the library does (%s)',
  (instant) => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(instant));
    expect(cognitoTimestamp(new Date())).toBe(new DateHelper().getNowString());
  },
);
