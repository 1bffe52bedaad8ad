import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  AssociateSoftwareTokenCommand,
  type AttributeType,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { totpCode } from './cognito/totp.js';

/**
 * Creates a user with a permanent password (status CONFIRMED), as an admin would, without any message. Returns the
 * username Cognito gave them: the one asked for, or a UUID in a pool whose users sign in with their email.
 */
export async function createConfirmedUser(
  cognito: CognitoIdentityProviderClient,
  user: { userPoolId: string; username: string; password: string; attributes?: AttributeType[] },
): Promise<string> {
  const { User } = await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: user.userPoolId,
      Username: user.username,
      MessageAction: 'SUPPRESS',
      ...(user.attributes && { UserAttributes: user.attributes }),
    }),
  );
  const username = User?.Username ?? user.username;
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: user.userPoolId,
      Username: username,
      Password: user.password,
      Permanent: true,
    }),
  );
  return username;
}

/** Cognito answered a challenge (MFA, device SRP…) instead of tokens; the name says which. */
export class ChallengeRequiredError extends Error {
  constructor(readonly challengeName: string) {
    super(`Sign-in needs the ${challengeName} challenge, which this helper does not answer`);
    this.name = 'ChallengeRequiredError';
  }
}

/**
 * Signs in with USER_PASSWORD_AUTH (and `DEVICE_KEY` when given), answering the TOTP challenge with `totp`
 * when it is given; throws {@link ChallengeRequiredError} for any challenge it cannot answer.
 */
export async function passwordSignIn(
  cognito: CognitoIdentityProviderClient,
  signIn: {
    clientId: string;
    username: string;
    password: string;
    deviceKey?: string | undefined;
    totp?: (() => string) | undefined;
  },
): Promise<AuthenticationResultType & { AccessToken: string }> {
  let answer: {
    AuthenticationResult?: AuthenticationResultType;
    ChallengeName?: string;
    Session?: string;
    ChallengeParameters?: Record<string, string>;
  } = await cognito.send(
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
  if (answer.ChallengeName === 'SOFTWARE_TOKEN_MFA' && signIn.totp) {
    answer = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: signIn.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: answer.Session,
        // The user's username, which the challenge names whatever was typed (an email, an alias).
        ChallengeResponses: {
          USERNAME: answer.ChallengeParameters?.USER_ID_FOR_SRP ?? signIn.username,
          SOFTWARE_TOKEN_MFA_CODE: signIn.totp(),
        },
      }),
    );
  }
  const result = answer.AuthenticationResult;
  if (!result?.AccessToken) throw new ChallengeRequiredError(answer.ChallengeName ?? 'unknown');
  return result as AuthenticationResultType & { AccessToken: string };
}

/**
 * Enrols the signed-in user in TOTP MFA as an authenticator app would: associate, verify a first code, make it
 * the preferred factor. Returns the secret (base32), from which `totpCode` computes the current code.
 */
export async function enrolTotp(
  cognito: CognitoIdentityProviderClient,
  accessToken: string,
): Promise<string> {
  const { SecretCode = '' } = await cognito.send(
    new AssociateSoftwareTokenCommand({ AccessToken: accessToken }),
  );
  await cognito.send(
    new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(SecretCode, Date.now()) }),
  );
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }),
  );
  return SecretCode;
}
