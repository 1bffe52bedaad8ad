import { Annotations, Duration, Names, Stack, Token, Validations } from 'aws-cdk-lib';
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
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FUNCTION_ENTRY, type FunctionId, functionsOf, type RouteId, routes } from '../functions/routes.js';
import { corsSettings } from './cors.js';
import { DeviceFunction } from './device-function.js';
import { Edge } from './edge.js';
import { EventDelivery } from './event-delivery.js';
import { functionEnvironment } from './function-settings.js';
import { apiLimits, CONCURRENCY_QUOTA_CODE, concurrencyNeeds, type LimitSettings } from './limits.js';
import { Monitoring } from './monitoring.js';
import { OriginGuard } from './origin-guard.js';
import { MIN_REMEMBER_FOR, Trust } from './trust.js';

/** Requests per second, steady, and the burst above it. */
export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** CloudFront and AWS WAF in front of the API. */
export interface EdgeSettings {
  /**
   * WAF rate rule: requests per 5 minutes from one IP address (WAF's minimum is 10).
   * @default 2000
   */
  readonly rateLimitPerIp?: number;
  /**
   * WAF rate rule: requests per 5 minutes with one Authorization header, so one stolen or scripted token cannot use
   * the whole stage's throttle.
   * @default 300
   */
  readonly rateLimitPerToken?: number;
  /**
   * Reserved concurrency of the authorizer that lets through only what came through CloudFront. API Gateway caches
   * its answer per header value for 5 minutes, so it runs rarely. 0: none.
   * @default 5
   */
  readonly authorizerConcurrency?: number;
}

/** Where the device events go; `false` instead of these settings publishes none. */
export interface EventSettings {
  /**
   * The bus every device event is published to (docs/events.schema.json describes them). Give your own bus to keep
   * them apart from the account's other events.
   * @default the account's default event bus
   */
  readonly bus?: IEventBus;
}

/** What happens to the alarms; `false` instead of these settings creates no alarms and no dashboard. */
export interface AlarmSettings {
  /**
   * Where the alarms go (ALARM and OK). Give your team's topic to route them with your other alarms.
   * @default a new SNS topic, encrypted with a new KMS key that CloudWatch may use
   */
  readonly topic?: ITopic;
}

export interface DeviceBffProps {
  /**
   * The user pool whose devices the API serves: one created in the same app, or an existing one imported with
   * `UserPool.fromUserPoolId` or `UserPool.fromUserPoolArn` (use the ARN form when the pool lives in another region
   * than the stack, as `fromUserPoolId` assumes the stack's). Device tracking is the pool's setting, not this
   * construct's: the README's "Use it in your CDK app" says what to set.
   */
  readonly userPool: IUserPool;
  /**
   * The app clients whose access tokens the API accepts (each function checks the token's `client_id`, issuer,
   * expiry and scope before anything else). At least one.
   */
  readonly userPoolClients: readonly IUserPoolClient[];
  /**
   * A short name for this API (letters, digits, dashes), used in descriptions and in the names of the dashboard and
   * the edge's web ACL, which must be unique in the account and region.
   * @default a name derived from the construct's path
   */
  readonly name?: string;
  /**
   * List every device that signed in, not only remembered ones: the list, get and forget routes use Cognito's
   * admin device operations for the verified caller's own username, and only the function running them gets
   * exactly those IAM actions on this pool. Off, no API function has any Cognito permission: the user's access token
   * authorizes every call (the event delivery, which no caller reaches, may read a device's name: AdminGetDevice).
   * @default false
   */
  readonly fullDeviceView?: boolean;
  /**
   * The stage's throttle, all routes and callers together. Size it to the functions' concurrency and to cost: every
   * caller shares it, valid or not.
   * @default { rateLimit: 1000, burstLimit: 2000 }
   */
  readonly throttle?: ThrottleSettings;
  /**
   * Reserved concurrency of each API function (`api`, and `apiAdmin` with the full device view): what it can always
   * run, and at most. The construct's synth fails when the reservations do not fit `accountConcurrency` (AWS keeps
   * 100 unreserved). 0: none, the functions share the account's unreserved pool.
   * @default 0
   */
  readonly reservedConcurrency?: number;
  /**
   * The forget-others route's own bounds. Its reserved concurrency is what caps its Cognito writes for the whole
   * account whoever calls (each call forgets at most 10 devices at 3 a second); the route throttle keeps more calls
   * from starting than that concurrency can run. `reservedConcurrency: 0` removes the cap.
   * @default { reservedConcurrency: 2, rateLimit: 0.5, burstLimit: 2 }
   */
  readonly forgetOthers?: { readonly reservedConcurrency?: number } & Partial<ThrottleSettings>;
  /**
   * Reserved concurrency of the post-authentication trigger (made with events or `rememberFor`): what sign-ins can
   * always run of it, whatever the API's functions take, and at most. Cognito fails a sign-in whose trigger is
   * throttled, so size it to the sign-ins a second times the time the trigger takes: it adds at most 0.5 s to a
   * sign-in, usually tens of milliseconds (30 covers 60 sign-ins a second at the worst, hundreds usually). Counted in
   * `accountConcurrency`. 0: none, the trigger shares the account's unreserved pool.
   * @default 0
   */
  readonly postAuthenticationConcurrency?: number;
  /**
   * The account's Lambda concurrency quota in this region, checked against the reservations at synth time.
   * @default 1000 (AWS's default quota; a new account's may be 10)
   */
  readonly accountConcurrency?: number;
  /**
   * Origins of the single-page apps a browser may call the API from (CORS). Mobile apps need none.
   * @default none: browsers get no CORS headers
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Put CloudFront and AWS WAF in front of the API: per-IP and per-token rate rules and AWS managed rule groups
   * drop floods before the stage throttle, and an authorizer refuses anything that did not come through CloudFront.
   * WAF for CloudFront exists only in us-east-1, so the stack must be deployed there.
   * @default no edge: the API is called directly
   */
  readonly edge?: EdgeSettings;
  /**
   * Device events (confirmed, remembered, no longer remembered, forgotten, other devices forgotten, signed out
   * everywhere, trust expired, new device sign-in) to EventBridge, for apps that tell people about their devices.
   * Published after the change is answered (each function writes them to its log, a delivery function puts them on
   * the bus): at least once, in no set order, within seconds; kept and tried again for 12 hours while EventBridge
   * refuses them, then in a dead-letter queue (`EventsDeadLettered` alarm). `false`: none.
   * @default the account's default bus
   */
  readonly events?: EventSettings | false;
  /**
   * How long a remembered device stays trusted, from when it was first remembered (remembering it again never
   * extends it): after that it is forgotten, so its sessions stop refreshing and MFA is asked again, whether or not
   * the user ever opens the app (an EventBridge Scheduler one-time schedule per remembered device, at most 20 a user;
   * docs/features.md, "Remembered for a limited time", has the costs). At least a minute. Off, a device stays trusted until
   * the user stops remembering or forgets it, as Cognito has it; limiting trust asks users for MFA again, so it is
   * a product decision, not a default.
   * @default no limit
   */
  readonly rememberFor?: Duration;
  /**
   * Alarms on errors, latency, Cognito throttling, abuse and a misconfigured pool, with a dashboard. `false`: none.
   * @default alarms to a new topic
   */
  readonly alarms?: AlarmSettings | false;
  /**
   * How long the functions' and the API's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * The functions' log level. DEBUG logs each request's outcome too; never tokens, device secrets or bodies.
   * @default 'INFO'
   */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

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

/** Thrown at synth time for props the construct cannot build. */
export class DeviceBffConfigError extends Error {
  override name = 'DeviceBffConfigError';
}

/**
 * The device-tracking backend-for-frontend on an existing user pool: an HTTP API whose routes (functions/routes.ts)
 * run in Lambda functions grouped by privilege and cost (`api`; `apiAdmin` with the full device view; `forgetOthers`),
 * with throttles, reserved concurrency, optional edge protection, alarms and a dashboard.
 */
export class DeviceBff extends Construct {
  /** The HTTP API. With the edge, call it through {@link url}: the API itself refuses what did not come through it. */
  readonly api: HttpApi;
  /** The API's `$default` stage, which holds the throttles. */
  readonly stage: HttpStage;
  /** Where apps call the API: the CloudFront distribution's URL with the edge, the stage's URL without. */
  readonly url: string;
  /** The functions by id: `api` always, `forgetOthers` always, `apiAdmin` only with the full device view. */
  readonly functions: Readonly<Partial<Record<FunctionId, LambdaFunction>>>;
  /** Every alarm (empty with `alarms: false`). */
  readonly alarms: readonly IAlarm[];
  /** The topic the alarms notify; undefined with `alarms: false`. */
  readonly alarmTopic: ITopic | undefined;
  /** The edge's CloudFront distribution, when there is one. */
  readonly distribution: Distribution | undefined;
  /** The bus the device events go to; undefined with `events: false`. */
  readonly eventBus: IEventBus | undefined;
  /** The events' delivery (its function, retry queue and dead-letter queue); undefined with `events: false`. */
  readonly eventDelivery: EventDelivery | undefined;
  /** With `rememberFor`: the schedule group, the scheduler's role and the trust functions. */
  readonly trust: Trust | undefined;
  /**
   * The post-authentication trigger that publishes `New device sign-in` ("a new device signed in to your account")
   * and, with `rememberFor`, schedules the check of the user's devices after each sign-in.
   * Attach it to the pool: `userPool.addTrigger(UserPoolOperation.POST_AUTHENTICATION, bff.postAuthentication)` for
   * a pool in the same app (the README says how for others). Undefined with `events: false`.
   */
  readonly postAuthentication: LambdaFunction | undefined;

  constructor(scope: Construct, id: string, props: DeviceBffProps) {
    super(scope, id);
    if (props.userPoolClients.length === 0) {
      throw new DeviceBffConfigError('userPoolClients needs at least one app client');
    }
    const name =
      props.name ?? Names.uniqueResourceName(this, { maxLength: 40, separator: '-' }).toLowerCase();
    if (!/^[a-zA-Z0-9-]{1,40}$/.test(name)) {
      throw new DeviceBffConfigError('name must be 1 to 40 letters, digits or dashes');
    }
    const fullDeviceView = props.fullDeviceView ?? false;
    const settings: LimitSettings = {
      apiRateLimit: props.throttle?.rateLimit ?? 1_000,
      apiBurstLimit: props.throttle?.burstLimit ?? 2_000,
      reservedConcurrency: props.reservedConcurrency ?? 0,
      forgetOthersConcurrency: props.forgetOthers?.reservedConcurrency ?? 2,
      forgetOthersRateLimit: props.forgetOthers?.rateLimit ?? 0.5,
      forgetOthersBurstLimit: props.forgetOthers?.burstLimit ?? 2,
      edgeAuthorizerConcurrency: props.edge?.authorizerConcurrency ?? 5,
      edge: props.edge !== undefined,
      fullDeviceView,
      triggerConcurrency: props.postAuthenticationConcurrency ?? 0,
      trustExpiry: props.rememberFor !== undefined,
    };
    checkConcurrency(this, settings, props.accountConcurrency ?? 1_000);
    const limits = apiLimits(settings);
    const logRetention = props.logRetention ?? RetentionDays.THREE_MONTHS;
    this.eventBus =
      props.events === false
        ? undefined
        : (props.events?.bus ?? EventBus.fromEventBusName(this, 'DefaultBus', 'default'));
    if (props.rememberFor && props.rememberFor.toSeconds() < MIN_REMEMBER_FOR.toSeconds()) {
      throw new DeviceBffConfigError(
        'rememberFor must be at least a minute (the scheduler fires within its minute)',
      );
    }
    this.trust = props.rememberFor
      ? new Trust(this, 'Trust', {
          name,
          rememberFor: props.rememberFor,
          userPoolId: props.userPool.userPoolId,
          userPoolArn: props.userPool.userPoolArn,
          deviceEvents: this.eventBus !== undefined,
          logRetention,
          logLevel: props.logLevel ?? 'INFO',
        })
      : undefined;
    this.eventDelivery = this.eventBus
      ? new EventDelivery(this, 'EventDelivery', {
          name,
          bus: this.eventBus,
          userPoolId: props.userPool.userPoolId,
          userPoolArn: props.userPool.userPoolArn,
          logRetention,
          logLevel: props.logLevel ?? 'INFO',
        })
      : undefined;
    // The functions write their events as log lines; the delivery reads them from the log groups (subscribed below).
    const eventEnvironment: Record<string, string> = this.eventBus ? { DEVICE_EVENTS: 'on' } : {};
    const environment = functionEnvironment({
      userPoolId: props.userPool.userPoolId,
      clientIds: props.userPoolClients.map((c) => c.userPoolClientId),
      logLevel: props.logLevel ?? 'INFO',
    });

    // Seals the list's cursors (HMAC), so a cursor is good only for the user and view it was issued for. To
    // rotate it, put a new value: the function accepts the previous one too, and a cursor lives one page.
    const cursorKey = new Secret(this, 'CursorKey', {
      description: `Cognito device BFF cursor key (${name})`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(cursorKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A key that only seals one page of a device list: rotated by putting a new value (PutSecretValue), which the list function picks up within minutes while still accepting the previous one.',
    });

    const functions: Partial<Record<FunctionId, LambdaFunction>> = {};
    for (const [fnId, served] of functionsOf(fullDeviceView)) {
      const routesServed = served.flatMap((route) => ('method' in route ? [route] : []));
      // The full device view's admin calls are the only signed Cognito calls: exactly the served routes' own
      // operations, on this one pool, and only when the view is on.
      const adminOperations = fullDeviceView
        ? [...new Set(routesServed.flatMap((route) => route.fullViewOperations))]
        : [];
      const cursors = routesServed.some((route) => route.cursorKey);
      const { fn } = new DeviceFunction(this, fnId, {
        handler: FUNCTION_ENTRY,
        description: truncate(
          `Cognito device BFF ${fnId} (${name}): ${served
            .map((route) => ('method' in route ? `${route.method} ${route.path}` : '$default'))
            .join(', ')}${adminOperations.length > 0 ? `; IAM ${adminOperations.join(', ')}` : ''}`,
        ),
        environment: {
          ...functionEnvironment({
            userPoolId: props.userPool.userPoolId,
            clientIds: props.userPoolClients.map((c) => c.userPoolClientId),
            logLevel: props.logLevel ?? 'INFO',
            ...(adminOperations.length > 0 && { deviceVisibility: 'all' as const }),
            ...(cursors && { cursorKeySecretId: cursorKey.secretArn }),
            ...(props.edge && { behindEdge: true }),
          }),
          ROUTES: served.map((route) => route.id).join(','),
          ...eventEnvironment,
          ...this.trust?.environment('api'),
        },
        logRetention,
        reservedConcurrency: limits.concurrency[fnId] ?? 0,
        secretsExtension: cursors,
      });
      if (cursors) {
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
            resources: [props.userPool.userPoolArn],
          }),
        );
      }
      // Records are written once and read by name: no UpdateSchedule, no ListSchedules (functions/trust/schedules.ts).
      this.trust?.grantScheduling(fn, 'trust', [
        'scheduler:CreateSchedule',
        'scheduler:GetSchedule',
        'scheduler:DeleteSchedule',
      ]);
      functions[fnId] = fn;
    }
    this.functions = functions;
    const apiFunction = functions.api;
    if (!apiFunction) throw new Error('the route table gives no route to the api function');

    const guard = props.edge
      ? new OriginGuard(this, 'OriginGuard', {
          stageName: name,
          environment,
          logRetention,
          reservedConcurrency: limits.concurrency.edgeAuthorizer ?? 0,
        })
      : undefined;
    const cors = corsSettings(props.corsOrigins ?? []);
    this.api = new HttpApi(this, 'Api', {
      description: `Cognito device BFF (${name})`,
      createDefaultStage: false,
      // `$default` (unmatched requests: problem+json 404/405) runs in the api function.
      defaultIntegration: new HttpLambdaIntegration('DefaultIntegration', apiFunction),
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
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: logRetention }),
        ),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });
    // Routes with a throttle of their own (forget-others: its Cognito reads, and no more calls started than its
    // reserved concurrency can run). The L2 stage has no per-route settings.
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      Object.entries(limits.routes).map(([routeId, throttle]) => {
        const route = routes[routeId as RouteId];
        return [
          `${route.method} ${route.path}`,
          { ThrottlingRateLimit: throttle.rate, ThrottlingBurstLimit: throttle.burst },
        ];
      }),
    );
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Every route function verifies the Cognito access token (aws-jwt-verify: signature, issuer, expiry, token_use, client, scope) before any work, and Cognito checks it again; the $default route only answers 404/405.',
    });
    for (const [fnId, served] of functionsOf(fullDeviceView)) {
      const fn = functions[fnId];
      if (!fn) continue;
      for (const route of served) {
        if (!('method' in route)) continue;
        this.api.addRoutes({
          path: route.path,
          methods: [HttpMethod[route.method]],
          integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
        });
      }
    }

    const edge = guard
      ? new Edge(this, 'Edge', {
          api: this.api,
          stageName: name,
          rateLimitPerIp: props.edge?.rateLimitPerIp ?? 2_000,
          rateLimitPerToken: props.edge?.rateLimitPerToken ?? 300,
          originSecret: guard.secret,
        })
      : undefined;
    if (guard && edge) guard.attachRotation(edge.distribution);
    this.distribution = edge?.distribution;
    this.url = edge ? `https://${edge.distribution.distributionDomainName}` : (this.stage.url ?? '');

    // Cognito waits 5 s for a trigger and fails the sign-in after that: the trigger stops at 3 s, and gives up on
    // its event at 1.5 s.
    this.postAuthentication =
      this.eventBus || this.trust
        ? new DeviceFunction(this, 'PostAuthentication', {
            handler: 'post-authentication',
            description: `Cognito device BFF post-authentication trigger (${name}): publishes New device sign-in${
              this.trust ? ', schedules the trust check' : ''
            }`,
            environment: {
              ...eventEnvironment,
              ...this.trust?.environment('trigger'),
              LOG_LEVEL: props.logLevel ?? 'INFO',
              POWERTOOLS_SERVICE_NAME: 'cognito-device-bff',
            },
            logRetention,
            timeoutSeconds: 3,
            reservedConcurrency: settings.triggerConcurrency ?? 0,
          }).fn
        : undefined;
    if (this.postAuthentication) {
      this.trust?.grantScheduling(this.postAuthentication, 'check');
    }

    for (const fn of [
      ...Object.values(functions),
      ...(this.postAuthentication ? [this.postAuthentication] : []),
      ...(this.trust ? [this.trust.expiry, this.trust.check] : []),
    ]) {
      this.eventDelivery?.subscribe(fn);
    }

    const monitored = [
      ...Object.values(functions),
      ...(guard ? [guard.authorizerFunction.fn] : []),
      ...(this.postAuthentication ? [this.postAuthentication] : []),
      ...(this.trust ? [this.trust.expiry, this.trust.check] : []),
      ...(this.eventDelivery ? [this.eventDelivery.function] : []),
    ];
    const monitoring =
      props.alarms === false
        ? undefined
        : new Monitoring(this, 'Monitoring', {
            stage: this.stage,
            functions: monitored,
            stageName: name,
            ...(props.alarms?.topic && { topic: props.alarms.topic }),
            ...(this.eventDelivery && {
              eventQueues: {
                retry: this.eventDelivery.retryQueue,
                deadLetter: this.eventDelivery.deadLetterQueue,
              },
            }),
            ...(edge && { webAcl: edge.webAcl }),
          });
    this.alarms = monitoring?.alarms ?? [];
    this.alarmTopic = monitoring?.topic;
  }
}

const truncate = (text: string) => (text.length <= 256 ? text : `${text.slice(0, 255)}…`);

/**
 * Reserved concurrency must fit the account: AWS keeps 100 executions unreserved, and a deploy that reserves more
 * fails and rolls back. `cdk synth` fails first, saying which quota to request; and warns that an account's quota
 * may be far below the default (a new account's can be 10).
 */
function checkConcurrency(scope: Construct, settings: LimitSettings, accountConcurrency: number): void {
  const { reserved, accountNeeded } = concurrencyNeeds(settings);
  if (reserved === 0) return;
  const region = Stack.of(scope).region;
  const where = Token.isUnresolved(region) ? "the stack's region" : region;
  const request =
    `Request a Lambda "Concurrent executions" quota (Service Quotas, code ${CONCURRENCY_QUOTA_CODE}) of at least ` +
    `${accountNeeded} in ${where}`;
  if (accountNeeded > accountConcurrency) {
    throw new DeviceBffConfigError(
      `The functions reserve ${reserved} concurrent executions and AWS keeps 100 unreserved, so the account needs a ` +
        `concurrency quota of at least ${accountNeeded}; accountConcurrency is ${accountConcurrency}. ` +
        `${request} and set accountConcurrency to the granted quota, or reserve less (reservedConcurrency, ` +
        'forgetOthers.reservedConcurrency, edge.authorizerConcurrency, postAuthenticationConcurrency).',
    );
  }
  Annotations.of(scope).addWarningV2(
    'cognito-device-bff:reserved-concurrency',
    `The functions reserve ${reserved} concurrent executions: the deploy fails unless the account's concurrency ` +
      `quota is at least ${accountNeeded} (new accounts can have 10). Check Service Quotas first; if it is lower, ` +
      `${request.charAt(0).toLowerCase()}${request.slice(1)}.`,
  );
}
