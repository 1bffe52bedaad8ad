import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoStandIn } from '../../local/cognito/server.js';
import { createConfirmedUser } from '../../local/users.js';

/**
 * The stand-in runs a pool's post-authentication trigger as Cognito does: after the sign-in, before its answer,
 * with Cognito's event; a trigger that fails or takes more than 5 s fails the sign-in, which leaves nothing behind.
 */
let standIn: CognitoStandIn;
let cognito: CognitoIdentityProviderClient;
const ARN = 'arn:aws:lambda:eu-west-1:000000000000:function:post-auth';
let behaviour: 'ok' | 'throw' | 'hang' = 'ok';
const received: Array<Record<string, unknown>> = [];
let poolId = '';
let clientId = '';

beforeAll(async () => {
  standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
  standIn.registerLambda(ARN, async (event) => {
    received.push(event);
    if (behaviour === 'throw') throw new Error('no');
    if (behaviour === 'hang') await new Promise((resolve) => setTimeout(resolve, 6_000));
    return event;
  });
  cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'triggers',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
      LambdaConfig: { PostAuthentication: ARN },
    }),
  );
  poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }),
  );
  clientId = UserPoolClient?.ClientId ?? '';
  await createConfirmedUser(cognito, { userPoolId: poolId, username: 'bob', password: 'Corr3ct-horse' });
});
afterAll(async () => {
  await standIn?.close();
});

const passwordSignIn = () =>
  cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'bob', PASSWORD: 'Corr3ct-horse' },
    }),
  );
const sessions = () => Object.keys(standIn.store.data.pools[poolId]?.users.bob?.sessions ?? {}).length;
const devices = () => Object.keys(standIn.store.data.pools[poolId]?.users.bob?.devices ?? {}).length;

describe('post-authentication trigger in the stand-in', () => {
  it("is given Cognito's event: the user, the app client and whether the device is new; not refreshes", async () => {
    behaviour = 'ok';
    const result = await passwordSignIn();
    expect(received.at(-1)).toMatchObject({
      triggerSource: 'PostAuthentication_Authentication',
      userPoolId: poolId,
      userName: 'bob',
      callerContext: { clientId },
      request: { newDeviceUsed: true, userAttributes: expect.objectContaining({ sub: expect.any(String) }) },
    });
    const before = received.length;
    await cognito
      .send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: {
            REFRESH_TOKEN: result.AuthenticationResult?.RefreshToken ?? '',
            DEVICE_KEY: result.AuthenticationResult?.NewDeviceMetadata?.DeviceKey ?? '',
          },
        }),
      )
      .catch(() => undefined);
    expect(received).toHaveLength(before);
  });

  it('a trigger that throws fails the sign-in (UserLambdaValidationException) and leaves no session or device', async () => {
    behaviour = 'throw';
    const [s, d] = [sessions(), devices()];
    await expect(passwordSignIn()).rejects.toMatchObject({
      name: 'UserLambdaValidationException',
      message: 'PostAuthentication failed with error no.',
    });
    expect([sessions(), devices()]).toEqual([s, d]);
  });

  it('a trigger that takes over 5 s fails the sign-in (UnexpectedLambdaException)', async () => {
    behaviour = 'hang';
    await expect(passwordSignIn()).rejects.toMatchObject({
      name: 'UnexpectedLambdaException',
      message:
        'PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function.',
    });
  }, 15_000);
});
