import {
  Annotations,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  ClientAttributes,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { fallbackRoute, type RouteId, routeList, routes } from '../functions/routes.js';
import { type StageConfig, StageConfigError } from './config.js';
import { corsSettings } from './cors.js';
import { DeviceFunction } from './device-function.js';
import { deviceConfiguration } from './device-tracking.js';
import { Edge } from './edge.js';
import { functionEnvironment } from './function-settings.js';
import { apiLimits, CONCURRENCY_QUOTA_CODE, concurrencyNeeds } from './limits.js';
import { Monitoring } from './monitoring.js';
import { OriginGuard } from './origin-guard.js';

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
 * API access log lines, one JSON object per request. HTTP APIs' default (CLF) has `identity.caller` and
 * `identity.user`, always "-" here; this says what ops need instead. Never the query string (a cursor), never
 * a header but the User-Agent: tokens live in headers.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
} as const;

/** The user pool (or an imported one), its app clients, the HTTP API and one function per route. */
export class DeviceBffStack extends Stack {
  constructor(scope: Construct, id: string, props: DeviceBffStackProps) {
    super(scope, id, props);
    const { config } = props;
    checkConcurrency(this, config);
    const limits = apiLimits(config);

    const { userPoolId, userPoolArn, clientIds } = config.existingUserPool
      ? { ...config.existingUserPool, userPoolArn: this.importedPoolArn(config.existingUserPool.userPoolId) }
      : this.createUserPool(config);

    const environment = functionEnvironment({ userPoolId, clientIds, logLevel: config.logLevel });
    // Seals the list's cursors (HMAC), so a cursor is good only for the user and view it was issued for. To
    // rotate it, put a new value: the function accepts the previous one too, and a cursor lives one page.
    const cursorKey = new Secret(this, 'CursorKey', {
      description: `Cognito device BFF cursor key (${config.stage})`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A key that only seals one page of a device list: rotated by putting a new value (PutSecretValue), which the list function picks up within minutes while still accepting the previous one.',
    });
    const logRetention = config.logRetentionDays as RetentionDays;
    const fallback = new DeviceFunction(this, fallbackRoute.id, {
      handler: fallbackRoute.handler,
      description: '$default route: problem+json 404/405 for unmatched requests',
      environment,
      logRetention,
      reservedConcurrency: limits.concurrency[fallbackRoute.id] ?? 0,
    });

    const guard = config.edge
      ? new OriginGuard(this, 'OriginGuard', {
          stageName: config.stage,
          environment,
          logRetention,
          reservedConcurrency: limits.concurrency.edgeAuthorizer ?? 0,
        })
      : undefined;
    const cors = corsSettings(config.spaOrigins);
    const api = new HttpApi(this, 'Api', {
      description: `Cognito device BFF (${config.stage})`,
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('notFoundIntegration', fallback.fn),
      // With the edge, every route (the $default one included) lets through only what came through CloudFront.
      ...(guard && { defaultAuthorizer: guard.authorizer }),
      ...(cors && {
        corsPreflight: {
          allowOrigins: [...cors.allowOrigins],
          allowMethods: cors.allowMethods.map((method) => CorsHttpMethod[method]),
          allowHeaders: [...cors.allowHeaders],
          exposeHeaders: [...cors.exposeHeaders],
          maxAge: Duration.seconds(cors.maxAgeSeconds),
        },
      }),
    });

    // One stage-wide limit, shared by every caller: sized to what the functions' concurrency can serve and to
    // cost, far above what valid users need. Cognito's quotas are guarded by Cognito itself (its 429 reaches
    // the app with Retry-After); junk never reaches Cognito. See docs/reliability.md, "Abuse".
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.apiRateLimit, burstLimit: config.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: logRetention }),
        ),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    // Routes with a throttle of their own (forget-others: its Cognito reads, and no more calls started than its
    // reserved concurrency can run). The L2 stage has no per-route settings.
    (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      Object.entries(limits.routes).map(([id, throttle]) => {
        const route = routes[id as RouteId];
        return [
          `${route.method} ${route.path}`,
          { ThrottlingRateLimit: throttle.rate, ThrottlingBurstLimit: throttle.burst },
        ];
      }),
    );
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route function verifies the Cognito access token (aws-jwt-verify: signature, issuer, expiry, token_use, client, scope) before any work, and Cognito checks it again; the $default route only answers 404/405.',
    });
    const functions = [fallback.fn];
    for (const route of routeList) {
      // The full device view's admin calls are the only signed Cognito calls: exactly the route's own
      // operations, on this one pool, and only when the stage turns the view on.
      const adminOperations = config.fullDeviceView ? route.fullViewOperations : [];
      const { fn } = new DeviceFunction(this, route.id, {
        handler: route.handler,
        description: `${route.method} ${route.path}: ${[route.cognitoOperation, ...adminOperations].join(', ')}`,
        environment: functionEnvironment({
          userPoolId,
          clientIds,
          logLevel: config.logLevel,
          ...(adminOperations.length > 0 && { deviceVisibility: 'all' as const }),
          ...(route.cursorKey && { cursorKeySecretId: cursorKey.secretArn }),
        }),
        logRetention,
        reservedConcurrency: limits.concurrency[route.id as RouteId] ?? 0,
        secretsExtension: route.cursorKey,
      });
      if (route.cursorKey) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [cursorKey.secretArn],
          }),
        );
      }
      if (adminOperations.length > 0) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: adminOperations.map((operation) => `cognito-idp:${operation}`),
            resources: [userPoolArn],
          }),
        );
      }
      functions.push(fn);
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
      });
    }

    const edge = guard
      ? new Edge(this, 'Edge', {
          api,
          stageName: config.stage,
          rateLimitPerIp: config.edgeRateLimitPerIp,
          rateLimitPerToken: config.edgeRateLimitPerToken,
          originSecret: guard.secret,
        })
      : undefined;
    if (guard && edge) {
      guard.attachRotation(edge.distribution);
      functions.push(guard.authorizerFunction.fn);
    }

    const monitoring = new Monitoring(this, 'Monitoring', {
      stage,
      functions,
      stageName: config.stage,
      ...(edge && { webAcl: edge.webAcl }),
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: monitoring.topic.topicArn,
      description: 'Subscribe ops to the alarms',
    });
    new CfnOutput(this, 'UserPoolId', { value: userPoolId });
    new CfnOutput(this, 'AppClientIds', { value: clientIds.join(',') });
  }

  /** An imported pool's ARN: in the region its id names, in this stack's account (admin calls cannot cross accounts). */
  private importedPoolArn(userPoolId: string): string {
    return this.formatArn({
      service: 'cognito-idp',
      region: userPoolId.slice(0, userPoolId.indexOf('_')),
      resource: 'userpool',
      resourceName: userPoolId,
    });
  }

  private createUserPool(config: StageConfig): {
    userPoolId: string;
    userPoolArn: string;
    clientIds: string[];
  } {
    const device = deviceConfiguration(config.deviceTracking);
    const pool = new UserPool(this, 'UserPool', {
      signInAliases: { username: true, email: true },
      // "Alice" and "alice" are one user, so nobody registers a look-alike of someone else's name. Cognito cannot
      // change this on an existing pool (it replaces the pool): a stack deployed before keeps its setting.
      signInCaseSensitive: config.usernameCaseSensitive,
      // Recovery by verified email only: SMS recovery is exposed to SIM swapping.
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      autoVerify: { email: true },
      // A changed email stays unverified, and the old one in use, until the user proves the new one.
      keepOriginal: { email: true },
      selfSignUpEnabled: false,
      mfa: mfaModes[config.mfa],
      ...(config.mfa !== 'off' && { mfaSecondFactor: { otp: true, sms: false } }),
      ...(device && { deviceTracking: device }),
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
    const client = (name: 'mobile' | 'spa'): UserPoolClient =>
      pool.addClient(`${name}Client`, {
        userPoolClientName: `${name}-${config.stage}`,
        generateSecret: false,
        // What an app may change about its user: the name and email (kept unverified until proven), never the
        // attributes others rely on (phone_number, and any custom attribute added later).
        writeAttributes: CLIENT_WRITE_ATTRIBUTES,
        authFlows: { userSrp: true },
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
    return {
      userPoolId: pool.userPoolId,
      userPoolArn: pool.userPoolArn,
      clientIds: [client('mobile').userPoolClientId, client('spa').userPoolClientId],
    };
  }
}

/**
 * Reserved concurrency must fit the account: AWS keeps 100 executions unreserved, and a deploy that reserves more
 * fails and rolls back. `cdk synth` fails first, saying which quota to request; and warns that an account's quota
 * may be far below the default (a new account's can be 10).
 */
function checkConcurrency(stack: Stack, config: StageConfig): void {
  const { reserved, accountNeeded } = concurrencyNeeds(config);
  if (reserved === 0) return;
  const request =
    `Request a Lambda "Concurrent executions" quota (Service Quotas, code ${CONCURRENCY_QUOTA_CODE}) of at least ` +
    `${accountNeeded} in ${stack.region}`;
  if (accountNeeded > config.accountConcurrency) {
    throw new StageConfigError(
      `The functions reserve ${reserved} concurrent executions and AWS keeps 100 unreserved, so the account needs a ` +
        `concurrency quota of at least ${accountNeeded}; accountConcurrency is ${config.accountConcurrency}. ` +
        `${request} and set -c accountConcurrency=<the granted quota>, or lower reservedConcurrency and ` +
        'forgetOthersConcurrency.',
    );
  }
  Annotations.of(stack).addWarningV2(
    'cognito-device-bff:reserved-concurrency',
    `The functions reserve ${reserved} concurrent executions: the deploy fails unless the account's concurrency ` +
      `quota is at least ${accountNeeded} (new accounts can have 10). Check Service Quotas first; if it is lower, ` +
      `${request.charAt(0).toLowerCase()}${request.slice(1)}.`,
  );
}
