// Routes: GET /devices. Flow: a pool with device tracking off: no device issued, the routes say the
// deployment is wrong.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { call, signIn, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack('off');
});
afterAll(async () => {
  await stack?.close();
});

it('with device tracking off, sign-in issues no device and device routes report a server misconfiguration', async () => {
  const user = await signIn(stack, 'frank');
  expect(user.newDevice).toBeUndefined();
  const res = await call(stack, 'GET', '/devices', { token: user.accessToken });
  expect(res.status).toBe(500);
  expect(res.body).toEqual({
    type: 'urn:cognito-device-bff:problem:invalid_user_pool_configuration',
    title: 'Internal Server Error',
    status: 500,
    detail: 'The request could not be completed. Retry later; if it persists, report the request id.',
    code: 'invalid_user_pool_configuration',
  });
});
