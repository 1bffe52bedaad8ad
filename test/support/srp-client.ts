import { createHmac } from 'node:crypto';
import {
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
  type InitiateAuthCommandOutput,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import AuthenticationHelper from 'amazon-cognito-identity-js/lib/AuthenticationHelper.js';
import BigInteger from 'amazon-cognito-identity-js/lib/BigInteger.js';
import DateHelper from 'amazon-cognito-identity-js/lib/DateHelper.js';

/**
 * An SRP sign-in driven step by step with the AWS SDK, its math done by amazon-cognito-identity-js's own
 * AuthenticationHelper (an implementation independent of the stand-in's). Unlike the library's
 * `authenticateUser`, it does not confirm new devices itself, so a test can confirm them through the BFF.
 */
export interface SrpSignIn {
  cognito: CognitoIdentityProviderClient;
  clientId: string;
  poolName: string;
  username: string;
  password: string;
  /** A device the app keeps: sent as DEVICE_KEY, and proven with DEVICE_SRP_AUTH when asked. */
  device?: { key: string; groupKey: string; password: string };
  /** Answers SOFTWARE_TOKEN_MFA. */
  totp?: () => string;
  /**
   * Computes the password claim over the name typed instead of `USER_ID_FOR_SRP`, as a client that ignores it would
   * (cognito-srp-helper before its PR #28): for the test that proves the SRP math uses the real username.
   */
  ignoreUserIdForSrp?: boolean;
  /** Answers PASSWORD_VERIFIER with this USERNAME (the claim still computed for the user): another user's name. */
  answerAs?: string;
}

export interface SrpResult {
  /** Every challenge Cognito asked, in order. */
  challenges: string[];
  /**
   * Cognito refused the device at PASSWORD_VERIFIER ("Device does not exist."), and the sign-in went on
   * without it by answering the same challenge again, as amazon-cognito-identity-js and amplify-js do.
   */
  deviceRefused: boolean;
  result: NonNullable<InitiateAuthCommandOutput['AuthenticationResult']>;
}

type Step = {
  ChallengeName?: string;
  Session?: string;
  ChallengeParameters?: Record<string, string>;
  AuthenticationResult?: SrpResult['result'];
};

async function claim(
  helper: AuthenticationHelper,
  userId: string,
  secret: string,
  identity: string,
  params: Record<string, string>,
) {
  const key = await new Promise<Uint8Array>((resolve, reject) =>
    helper.getPasswordAuthenticationKey(
      userId,
      secret,
      new BigInteger(params.SRP_B ?? '', 16),
      new BigInteger(params.SALT ?? '', 16),
      (e, k) => (e ? reject(e) : resolve(k)),
    ),
  );
  const timestamp = new DateHelper().getNowString();
  const signature = createHmac('sha256', Buffer.from(key))
    .update(
      Buffer.concat([
        Buffer.from(identity),
        Buffer.from(userId),
        Buffer.from(params.SECRET_BLOCK ?? '', 'base64'),
        Buffer.from(timestamp),
      ]),
    )
    .digest('base64');
  return {
    PASSWORD_CLAIM_SECRET_BLOCK: params.SECRET_BLOCK ?? '',
    TIMESTAMP: timestamp,
    PASSWORD_CLAIM_SIGNATURE: signature,
  };
}

export async function srpSignIn(s: SrpSignIn): Promise<SrpResult> {
  const challenges: string[] = [];
  const userHelper = new AuthenticationHelper(s.poolName);
  const srpA = await new Promise<string>((resolve, reject) =>
    userHelper.getLargeAValue((e, a) => (e ? reject(e) : resolve(a.toString(16)))),
  );
  let step: Step = await s.cognito.send(
    new InitiateAuthCommand({
      ClientId: s.clientId,
      AuthFlow: 'USER_SRP_AUTH',
      // As amplify-js does, the device is named at PASSWORD_VERIFIER, not in InitiateAuth.
      AuthParameters: { USERNAME: s.username, SRP_A: srpA },
    }),
  );
  let deviceHelper: AuthenticationHelper | undefined;
  let device = s.device;
  let deviceRefused = false;
  // The user's username, once Cognito names it: the clients answer every later challenge with it.
  let username = s.username;
  while (!step.AuthenticationResult) {
    const name = step.ChallengeName ?? 'none';
    challenges.push(name);
    const params = step.ChallengeParameters ?? {};
    let responses: Record<string, string>;
    if (name === 'PASSWORD_VERIFIER') {
      const userId = s.ignoreUserIdForSrp ? s.username : (params.USER_ID_FOR_SRP ?? s.username);
      username = userId;
      responses = {
        USERNAME: s.answerAs ?? userId,
        ...(await claim(userHelper, userId, s.password, s.poolName, params)),
        ...(device && { DEVICE_KEY: device.key }),
      };
    } else if (name === 'SOFTWARE_TOKEN_MFA' && s.totp) {
      responses = { USERNAME: username, SOFTWARE_TOKEN_MFA_CODE: s.totp() };
    } else if (name === 'DEVICE_SRP_AUTH' && device) {
      deviceHelper = new AuthenticationHelper(device.groupKey);
      const a = await new Promise<string>((resolve, reject) =>
        deviceHelper?.getLargeAValue((e, v) => (e ? reject(e) : resolve(v.toString(16)))),
      );
      responses = { USERNAME: username, DEVICE_KEY: device.key, SRP_A: a };
    } else if (name === 'DEVICE_PASSWORD_VERIFIER' && device && deviceHelper) {
      responses = {
        USERNAME: username,
        DEVICE_KEY: device.key,
        ...(await claim(deviceHelper, device.key, device.password, device.groupKey, params)),
      };
    } else {
      return Promise.reject(Object.assign(new Error(`unanswered challenge ${name}`), { challenges }));
    }
    const respond = (challengeResponses: Record<string, string>) =>
      s.cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: s.clientId,
          ChallengeName: name as never,
          Session: step.Session,
          ChallengeResponses: challengeResponses,
        }),
      );
    try {
      step = await respond(responses);
    } catch (error) {
      // amplify-js retryOnResourceNotFoundException: the same challenge and Session, without the device.
      const stale =
        name === 'PASSWORD_VERIFIER' &&
        device !== undefined &&
        (error as Error).name === 'ResourceNotFoundException' &&
        (error as Error).message.includes('Device does not exist.');
      if (!stale) throw error;
      const { DEVICE_KEY: _dropped, ...withoutDevice } = responses;
      device = undefined;
      deviceRefused = true;
      step = await respond(withoutDevice);
    }
  }
  return { challenges, deviceRefused, result: step.AuthenticationResult };
}
