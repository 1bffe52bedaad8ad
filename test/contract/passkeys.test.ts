import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { call, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';
import { expectConforms } from '../support/openapi.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

// The passkey routes' real answers against the OpenAPI document, on a pool that allows passkeys: success and each
// error class, in the order a user meets them.
describe('contract: the passkey routes, against the document', () => {
  let stack: LocalStack;
  let user: SignedIn;
  const authenticator = new SoftAuthenticator('http://localhost:5173');

  beforeAll(async () => {
    stack = await startTestStack('opt-in', { passwordless: ['passkey'] });
    user = await signIn(stack, 'contract-passkeys');
  });
  afterAll(async () => {
    await stack?.close();
  });

  const expectAnswer = async (
    method: string,
    template: string,
    path: string,
    status: number,
    options: Parameters<typeof call>[3] = {},
  ) => {
    const res = await call(stack, method, path, options);
    expect(res.status).toBe(status);
    expectConforms(res, method, template);
    return res;
  };

  it('GET /passkeys: 200, 401', async () => {
    await expectAnswer('GET', '/passkeys', '/passkeys', 200, { token: user.accessToken });
    await expectAnswer('GET', '/passkeys', '/passkeys', 401, { token: 'garbage' });
  });

  it('POST /passkeys: 409 before a registration, 400 for a malformed credential, 415, then 201 after one', async () => {
    const token = user.accessToken;
    const unstarted = authenticator.create({
      challenge: 'AAAA',
      rp: { id: 'localhost' },
      user: { id: 'AAAA' },
    });
    const refused = await expectAnswer('POST', '/passkeys', '/passkeys', 409, {
      token,
      json: { credential: unstarted },
    });
    expect(refused.body).toMatchObject({ code: 'passkey_registration_expired' });
    await expectAnswer('POST', '/passkeys', '/passkeys', 400, { token, json: { credential: { id: '!' } } });
    await expectAnswer('POST', '/passkeys', '/passkeys', 415, {
      token,
      body: 'x',
      headers: { 'content-type': 'text/plain' },
    });
    const started = await expectAnswer('POST', '/passkeys/registrations', '/passkeys/registrations', 200, {
      token,
    });
    const { options } = started.body as { options: never };
    const added = await expectAnswer('POST', '/passkeys', '/passkeys', 201, {
      token,
      json: { credential: authenticator.create(options) },
    });
    expect(added.headers.get('location')).toBe(`/passkeys/${authenticator.credentialId}`);
  });

  it('DELETE /passkeys/{credentialId}: 400 for a malformed id, 204, then 404', async () => {
    const token = user.accessToken;
    await expectAnswer('DELETE', '/passkeys/{credentialId}', '/passkeys/not*base64url', 400, { token });
    await expectAnswer('DELETE', '/passkeys/{credentialId}', `/passkeys/${authenticator.credentialId}`, 204, {
      token,
    });
    await expectAnswer('DELETE', '/passkeys/{credentialId}', `/passkeys/${authenticator.credentialId}`, 404, {
      token,
    });
  });
});
