import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserPool } from 'amazon-cognito-identity-js';
import { CognitoStandIn } from '../../local/cognito/server.js';
import { createConfirmedUser } from '../../local/users.js';

/**
 * A stand-in with one pool, an SRP app client and one confirmed user, plus an amazon-cognito-identity-js
 * pool object pointed at it: the set-up of the tests that drive the stand-in with that library.
 */
export async function standInWithUser(options: {
  pool: Omit<CreateUserPoolCommandInput, 'PoolName'>;
  username: string;
  password: string;
}) {
  const standIn = await CognitoStandIn.start({ region: 'eu-west-1' });
  const cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({ PoolName: 'library', ...options.pool }),
  );
  const poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'spa',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  await createConfirmedUser(cognito, {
    userPoolId: poolId,
    username: options.username,
    password: options.password,
  });
  const userPool = new CognitoUserPool({
    UserPoolId: poolId,
    ClientId: UserPoolClient?.ClientId ?? '',
    endpoint: standIn.url,
  });
  return { standIn, cognito, poolId, userPool };
}
