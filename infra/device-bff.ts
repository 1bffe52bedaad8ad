import { type Duration, Names } from 'aws-cdk-lib';
import type { HttpApi, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { apiFunctions } from './api-functions.js';
import { checkConcurrency, resolveSettings } from './device-bff-settings.js';
import { Edge } from './edge.js';
import { EventDelivery } from './event-delivery.js';
import { accessLogFields, httpEndpoint } from './http-endpoint.js';
import { apiLimits } from './limits.js';
import { Monitoring } from './monitoring.js';
import { OriginGuard } from './origin-guard.js';
import { postAuthenticationTrigger } from './post-authentication.js';
import { Trust } from './trust.js';

export { DeviceBffConfigError } from './device-bff-settings.js';
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

/** Whether device events are published, and where. */
export interface EventSettings {
  /**
   * Publish device events. `false`: none, and no delivery, trigger or Cognito permission for them.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The bus every device event is published to ([their schema](https://github.com/cognito-device-bff/cognito-device-bff/blob/main/docs/events.schema.json)). Give your own bus
   * to keep them apart from the account's other events.
   * @default the account's default event bus
   */
  readonly bus?: IEventBus;
}

/** Whether there are alarms and a dashboard, and where the alarms go. */
export interface AlarmSettings {
  /**
   * Create the alarms and the dashboard. `false`: none.
   * @default true
   */
  readonly enabled?: boolean;
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
   * construct's: `DeviceTrackingPresets.deviceTracking` gives it for each mode, and [the construct's guide](https://github.com/cognito-device-bff/cognito-device-bff/blob/main/docs/construct.md)
   * says what to set.
   */
  readonly userPool: IUserPool;
  /**
   * The app clients whose access tokens the API accepts (each function checks the token's `client_id`, issuer,
   * expiry and scope before anything else). At least one.
   */
  readonly userPoolClients: IUserPoolClient[];
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
  readonly forgetOthers?: ForgetOthersSettings;
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
  readonly corsOrigins?: string[];
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
   * refuses them, then in a dead-letter queue (`EventsDeadLettered` alarm). `{ enabled: false }`: none.
   * @default the account's default bus
   */
  readonly events?: EventSettings;
  /**
   * How long a remembered device stays trusted, from when it was first remembered (remembering it again never
   * extends it): after that it is forgotten, so its sessions stop refreshing and MFA is asked again, whether or not
   * the user ever opens the app (an EventBridge Scheduler one-time schedule per remembered device, at most 20 a user;
   * [the costs](https://github.com/cognito-device-bff/cognito-device-bff/blob/main/docs/features.md#remembered-for-a-limited-time-rememberfor)). At least a minute. Off, a device
   * stays trusted until the user stops remembering or forgets it, as Cognito has it; limiting trust asks users for MFA again, so it is
   * a product decision, not a default.
   * @default no limit
   */
  readonly rememberFor?: Duration;
  /**
   * Alarms on errors, latency, Cognito throttling, abuse and a misconfigured pool, with a dashboard.
   * `{ enabled: false }`: none.
   * @default alarms to a new topic
   */
  readonly alarms?: AlarmSettings;
  /**
   * How long the functions' and the API's logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
  /**
   * The functions' log level. DEBUG logs each request's outcome too; never tokens, device secrets or bodies.
   * @default LogLevel.INFO
   */
  readonly logLevel?: LogLevel;
}

/** The forget-others route's own bounds. */
export interface ForgetOthersSettings {
  /**
   * Reserved concurrency of its function: what caps its Cognito writes for the whole account. 0: no cap.
   * @default 2
   */
  readonly reservedConcurrency?: number;
  /**
   * The route's throttle, requests per second, all callers together.
   * @default 0.5
   */
  readonly rateLimit?: number;
  /**
   * The route's burst.
   * @default 2
   */
  readonly burstLimit?: number;
}

/** The functions' log level. */
export enum LogLevel {
  /** Each request's outcome too; never tokens, device secrets or bodies. */
  DEBUG = 'DEBUG',
  INFO = 'INFO',
  WARN = 'WARN',
  ERROR = 'ERROR',
}

/** The API's Lambda functions, grouped by privilege and cost. */
export interface DeviceBffFunctions {
  /** Every route of a user's session, and `$default` (with the full device view: all but list, get and forget). */
  readonly api: LambdaFunction;
  /** `POST /devices/forget-others`, alone, so that its reserved concurrency bounds its Cognito writes. */
  readonly forgetOthers: LambdaFunction;
  /** With the full device view: list, get and forget, the only API function with Cognito's admin actions. */
  readonly apiAdmin?: LambdaFunction;
}

/** The device events' delivery: its function and its queues. */
export interface EventDeliveryResources {
  /** Puts the functions' events on the bus (a CloudWatch Logs subscription hands them over). */
  readonly function: LambdaFunction;
  /** What the bus refused, tried again for 12 hours. */
  readonly retryQueue: IQueue;
  /** What the bus refused for 12 hours, kept 14 days (`EventsDeadLettered` alarms on it). */
  readonly deadLetterQueue: IQueue;
}

/** `rememberFor`'s parts: the schedule group, the scheduler's role and the trust functions. */
export interface TrustResources {
  readonly group: CfnScheduleGroup;
  readonly groupName: string;
  /** The role EventBridge Scheduler invokes the trust functions with. */
  readonly role: IRole;
  /** Forgets a device whose trust has ended, once Cognito confirms it has. */
  readonly expiry: LambdaFunction;
  /** Checks a user's devices after each sign-in, for devices remembered without this API. */
  readonly check: LambdaFunction;
  /** The check's ARN, formatted from its fixed name (the pool's trigger names it). */
  readonly checkArn: string;
}

/**
 * The device-tracking backend-for-frontend on an existing user pool: an HTTP API whose routes
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
  /**
   * API access log lines, one JSON object per request, by field: what ops need instead of HTTP APIs' default (CLF).
   * Never the query string (a cursor), never a header but the User-Agent: tokens live in headers.
   */
  static readonly ACCESS_LOG_FIELDS: { [field: string]: string } = { ...accessLogFields };

  /** The functions: `api` and `forgetOthers` always, `apiAdmin` only with the full device view. */
  readonly functions: DeviceBffFunctions;
  /** Every alarm (none with alarms off). */
  readonly alarms: IAlarm[];
  /** The topic the alarms notify; none with alarms off. */
  readonly alarmTopic?: ITopic;
  /** The edge's CloudFront distribution, when there is one. */
  readonly distribution?: Distribution;
  /** The bus the device events go to; none with events off. */
  readonly eventBus?: IEventBus;
  /** The events' delivery (its function, retry queue and dead-letter queue); none with events off. */
  readonly eventDelivery?: EventDeliveryResources;
  /** With `rememberFor`: the schedule group, the scheduler's role and the trust functions. */
  readonly trust?: TrustResources;
  /**
   * The post-authentication trigger that publishes `New device sign-in` ("a new device signed in to your account")
   * and, with `rememberFor`, schedules the check of the user's devices after each sign-in.
   * Attach it to the pool: `userPool.addTrigger(UserPoolOperation.POST_AUTHENTICATION, bff.postAuthentication)` for
   * a pool in the same app ([the construct's guide](https://github.com/cognito-device-bff/cognito-device-bff/blob/main/docs/construct.md) says how for others). None with events off and no `rememberFor`.
   */
  readonly postAuthentication?: LambdaFunction;

  constructor(scope: Construct, id: string, props: DeviceBffProps) {
    super(scope, id);
    const settings = resolveSettings({ ...props, clientCount: props.userPoolClients.length }, () =>
      Names.uniqueResourceName(this, { maxLength: 40, separator: '-' }).toLowerCase(),
    );
    checkConcurrency(this, settings);
    const limits = apiLimits(settings.limits);
    const { name, logRetention, logLevel } = settings;
    const pool = props.userPool;

    this.eventBus =
      settings.events && (settings.events.bus ?? EventBus.fromEventBusName(this, 'DefaultBus', 'default'));
    const trust =
      settings.rememberFor &&
      new Trust(this, 'Trust', {
        name,
        rememberFor: settings.rememberFor,
        userPool: pool,
        deviceEvents: this.eventBus !== undefined,
        logRetention,
        logLevel,
      });
    const delivery =
      this.eventBus &&
      new EventDelivery(this, 'EventDelivery', {
        name,
        bus: this.eventBus,
        userPool: pool,
        logRetention,
        logLevel,
      });
    const functions = apiFunctions(this, {
      settings,
      limits,
      userPool: pool,
      clientIds: props.userPoolClients.map((c) => c.userPoolClientId),
      behindEdge: props.edge !== undefined,
      trust,
    });
    this.trust = trust && {
      group: trust.group,
      groupName: trust.groupName,
      role: trust.role,
      expiry: trust.expiry,
      check: trust.check,
      checkArn: trust.checkArn,
    };
    this.eventDelivery = delivery && {
      function: delivery.function,
      retryQueue: delivery.retryQueue,
      deadLetterQueue: delivery.deadLetterQueue,
    };
    this.functions = functions.byId;
    const guard =
      props.edge &&
      new OriginGuard(this, 'OriginGuard', {
        stageName: name,
        logLevel,
        logRetention,
        reservedConcurrency: limits.concurrency.edgeAuthorizer ?? 0,
      });
    const { api, stage } = httpEndpoint(this, {
      settings,
      limits,
      functions,
      corsOrigins: props.corsOrigins ?? [],
      authorizer: guard?.authorizer,
    });
    this.api = api;
    this.stage = stage;
    const edge =
      guard &&
      new Edge(this, 'Edge', {
        api,
        stageName: name,
        rateLimitPerIp: props.edge?.rateLimitPerIp ?? 2_000,
        rateLimitPerToken: props.edge?.rateLimitPerToken ?? 300,
        originSecret: guard.secret,
      });
    if (guard && edge) guard.attachRotation(edge.distribution);
    this.distribution = edge?.distribution;
    this.url = edge ? `https://${edge.distribution.distributionDomainName}` : (stage.url ?? '');
    this.postAuthentication = postAuthenticationTrigger(this, settings, trust);

    // The functions that make changes write their events as log lines; the delivery reads them from their log groups.
    const trustFunctions = this.trust ? [this.trust.expiry, this.trust.check] : [];
    const writers = [
      ...functions.all.map((f) => f.fn),
      ...optional(this.postAuthentication),
      ...trustFunctions,
    ];
    for (const fn of writers) delivery?.subscribe(fn);

    const monitoring =
      settings.alarms &&
      new Monitoring(this, 'Monitoring', {
        stage,
        functions: [
          ...functions.all.map((f) => f.fn),
          ...optional(guard?.authorizerFunction.fn),
          ...optional(this.postAuthentication),
          ...trustFunctions,
          ...optional(this.eventDelivery?.function),
        ],
        stageName: name,
        ...(settings.alarms.topic && { topic: settings.alarms.topic }),
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

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);
