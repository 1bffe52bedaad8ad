import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserPool } from 'amazon-cognito-identity-js';
import { CognitoStandIn } from '../../local/cognito/server.js';
import { createConfirmedUser } from '../../local/users.js';

/** A stand-in in the tests' region, and an AWS SDK client pointed at it. */
export async function startStandIn() {
  const standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
  const cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return { standIn, cognito };
}

/** A pool made as given, with one app client (`app`) allowing `flows` and preventing user-existence errors. */
export async function createPoolAndClient(
  cognito: CognitoIdentityProviderClient,
  pool: CreateUserPoolCommandInput,
  flows: ExplicitAuthFlowsType[],
): Promise<{ poolId: string; clientId: string }> {
  const { UserPool } = await cognito.send(new CreateUserPoolCommand(pool));
  const poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: flows,
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  return { poolId, clientId: UserPoolClient?.ClientId ?? '' };
}

/**
 * A stand-in with one pool, an SRP app client and one confirmed user, plus an amazon-cognito-identity-js
 * pool object pointed at it: the set-up of the tests that drive the stand-in with that library.
 */
export async function standInWithUser(options: {
  pool: Omit<CreateUserPoolCommandInput, 'PoolName'>;
  username: string;
  password: string;
}) {
  const { standIn, cognito } = await startStandIn();
  const { poolId, clientId } = await createPoolAndClient(cognito, { PoolName: 'library', ...options.pool }, [
    'ALLOW_USER_SRP_AUTH',
    'ALLOW_REFRESH_TOKEN_AUTH',
  ]);
  await createConfirmedUser(cognito, {
    userPoolId: poolId,
    username: options.username,
    password: options.password,
  });
  const userPool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: clientId,
    endpoint: standIn.url,
  });
  return { standIn, cognito, poolId, userPool };
}
