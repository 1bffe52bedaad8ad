import { describe, expect, it } from 'vitest';
import { UnauthorizedError } from '../../../../functions/errors.js';
import { httpEvent } from '../../../support/events.js';
import { routeHarness, STANDARD, USERNAME } from '../../../support/route-harness.js';

const h = routeHarness();

describe('POST /sign-out-everywhere (GlobalSignOut)', () => {
  const signOutEvent = (headers: Record<string, string> = h.bearer) =>
    httpEvent({ method: 'POST', path: '/sign-out-everywhere', headers });

  it('signs the verified caller out everywhere with their own token and tells the app to sign in again', async () => {
    const res = await h.invoke('signOutEverywhere', signOutEvent());
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', ...STANDARD },
      body: JSON.stringify({ signedOut: 'everywhere', next: 'sign_in' }),
    });
    expect(h.directory.calls).toEqual([
      { method: 'signOutEverywhere', accessToken: h.token, username: USERNAME, args: [] },
    ]);
  });

  it('a token Cognito already refuses is a 401, and nothing is signed out twice', async () => {
    h.directory.failWith = new UnauthorizedError({
      code: 'not_authorized',
      detail: 'The access token was rejected by Cognito',
      tokenPresented: true,
    });
    const res = await h.invoke('signOutEverywhere', signOutEvent());
    expect(res.statusCode).toBe(401);
    expect(h.directory.calls).toHaveLength(1);
  });

  it('without a token nothing reaches Cognito', async () => {
    const res = await h.invoke('signOutEverywhere', signOutEvent({}));
    expect(res.statusCode).toBe(401);
    expect(h.directory.calls).toEqual([]);
  });
});
