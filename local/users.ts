import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  type AttributeType,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';

/** Creates a user with a permanent password (status CONFIRMED), as an admin would, without any message. */
export async function createConfirmedUser(
  cognito: CognitoIdentityProviderClient,
  user: { userPoolId: string; username: string; password: string; attributes?: AttributeType[] },
): Promise<void> {
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: user.userPoolId,
      Username: user.username,
      MessageAction: 'SUPPRESS',
      ...(user.attributes && { UserAttributes: user.attributes }),
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: user.userPoolId,
      Username: user.username,
      Password: user.password,
      Permanent: true,
    }),
  );
}

/** Cognito answered a challenge (MFA, device SRP…) instead of tokens; the name says which. */
export class ChallengeRequiredError extends Error {
  constructor(readonly challengeName: string) {
    super(`Sign-in needs the ${challengeName} challenge, which this helper does not answer`);
    this.name = 'ChallengeRequiredError';
  }
}

/** Signs in with USER_PASSWORD_AUTH (and `DEVICE_KEY` when given); throws when Cognito answers a challenge. */
export async function passwordSignIn(
  cognito: CognitoIdentityProviderClient,
  signIn: { clientId: string; username: string; password: string; deviceKey?: string | undefined },
): Promise<AuthenticationResultType & { AccessToken: string }> {
  const { AuthenticationResult: result, ChallengeName } = await cognito.send(
    new InitiateAuthCommand({
      ClientId: signIn.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: {
        USERNAME: signIn.username,
        PASSWORD: signIn.password,
        ...(signIn.deviceKey && { DEVICE_KEY: signIn.deviceKey }),
      },
    }),
  );
  if (!result?.AccessToken)
    throw new Error(`Sign-in needs a challenge this helper does not answer: ${ChallengeName}`);
  return result as AuthenticationResultType & { AccessToken: string };
}
