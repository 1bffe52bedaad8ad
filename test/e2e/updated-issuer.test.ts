// Routes: GET /devices, POST /devices. Flow: a pool switched to the updated issuer (IssuerConfiguration UPDATED, which
// AWS recommends for every pool) keeps working through the BFF, with tokens from before and after the switch.
import { DescribeUserPoolCommand, UpdateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.js';
import { call, cognitoClient, signIn, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack('always');
});
afterAll(async () => {
  await stack?.close();
});

const issuerOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss as string;

it('tokens of both issuers are accepted, before and after the pool is switched', async () => {
  const before = await signIn(stack, 'issuer-user');
  expect(issuerOf(before.accessToken)).toBe(
    `https://cognito-idp.eu-west-1.amazonaws.com/${stack.userPoolId}`,
  );
  // As an operator would: the pool's settings as they are, and the updated issuer.
  const cognito = cognitoClient(stack);
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: stack.userPoolId }));
  await cognito.send(
    new UpdateUserPoolCommand({
      UserPoolId: stack.userPoolId,
      MfaConfiguration: UserPool?.MfaConfiguration,
      DeviceConfiguration: UserPool?.DeviceConfiguration,
      LambdaConfig: UserPool?.LambdaConfig,
      UserPoolTier: UserPool?.UserPoolTier,
      IssuerConfiguration: { Type: 'UPDATED' },
    }),
  );
  const after = await signIn(stack, 'issuer-user');
  expect(issuerOf(after.accessToken)).toBe(
    `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${stack.userPoolId}`,
  );
  // The token from before the switch still works until it expires; the new one works, for reads and writes.
  expect((await call(stack, 'GET', '/devices', { token: before.accessToken })).status).toBe(200);
  const confirmed = await call(stack, 'POST', '/devices', {
    token: after.accessToken,
    json: { deviceKey: after.newDevice?.DeviceKey },
  });
  expect(confirmed.status).toBe(201);
  const listed = await call(stack, 'GET', '/devices', { token: after.accessToken });
  expect(listed.body).toMatchObject({
    devices: [expect.objectContaining({ deviceKey: after.newDevice?.DeviceKey })],
  });
  // An issuer that is neither of the pool's is still refused (a token signed right but issued elsewhere).
  const [header, payload, signature] = after.accessToken.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
  const forged = `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: 'https://example.com/pool' })).toString('base64url')}.${signature}`;
  expect((await call(stack, 'GET', '/devices', { token: forged })).status).toBe(401);
});
