import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { StageConfig } from '../infra/config.js';
import { deviceConfiguration } from '../infra/device-tracking.js';
import { userPoolTier } from '../infra/feature-plan.js';
import { allowedFirstAuthFactors } from '../infra/passwordless.js';
import { type SignInKind, signInAttributes } from '../infra/sign-in.js';
import type { Store } from './cognito/state.js';
import { createConfirmedUser, enrolTotp, passwordSignIn } from './users.js';

/**
 * The demo user: signs in with the email (verified) in either kind of pool; `demo` is also their username in a pool
 * where users have one (`signInWith: username`).
 */
export const DEMO_USER = { username: 'demo', password: 'Demo-passw0rd', email: 'demo@example.com' } as const;

const MFA = { off: 'OFF', optional: 'OPTIONAL', required: 'ON' } as const;

export interface BootstrapResult {
  readonly userPoolId: string;
  readonly clients: { readonly mobile: string; readonly spa: string };
  /**
   * The demo user's TOTP secret (base32) when the pool has MFA: development only, so that the demo can show
   * a remembered device skipping MFA (`npm run -s totp` prints the current code).
   */
  readonly demoTotpSecret: string | undefined;
}

/**
 * Makes the stand-in hold the pool the stack would create, idempotently: the pool (found by name) gets the
 * stage's device-tracking and MFA settings, then the `mobile` and `spa` clients and the demo user are
 * created if missing. It goes through the AWS SDK like any client; only the look-ups by name read the store,
 * because the stand-in has no List* operations.
 */
export async function bootstrapPool(
  endpoint: string,
  store: Store,
  config: Pick<StageConfig, 'stage' | 'deviceTracking' | 'mfa'> &
    Partial<
      Pick<
        StageConfig,
        | 'refreshTokenRotation'
        | 'refreshTokenRotationGraceSeconds'
        | 'usernameCaseSensitive'
        | 'featurePlan'
        | 'signInWith'
        | 'passwordless'
        | 'passkeyRelyingPartyId'
      >
    >,
  region: string,
  /** The post-authentication trigger's ARN, for `LambdaConfig` (as the stack attaches its trigger). */
  postAuthenticationArn?: string,
  /** Told when the local pool is replaced or migrated (stderr unless given: it is never silenced). */
  warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<BootstrapResult> {
  const cognito = new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const poolName = `device-bff-${config.stage}`;
  const device = deviceConfiguration(config.deviceTracking);
  // As the stack creates it (infra/device-bff-stack.ts): recovery by verified email only, email verified before
  // a change takes effect; usernames case-insensitive unless the stage says otherwise (set at creation only).
  const settings = {
    MfaConfiguration: MFA[config.mfa],
    DeviceConfiguration: device && {
      ChallengeRequiredOnNewDevice: device.challengeRequiredOnNewDevice,
      DeviceOnlyRememberedOnUserPrompt: device.deviceOnlyRememberedOnUserPrompt,
    },
    UserPoolTier: userPoolTier[config.featurePlan ?? 'essentials'],
    Policies: {
      SignInPolicy: { AllowedFirstAuthFactors: allowedFirstAuthFactors(config.passwordless ?? []) },
    },
    ...(postAuthenticationArn && { LambdaConfig: { PostAuthentication: postAuthenticationArn } }),
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email' as const, Priority: 1 }] },
    AutoVerifiedAttributes: ['email' as const],
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email' as const] },
  };
  // Fixed at creation, as in Cognito: what users sign in with, and whether case matters.
  const signInWith: SignInKind = config.signInWith ?? 'username';
  const creation = {
    ...signInAttributes(signInWith),
    // A local pool is new unless the stage says it stands for one deployed before (case-sensitive, the API default).
    UsernameConfiguration: {
      CaseSensitive: config.usernameCaseSensitive === 'existing' || config.usernameCaseSensitive === true,
    },
  };
  let pool = Object.values(store.data.pools).find((p) => p.name === poolName);
  if (
    pool &&
    signInWith === 'username' &&
    !pool.settings.AliasAttributes &&
    !pool.settings.UsernameAttributes
  ) {
    // A local pool from before the email alias: the deployed pool always had it, so it is added, nothing replaced.
    pool.settings.AliasAttributes = ['email'];
    warn(
      `The local pool ${pool.id} now lets users sign in with their verified email, as the deployed pool does.`,
    );
  }
  if (pool && !createdAs(pool.settings, creation)) {
    // CloudFormation replaces a pool whose sign-in settings change, and its users with it; so does the local stack.
    warn(
      `The stage's sign-in settings (signInWith, usernameCaseSensitive) differ from the local pool ${pool.id}'s: it is ` +
        'replaced, with its users and devices, as CloudFormation would replace the deployed pool.',
    );
    delete store.data.pools[pool.id];
    pool = undefined;
  }
  if (pool) {
    await cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.id, ...settings }));
  } else {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: poolName, ...settings, ...creation }),
    );
    pool = UserPool?.Id ? store.data.pools[UserPool.Id] : undefined;
  }
  if (!pool) throw new Error('The stand-in did not create the pool');
  const userPoolId = pool.id;
  if (config.passwordless?.includes('passkey')) {
    // The passkeys' relying party, as the stack's WebAuthnRelyingPartyID (locally `localhost`, where the SPA runs).
    await cognito.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: userPoolId,
        WebAuthnConfiguration: {
          RelyingPartyId: config.passkeyRelyingPartyId ?? 'localhost',
          UserVerification: 'required',
        },
      }),
    );
  }

  const clientId = async (name: 'mobile' | 'spa') => {
    const clientName = `${name}-${config.stage}`;
    const rotates = config.refreshTokenRotation?.includes(name) ?? false;
    // As the stack's clients (a rotating client refreshes only with GetTokensFromRefreshToken), plus
    // USER_PASSWORD_AUTH so `npm run token` and the tests can sign in simply.
    const settings = {
      UserPoolId: userPoolId,
      ClientName: clientName,
      ExplicitAuthFlows: [
        'ALLOW_USER_SRP_AUTH' as const,
        'ALLOW_USER_PASSWORD_AUTH' as const,
        ...(config.passwordless?.length ? ['ALLOW_USER_AUTH' as const] : []),
        ...(rotates ? [] : ['ALLOW_REFRESH_TOKEN_AUTH' as const]),
      ],
      PreventUserExistenceErrors: 'ENABLED' as const,
      EnableTokenRevocation: true,
      ...(rotates && {
        RefreshTokenRotation: {
          Feature: 'ENABLED' as const,
          RetryGracePeriodSeconds: config.refreshTokenRotationGraceSeconds ?? 10,
        },
      }),
    };
    const existing = Object.values(store.data.pools[userPoolId]?.clients ?? {}).find(
      (c) => c.clientName === clientName,
    );
    if (existing) {
      // The stage's settings may have changed since the state file was written.
      await cognito.send(new UpdateUserPoolClientCommand({ ...settings, ClientId: existing.clientId }));
      return existing.clientId;
    }
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({ ...settings, GenerateSecret: false }),
    );
    if (!UserPoolClient?.ClientId) throw new Error('The stand-in did not create the client');
    return UserPoolClient.ClientId;
  };
  const clients = { mobile: await clientId('mobile'), spa: await clientId('spa') };

  const demoUsername =
    (await usernameOf(cognito, userPoolId, DEMO_USER.email)) ??
    (await createConfirmedUser(cognito, {
      userPoolId,
      username: signInWith === 'email' ? DEMO_USER.email : DEMO_USER.username,
      password: DEMO_USER.password,
      attributes: [
        // In an email pool the username is the email; a second copy would have to be identical.
        ...(signInWith === 'email' ? [] : [{ Name: 'email', Value: DEMO_USER.email }]),
        { Name: 'email_verified', Value: 'true' },
      ],
    }));
  const demoTotpSecret =
    config.mfa === 'off'
      ? undefined
      : await enrolDemoUser(cognito, store, userPoolId, demoUsername, clients.mobile);
  store.save();
  cognito.destroy();
  return { userPoolId, clients, demoTotpSecret };
}

/** Whether a pool was created with these sign-in settings (members Cognito cannot update). */
function createdAs(settings: Record<string, unknown>, creation: Record<string, unknown>): boolean {
  return ['UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration'].every(
    (key) => JSON.stringify(settings[key]) === JSON.stringify(creation[key]),
  );
}

/** The username of the user a name (an email, an alias) signs in, or undefined when nobody has it. */
async function usernameOf(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  name: string,
): Promise<string | undefined> {
  try {
    const { Username } = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: userPoolId, Username: name }),
    );
    return Username;
  } catch (error) {
    if ((error as Error).name === 'UserNotFoundException') return undefined;
    throw error;
  }
}

/** Enrols the demo user in TOTP MFA (once): associate, verify a first code, prefer it. */
async function enrolDemoUser(
  cognito: CognitoIdentityProviderClient,
  store: Store,
  userPoolId: string,
  username: string,
  clientId: string,
): Promise<string> {
  const enrolled = store.data.pools[userPoolId]?.users[username]?.totp;
  if (enrolled?.enabled && enrolled.secret) return enrolled.secret;
  const { AccessToken } = await passwordSignIn(cognito, {
    clientId,
    username: DEMO_USER.email,
    password: DEMO_USER.password,
  });
  return enrolTotp(cognito, AccessToken);
}
