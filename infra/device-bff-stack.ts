import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  type IUserPool,
  type IUserPoolClient,
  Mfa,
  OAuthScope,
  PasskeyUserVerification,
  UserPool,
  UserPoolClient,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { rememberForSeconds, type StageConfig, StageConfigError } from './config.js';
import { DeviceBff, DeviceBffConfigError, LogLevel } from './device-bff.js';
import { deviceConfiguration } from './device-tracking.js';
import { userPoolTier } from './feature-plan.js';
import { signInAliases } from './sign-in.js';

export interface DeviceBffStackProps extends StackProps {
  readonly config: StageConfig;
}

const mfaModes = { off: Mfa.OFF, optional: Mfa.OPTIONAL, required: Mfa.REQUIRED } as const;

/** The attributes app clients may write (UpdateUserAttributes): the user's name and email, nothing else. */
const CLIENT_WRITE_ATTRIBUTES = new ClientAttributes().withStandardAttributes({
  email: true,
  fullname: true,
  givenName: true,
  familyName: true,
  preferredUsername: true,
  locale: true,
  timezone: true,
});

/**
 * The example app built from the {@link DeviceBff} construct: the user pool with device tracking and its app clients
 * (or an existing pool), the construct with the stage's settings, and the outputs ops need.
 */
export class DeviceBffStack extends Stack {
  readonly bff: DeviceBff;

  constructor(scope: Construct, id: string, props: DeviceBffStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { userPool, clients } = config.existingUserPool
      ? this.importUserPool(config.existingUserPool)
      : this.createUserPool(config);
    const rememberFor = rememberForSeconds(config);
    try {
      this.bff = new DeviceBff(this, 'Bff', {
        userPool,
        userPoolClients: clients,
        name: config.stage,
        fullDeviceView: config.fullDeviceView,
        throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
        reservedConcurrency: config.reservedConcurrency,
        forgetOthers: {
          reservedConcurrency: config.forgetOthersConcurrency,
          rateLimit: config.forgetOthersRateLimit,
          burstLimit: config.forgetOthersBurstLimit,
        },
        accountConcurrency: config.accountConcurrency,
        postAuthenticationConcurrency: config.triggerConcurrency,
        corsOrigins: config.spaOrigins,
        ...(config.edge && {
          edge: {
            rateLimitPerIp: config.edgeRateLimitPerIp,
            rateLimitPerToken: config.edgeRateLimitPerToken,
            authorizerConcurrency: config.edgeAuthorizerConcurrency,
          },
        }),
        ...(rememberFor !== undefined && { rememberFor: Duration.seconds(rememberFor) }),
        logRetention: config.logRetentionDays as RetentionDays,
        logLevel: LogLevel[config.logLevel],
      });
    } catch (error) {
      // The same check in the stage's words: which `-c` keys to change.
      if (error instanceof DeviceBffConfigError) {
        throw new StageConfigError(
          `${error.message} Stage context keys: accountConcurrency, reservedConcurrency, forgetOthersConcurrency, ` +
            'edgeAuthorizerConcurrency, triggerConcurrency.',
        );
      }
      throw error;
    }

    // A pool the stack creates gets the trigger that publishes "New device sign-in"; an imported one is the
    // owner's to change (docs/features.md, "A new device signed in to your account").
    if (userPool instanceof UserPool && this.bff.postAuthentication) {
      userPool.addTrigger(UserPoolOperation.POST_AUTHENTICATION, this.bff.postAuthentication);
    }
    new CfnOutput(this, 'ApiUrl', { value: this.bff.url, description: 'Where apps call the API' });
    if (this.bff.alarmTopic) {
      new CfnOutput(this, 'AlarmTopicArn', {
        value: this.bff.alarmTopic.topicArn,
        description: 'Subscribe ops to the alarms',
      });
    }
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'AppClientIds', { value: clients.map((c) => c.userPoolClientId).join(',') });
  }

  /**
   * An existing pool and its clients. The pool's ARN is in the region its id names, in this stack's account (admin
   * calls cannot cross accounts).
   */
  private importUserPool(existing: { userPoolId: string; clientIds: readonly string[] }): {
    userPool: IUserPool;
    clients: IUserPoolClient[];
  } {
    const { userPoolId } = existing;
    const userPool = UserPool.fromUserPoolArn(
      this,
      'UserPool',
      this.formatArn({
        service: 'cognito-idp',
        region: userPoolId.slice(0, userPoolId.indexOf('_')),
        resource: 'userpool',
        resourceName: userPoolId,
      }),
    );
    const clients = existing.clientIds.map((clientId, i) =>
      UserPoolClient.fromUserPoolClientId(this, `AppClient${i}`, clientId),
    );
    return { userPool, clients };
  }

  private createUserPool(config: StageConfig): { userPool: IUserPool; clients: IUserPoolClient[] } {
    const device = deviceConfiguration(config.deviceTracking);
    if (config.usernameCaseSensitive === undefined) {
      throw new StageConfigError(
        'usernameCaseSensitive must be set for a stage that creates its user pool: -c usernameCaseSensitive=false for ' +
          'a new pool ("Alice" and "alice" are one user), or -c usernameCaseSensitive=existing for a pool deployed ' +
          'before this setting existed (the template leaves it out, so the pool stays as it is: Cognito cannot change ' +
          'it, and CloudFormation would replace the pool and its users if the template named any value, even true).',
      );
    }
    const pool = new UserPool(this, 'UserPool', {
      signInAliases: signInAliases[config.signInWith],
      // "Alice" and "alice" are one user, so nobody registers a look-alike of someone else's name or email. Cognito
      // cannot change this on an existing pool (CloudFormation replaces it): a pool deployed before keeps its own.
      ...(config.usernameCaseSensitive !== 'existing' && {
        signInCaseSensitive: config.usernameCaseSensitive,
      }),
      // Recovery by verified email only: SMS recovery is exposed to SIM swapping.
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      autoVerify: { email: true },
      // A changed email stays unverified, and the old one in use, until the user proves the new one.
      keepOriginal: { email: true },
      selfSignUpEnabled: false,
      mfa: mfaModes[config.mfa],
      ...(config.mfa !== 'off' && { mfaSecondFactor: { otp: true, sms: false } }),
      ...(device && { deviceTracking: device }),
      featurePlan: FeaturePlan[userPoolTier[config.featurePlan]],
      // Passwordless first factors beside the password (choice-based sign-in, USER_AUTH on the clients below).
      ...(config.passwordless.length > 0 && {
        signInPolicy: {
          allowedFirstAuthFactors: {
            password: true,
            emailOtp: config.passwordless.includes('email_otp'),
            passkey: config.passwordless.includes('passkey'),
          },
        },
      }),
      ...(config.passwordless.includes('passkey') && {
        passkeyRelyingPartyId: config.passkeyRelyingPartyId,
        passkeyUserVerification: PasskeyUserVerification.REQUIRED,
      }),
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      removalPolicy: config.retainUserPool ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      // A kept pool is also protected from a delete through the console or API, not only from the stack's.
      deletionProtection: config.retainUserPool,
    });
    Validations.of(pool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus feature plan (threat protection) is a per-user cost decision for ops; device tracking and TOTP MFA work on Essentials.',
    });
    if (config.mfa !== 'required') {
      Validations.of(pool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is a stage setting (`mfa`); optional TOTP lets users opt in, and remembered devices only skip a challenge they enabled.',
      });
    }
    const client = (name: 'mobile' | 'spa'): IUserPoolClient =>
      pool.addClient(`${name}Client`, {
        userPoolClientName: `${name}-${config.stage}`,
        generateSecret: false,
        // What an app may change about its user: the name and email (kept unverified until proven), never the
        // attributes others rely on (phone_number, and any custom attribute added later).
        writeAttributes: CLIENT_WRITE_ATTRIBUTES,
        authFlows: { userSrp: true, ...(config.passwordless.length > 0 && { user: true }) },
        preventUserExistenceErrors: true,
        enableTokenRevocation: true,
        accessTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.days(30),
        // Rotation: GetTokensFromRefreshToken only (CDK then leaves ALLOW_REFRESH_TOKEN_AUTH out, as Cognito needs).
        ...(config.refreshTokenRotation.includes(name) && {
          refreshTokenRotationGracePeriod: Duration.seconds(config.refreshTokenRotationGraceSeconds),
        }),
        // CDK's default enables the implicit and code flows with https://example.com as callback: a domain
        // added later would send tokens there. OAuth is on only with real callback URLs, code flow only.
        ...(config.oauthCallbackUrls.length === 0
          ? { disableOAuth: true }
          : {
              oAuth: {
                flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
                callbackUrls: config.oauthCallbackUrls,
                scopes: [OAuthScope.OPENID, OAuthScope.COGNITO_ADMIN],
              },
            }),
      });
    return { userPool: pool, clients: [client('mobile'), client('spa')] };
  }
}
