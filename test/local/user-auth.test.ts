import {
  type CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DeleteWebAuthnCredentialCommand,
  DescribeUserPoolCommand,
  type ExplicitAuthFlowsType,
  InitiateAuthCommand,
  ListDevicesCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoStandIn } from '../../local/cognito/server.js';
import { createConfirmedUser, enrolTotp } from '../../local/users.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { createPoolAndClient, startStandIn } from '../support/stand-in.js';

// Choice-based sign-in (USER_AUTH) on the stand-in, through the AWS SDK as an app would call it.
const PASSWORD = 'Choice-passw0rd!';
let standIn: CognitoStandIn;
let cognito: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

/** A pool with optional TOTP, device tracking, and the password plus `factor` as first factors. */
const poolOf = (name: string, factor: 'EMAIL_OTP' | 'WEB_AUTHN') => ({
  PoolName: name,
  MfaConfiguration: 'OPTIONAL' as const,
  DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
  Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD' as const, factor] } },
});
const FLOWS = [
  'ALLOW_USER_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
] as ExplicitAuthFlowsType[];

const email = (name: string) => [
  { Name: 'email', Value: `${name}@example.com` },
  { Name: 'email_verified', Value: 'true' },
];

beforeAll(async () => {
  ({ standIn, cognito } = await startStandIn());
  ({ poolId, clientId } = await createPoolAndClient(cognito, poolOf('passwordless', 'EMAIL_OTP'), FLOWS));
  await createConfirmedUser(cognito, {
    userPoolId: poolId,
    username: 'ada',
    password: PASSWORD,
    attributes: email('ada'),
  });
});
afterAll(async () => {
  await standIn.close();
});

const start = (username: string, extra: Record<string, string> = {}) =>
  cognito.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, ...extra },
    }),
  );
const respond = (challengeName: string, session: string | undefined, responses: Record<string, string>) =>
  cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: challengeName as never,
      Session: session,
      ChallengeResponses: responses,
    }),
  );
const lastCode = () => standIn.messages.at(-1)?.code ?? '';

describe('USER_AUTH on the stand-in', () => {
  it('keeps the pool’s first factors, and refuses passwordless ones on the Lite plan or with MFA required', async () => {
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors).toEqual(['PASSWORD', 'EMAIL_OTP']);
    await expect(
      cognito.send(
        new CreateUserPoolCommand({
          PoolName: 'lite',
          UserPoolTier: 'LITE',
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'FeatureUnavailableInTierException',
      message: expect.stringContaining('Passwordless Sign-In'),
    });
    await expect(
      cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: poolId,
          MfaConfiguration: 'ON',
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/MFA/) });
    const { UserPool: lite } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'lite-password', UserPoolTier: 'LITE' }),
    );
    await expect(
      cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: lite?.Id ?? '',
          ClientName: 'app',
          ExplicitAuthFlows: ['ALLOW_USER_AUTH'],
        }),
      ),
    ).rejects.toMatchObject({ name: 'FeatureUnavailableInTierException' });
  });

  it('offers what this user can do, then signs in with an email code and issues a new device', async () => {
    const first = await start('ada');
    expect(first.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(first.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const sent = standIn.messages.length;
    const code = await respond('SELECT_CHALLENGE', first.Session, { USERNAME: 'ada', ANSWER: 'EMAIL_OTP' });
    expect(code.ChallengeName).toBe('EMAIL_OTP');
    expect(code.ChallengeParameters).toMatchObject({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'a***@e***',
    });
    expect(standIn.messages.slice(sent)).toEqual([
      {
        to: 'ada@example.com',
        type: 'EMAIL_OTP',
        code: expect.stringMatching(/^\d{8}$/),
        time: expect.any(String),
      },
    ]);
    // The same list over HTTP, as `npm start` serves it for people and tests.
    const messages = (await (await fetch(`${standIn.url}/_local/messages`)).json()) as unknown[];
    expect(messages.at(-1)).toEqual(standIn.messages.at(-1));
    const done = await respond('EMAIL_OTP', code.Session, { USERNAME: 'ada', EMAIL_OTP_CODE: lastCode() });
    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const device = done.AuthenticationResult?.NewDeviceMetadata?.DeviceKey;
    expect(device).toMatch(/^eu-west-1_/);
  });

  it('refuses a wrong code and ends that session', async () => {
    const code = await start('ada', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(code.ChallengeName).toBe('EMAIL_OTP');
    const wrong = lastCode() === '00000000' ? '11111111' : '00000000';
    await expect(
      respond('EMAIL_OTP', code.Session, { USERNAME: 'ada', EMAIL_OTP_CODE: wrong }),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await expect(
      respond('EMAIL_OTP', code.Session, { USERNAME: 'ada', EMAIL_OTP_CODE: lastCode() }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('takes the password inline, as the preferred challenge or the answer to SELECT_CHALLENGE', async () => {
    const direct = await start('ada', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    expect(direct.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const select = await start('ada');
    await expect(
      respond('SELECT_CHALLENGE', select.Session, { USERNAME: 'ada', ANSWER: 'PASSWORD', PASSWORD: 'wrong' }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    const again = await start('ada');
    const srp = await respond('SELECT_CHALLENGE', again.Session, {
      USERNAME: 'ada',
      ANSWER: 'PASSWORD_SRP',
      SRP_A: 'ab'.repeat(192),
    });
    expect(srp.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(srp.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: 'ada', SRP_B: expect.any(String) });
  });

  it('offers no email code to a user without a verified email, nor to one with MFA; a stranger fails as a wrong password', async () => {
    await createConfirmedUser(cognito, { userPoolId: poolId, username: 'bob', password: PASSWORD });
    expect((await start('bob')).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    expect((await start('bob', { PREFERRED_CHALLENGE: 'EMAIL_OTP' })).ChallengeName).toBe('SELECT_CHALLENGE');

    await createConfirmedUser(cognito, {
      userPoolId: poolId,
      username: 'cy',
      password: PASSWORD,
      attributes: email('cy'),
    });
    const { accessToken } = await passwordTokens('cy');
    await enrolTotp(cognito, accessToken);
    expect((await start('cy')).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    // A password first factor still asks for the MFA code.
    const mfa = await start('cy', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    expect(mfa.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');

    const stranger = await start('nobody');
    expect(stranger.ChallengeName).toBe('SELECT_CHALLENGE');
    await expect(
      respond('SELECT_CHALLENGE', stranger.Session, { USERNAME: 'nobody', ANSWER: 'PASSWORD', PASSWORD }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('the device an email-code sign-in issues waits for ConfirmDevice, as after a password sign-in', async () => {
    const signedIn = await start('ada', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    const done = await respond('EMAIL_OTP', signedIn.Session, {
      USERNAME: 'ada',
      EMAIL_OTP_CODE: lastCode(),
    });
    const accessToken = done.AuthenticationResult?.AccessToken ?? '';
    const listed = await cognito.send(new ListDevicesCommand({ AccessToken: accessToken }));
    // Issued, not confirmed: the app confirms it (ConfirmDevice) as after a password sign-in.
    expect(listed.Devices ?? []).toEqual([]);
  });
});

async function passwordTokens(username: string) {
  const result = await start(username, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
  return { accessToken: result.AuthenticationResult?.AccessToken ?? '' };
}

describe('USER_AUTH refuses what a password sign-in refuses, and tells no stranger apart', () => {
  const userIn = (username: string) => {
    const user = standIn.store.data.pools[poolId]?.users[username];
    if (!user) throw new Error(`no user ${username}`);
    return user;
  };

  it('a disabled user signs in no way, not even with a code sent before; a password to reset is said so', async () => {
    await createConfirmedUser(cognito, {
      userPoolId: poolId,
      username: 'dora',
      password: PASSWORD,
      attributes: email('dora'),
    });
    const code = await start('dora', { PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    // The stand-in has no AdminDisableUser: the user is disabled in its state, as the operation would.
    userIn('dora').enabled = false;
    await expect(
      respond('EMAIL_OTP', code.Session, { USERNAME: 'dora', EMAIL_OTP_CODE: lastCode() }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'User is disabled.' });
    await expect(start('dora')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
    userIn('dora').enabled = true;
    userIn('dora').status = 'RESET_REQUIRED';
    await expect(start('dora')).rejects.toMatchObject({ name: 'PasswordResetRequiredException' });
  });

  it('a stranger is offered the email code too, is "sent" one nobody receives, and any code is a wrong code', async () => {
    const sent = standIn.messages.length;
    const first = await start('nobody@example.com');
    expect(first.AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const code = await respond('SELECT_CHALLENGE', first.Session, {
      USERNAME: 'nobody@example.com',
      ANSWER: 'EMAIL_OTP',
    });
    expect(code.ChallengeName).toBe('EMAIL_OTP');
    expect(code.ChallengeParameters?.CODE_DELIVERY_DESTINATION).toBe('n***@e***');
    expect(standIn.messages.length).toBe(sent);
    await expect(
      respond('EMAIL_OTP', code.Session, { USERNAME: 'nobody@example.com', EMAIL_OTP_CODE: '12345678' }),
    ).rejects.toMatchObject({ name: 'CodeMismatchException' });
  });

  it('MFA required cannot be set on a pool whose first factors include an email code', async () => {
    await expect(
      cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, MfaConfiguration: 'ON' })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringMatching(/MFA/) });
  });
});

describe('passkeys on the stand-in', () => {
  let passkeyPool: string;
  let passkeyClient: string;
  const ORIGIN = 'http://localhost:5173';

  beforeAll(async () => {
    ({ poolId: passkeyPool, clientId: passkeyClient } = await createPoolAndClient(
      cognito,
      poolOf('passkeys', 'WEB_AUTHN'),
      FLOWS,
    ));
    await cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: passkeyPool,
        WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
      }),
    );
    await createConfirmedUser(cognito, { userPoolId: passkeyPool, username: 'kay', password: PASSWORD });
  });

  const signInKay = async (extra: Record<string, string> = {}) =>
    cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: passkeyClient,
        AuthParameters: { USERNAME: 'kay', ...extra },
      }),
    );
  const tokenOfKay = async () =>
    (await signInKay({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).AuthenticationResult?.AccessToken ?? '';

  it('registers a passkey checked for real, lists it, signs in with it, and deletes it', async () => {
    const accessToken = await tokenOfKay();
    // No passkey yet: no WEB_AUTHN to choose.
    expect((await signInKay()).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
    const authenticator = new SoftAuthenticator(ORIGIN);
    const { CredentialCreationOptions: options } = await cognito.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }),
    );
    expect(options).toMatchObject({
      rp: { id: 'localhost' },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    });
    await cognito.send(
      new CompleteWebAuthnRegistrationCommand({
        AccessToken: accessToken,
        Credential: authenticator.create(options as never) as never,
      }),
    );
    const { Credentials } = await cognito.send(
      new ListWebAuthnCredentialsCommand({ AccessToken: accessToken }),
    );
    expect(Credentials).toEqual([
      expect.objectContaining({
        CredentialId: authenticator.credentialId,
        RelyingPartyId: 'localhost',
        AuthenticatorAttachment: 'platform',
        AuthenticatorTransports: ['internal', 'hybrid'],
        CreatedAt: expect.any(Date),
      }),
    ]);

    const started = await signInKay({ PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    expect(started.ChallengeName).toBe('WEB_AUTHN');
    const requestOptions = JSON.parse(started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}');
    expect(requestOptions).toMatchObject({
      rpId: 'localhost',
      userVerification: 'required',
      allowCredentials: [expect.objectContaining({ id: authenticator.credentialId })],
    });
    const signedIn = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: passkeyClient,
        ChallengeName: 'WEB_AUTHN',
        Session: started.Session,
        ChallengeResponses: {
          USERNAME: 'kay',
          CREDENTIAL: JSON.stringify(authenticator.get(requestOptions)),
        },
      }),
    );
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(signedIn.AuthenticationResult?.NewDeviceMetadata?.DeviceKey).toMatch(/^eu-west-1_/);

    // Another origin's page (phishing) cannot use the passkey, nor can an answer replayed on a new challenge.
    const phished = await signInKay({ PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    const phishedOptions = JSON.parse(phished.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}');
    await expect(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: passkeyClient,
          ChallengeName: 'WEB_AUTHN',
          Session: phished.Session,
          ChallengeResponses: {
            USERNAME: 'kay',
            CREDENTIAL: JSON.stringify(authenticator.get(phishedOptions, 'https://login.example.net')),
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const replay = await signInKay({ PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    await expect(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: passkeyClient,
          ChallengeName: 'WEB_AUTHN',
          Session: replay.Session,
          ChallengeResponses: {
            USERNAME: 'kay',
            CREDENTIAL: JSON.stringify(authenticator.get(requestOptions)),
          },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    // A signature that is not the passkey's.
    const forged = await signInKay({ PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    const answer = authenticator.get(
      JSON.parse(forged.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}'),
    );
    const signature = Buffer.from(answer.response.signature, 'base64url');
    signature[signature.length - 1] = (signature.at(-1) ?? 0) ^ 0xff;
    answer.response.signature = signature.toString('base64url');
    await expect(
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: passkeyClient,
          ChallengeName: 'WEB_AUTHN',
          Session: forged.Session,
          ChallengeResponses: { USERNAME: 'kay', CREDENTIAL: JSON.stringify(answer) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    await cognito.send(
      new DeleteWebAuthnCredentialCommand({
        AccessToken: accessToken,
        CredentialId: authenticator.credentialId,
      }),
    );
    await expect(
      cognito.send(
        new DeleteWebAuthnCredentialCommand({
          AccessToken: accessToken,
          CredentialId: authenticator.credentialId,
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect((await signInKay()).AvailableChallenges).toEqual(['PASSWORD', 'PASSWORD_SRP']);
  });

  it('refuses a registration from another origin, one never started, and passkeys where the pool has none', async () => {
    const accessToken = await tokenOfKay();
    const { CredentialCreationOptions: options } = await cognito.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }),
    );
    await expect(
      cognito.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: accessToken,
          Credential: new SoftAuthenticator('https://evil.example.net').create(options as never) as never,
        }),
      ),
    ).rejects.toMatchObject({ name: 'WebAuthnOriginNotAllowedException' });
    // The challenge was used by that attempt.
    await expect(
      cognito.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: accessToken,
          Credential: new SoftAuthenticator(ORIGIN).create(options as never) as never,
        }),
      ),
    ).rejects.toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });
    // The first pool allows no passkeys.
    const ada = await start('ada', { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });
    await expect(
      cognito.send(
        new StartWebAuthnRegistrationCommand({ AccessToken: ada.AuthenticationResult?.AccessToken ?? '' }),
      ),
    ).rejects.toMatchObject({ name: 'WebAuthnNotEnabledException' });
  });

  it('one passkey answer sent twice at once on the same session signs in once', async () => {
    const accessToken = await tokenOfKay();
    const authenticator = new SoftAuthenticator(ORIGIN);
    const { CredentialCreationOptions: options } = await cognito.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }),
    );
    await cognito.send(
      new CompleteWebAuthnRegistrationCommand({
        AccessToken: accessToken,
        Credential: authenticator.create(options as never) as never,
      }),
    );
    const started = await signInKay({ PREFERRED_CHALLENGE: 'WEB_AUTHN' });
    const answer = JSON.stringify(
      authenticator.get(JSON.parse(started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}')),
    );
    const send = () =>
      cognito.send(
        new RespondToAuthChallengeCommand({
          ClientId: passkeyClient,
          ChallengeName: 'WEB_AUTHN',
          Session: started.Session,
          ChallengeResponses: { USERNAME: 'kay', CREDENTIAL: answer },
        }),
      );
    const outcomes = await Promise.allSettled([send(), send()]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('holds 20 passkeys a user: the 21st registration is LimitExceededException', async () => {
    await createConfirmedUser(cognito, { userPoolId: passkeyPool, username: 'many', password: PASSWORD });
    const accessToken =
      (
        await cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_AUTH',
            ClientId: passkeyClient,
            AuthParameters: { USERNAME: 'many', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD },
          }),
        )
      ).AuthenticationResult?.AccessToken ?? '';
    for (let i = 0; i < 20; i++) {
      const { CredentialCreationOptions: options } = await cognito.send(
        new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }),
      );
      await cognito.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: accessToken,
          Credential: new SoftAuthenticator(ORIGIN).create(options as never) as never,
        }),
      );
    }
    await expect(
      cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken })),
    ).rejects.toMatchObject({ name: 'LimitExceededException' });
  });
});
