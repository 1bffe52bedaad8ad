import { ORIGIN_HEADER } from '../functions/edge/origin-guard.js';
import { EVENT_LINE_START } from '../functions/events/event-log.js';
import { rememberForSeconds, type StageConfig } from '../infra/config.js';
import { corsSettings } from '../infra/cors.js';
import {
  apiVariables,
  deliveryVariables,
  edgeVariables,
  localServiceVariables,
  trustVariables,
} from '../infra/function-environment.js';
import { apiLimits, EXPIRY_CONCURRENCY } from '../infra/limits.js';
import { buildOpenApi } from '../infra/openapi.js';
import { LocalApi } from './api/server.js';
import { bootstrapPool } from './bootstrap.js';
import { CognitoStandIn } from './cognito/server.js';
import { Store } from './cognito/state.js';
import { LocalEdge } from './edge/proxy.js';
import { EventsStandIn } from './events/server.js';
import { invoke } from './functions.js';
import { LogSubscription } from './logs/subscription.js';
import { SchedulerStandIn } from './scheduler/server.js';
import { SecretsStandIn } from './secrets/server.js';
import { SqsStandIn } from './sqs/server.js';

export interface LocalStackOptions {
  readonly config: StageConfig;
  readonly host?: string;
  /** 0 picks free ports (tests). */
  readonly cognitoPort?: number;
  readonly apiPort?: number;
  readonly secretsPort?: number;
  readonly eventsPort?: number;
  readonly schedulerPort?: number;
  readonly sqsPort?: number;
  /**
   * `false`: the functions still write their events, but nothing here delivers them (the benchmark's measure of the
   * API's own work: in AWS the delivery, CloudWatch Logs and EventBridge run on compute of their own).
   */
  readonly deliverEvents?: boolean;
  /** The retry queue's visibility timeout and receives before its dead-letter queue (tests: shorter). */
  readonly eventRetry?: { readonly visibilityTimeoutMs: number; readonly maxReceiveCount: number };
  readonly edgePort?: number;
  /** Persist the stand-in's state here; in memory when undefined. */
  readonly stateFile?: string | undefined;
  readonly region?: string;
  /** Overrides the stage's function log level (tests keep the functions quiet). */
  readonly logLevel?: string;
  readonly log?: (line: string) => void;
  /** Extra function environment (tests tighten the Cognito budgets). */
  readonly functionEnv?: Record<string, string>;
  /** The stand-in's clock (tests mint already-expired tokens with it). */
  readonly now?: () => number;
  /**
   * Enforce the stage's API Gateway throttles and Lambda reserved concurrency, as deployed (`npm start` and the
   * benchmarks do; most tests leave them off, so that their volume measures the product, not the stage's limits).
   */
  readonly enforceLimits?: boolean;
}

export interface LocalStack {
  readonly cognito: CognitoStandIn;
  /** Secrets Manager's stand-in, holding what the stack keeps there (the cursor key, the origin secret). */
  readonly secrets: SecretsStandIn;
  /** EventBridge's stand-in: every device event the functions published, in order. */
  readonly events: EventsStandIn;
  /** EventBridge Scheduler's stand-in: the trust schedules (with `rememberFor`), fired on time. */
  readonly scheduler: SchedulerStandIn;
  /** SQS's stand-in: the device events' retry queue and its dead-letter queue. */
  readonly sqs: SqsStandIn;
  /**
   * Resolves once every device event written so far has been handed to the delivery and the retry queue is empty:
   * delivered to the bus, unless the bus refused it for longer than the retry queue keeps it (tests: events arrive
   * asynchronously, a few hundred milliseconds after their change). Rejects when the retry queue still holds events
   * after `timeoutMs`.
   */
  eventsDelivered(timeoutMs?: number): Promise<void>;
  /**
   * With the stage's `edge` on: the edge's stand-in (CloudFront), the one way into the API, which refuses requests
   * without the origin secret; and that secret's id.
   */
  readonly edge: { readonly url: string; readonly originSecretId: string } | undefined;
  readonly api: LocalApi;
  readonly userPoolId: string;
  readonly clients: { readonly mobile: string; readonly spa: string };
  /** The demo user's TOTP secret when the pool has MFA (development only). */
  readonly demoTotpSecret: string | undefined;
  close(): Promise<void>;
}

/** The device events' retry queue and its dead-letter queue, as the construct names them. */
export const EVENTS_RETRY_QUEUE = 'cognito-device-bff-events-retry';
export const EVENTS_DEAD_LETTER_QUEUE = 'cognito-device-bff-events-dead-letter';

/** The whole product on one machine: the Cognito stand-in, the pool the stack would create, and the local API. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const region = options.region ?? 'us-east-1';
  const store = options.stateFile ? Store.open(options.stateFile) : Store.inMemory();
  const cognito = await CognitoStandIn.start({
    store,
    region,
    host: options.host,
    port: options.cognitoPort ?? 0,
    now: options.now,
  });
  const secrets = await SecretsStandIn.start({ host: options.host, port: options.secretsPort ?? 0, region });
  const events = await EventsStandIn.start({ host: options.host, port: options.eventsPort ?? 0 });
  const scheduler = await SchedulerStandIn.start({
    host: options.host,
    port: options.schedulerPort ?? 0,
    region,
  });
  const sqs = await SqsStandIn.start({ host: options.host, port: options.sqsPort ?? 0, region });
  let subscription: LogSubscription | undefined;
  try {
    // The device events' delivery, as the construct makes it: a retry queue (a minute of visibility deployed, two
    // seconds here) whose messages it takes back until EventBridge takes them, then its dead-letter queue.
    sqs.createQueue(EVENTS_DEAD_LETTER_QUEUE, { visibilityTimeoutMs: 60_000 });
    const retry = options.eventRetry ?? { visibilityTimeoutMs: 2_000, maxReceiveCount: 30 };
    const retryQueueUrl = sqs.createQueue(EVENTS_RETRY_QUEUE, {
      visibilityTimeoutMs: retry.visibilityTimeoutMs,
      redrive: { deadLetter: EVENTS_DEAD_LETTER_QUEUE, maxReceiveCount: retry.maxReceiveCount },
    });
    const cursorKey = secrets.createRandom('cognito-device-bff-cursor-key');
    const originSecretId = options.config.edge
      ? secrets.createRandom('cognito-device-bff-origin-secret')
      : undefined;
    const postAuthenticationArn = `arn:aws:lambda:${region}:000000000000:function:cognito-device-bff-post-authentication`;
    const { userPoolId, clients, demoTotpSecret } = await bootstrapPool(
      cognito.url,
      store,
      options.config,
      region,
      postAuthenticationArn,
    );
    // `rememberFor`: the trust schedules' group and the two functions they invoke, as the stack has them.
    const rememberFor = rememberForSeconds(options.config);
    const trustGroup = `cognito-device-bff-${options.config.stage}`;
    const lambdaArn = (name: string) =>
      `arn:aws:lambda:${region}:000000000000:function:cognito-device-bff-${name}`;
    const trustEnvironment =
      rememberFor === undefined
        ? {}
        : trustVariables({
            rememberForSeconds: rememberFor,
            group: trustGroup,
            roleArn: 'arn:aws:iam::000000000000:role/cognito-device-bff-scheduler',
            expiryArn: lambdaArn('trust-expiry'),
            checkArn: lambdaArn('trust-check'),
            schedulerEndpoint: scheduler.url,
          });
    if (rememberFor !== undefined) {
      scheduler.createGroup(trustGroup);
      // With the reserved concurrency the stack gives the expiry; the check has none.
      scheduler.registerTarget(lambdaArn('trust-expiry'), invoke('trust-expiry'), {
        concurrency: EXPIRY_CONCURRENCY,
      });
      scheduler.registerTarget(lambdaArn('trust-check'), invoke('trust-check'));
    }
    const api = await LocalApi.start({
      env: {
        // One process serves every route and every function here, so all of them see every variable they read.
        ...apiVariables({
          userPoolId,
          clientIds: [clients.mobile, clients.spa],
          logLevel: options.logLevel ?? options.config.logLevel,
          // Only get/list/forget use it.
          deviceVisibility: options.config.fullDeviceView ? 'all' : 'remembered',
          behindEdge: options.config.edge,
          cursorKeySecretId: cursorKey,
          // Device events as lines of the functions' output; the delivery publishes them to the account's default
          // bus, as the construct does unless given one.
          deviceEvents: true,
        }),
        ...deliveryVariables({ busName: 'default', retryQueueUrl }),
        ...trustEnvironment,
        ...(originSecretId && edgeVariables(originSecretId)),
        // The stand-ins serve the AWS APIs, and the Parameters and Secrets Lambda Extension's endpoint on localhost.
        ...localServiceVariables({
          cognito: cognito.url,
          jwksUri: cognito.jwksUri(userPoolId),
          secrets: secrets.url,
          secretsExtensionPort: secrets.port,
          events: events.url,
          sqs: sqs.url,
        }),
        // What Lambda gives every function (its role's session); only the full view's admin calls sign with
        // them, and the stand-in checks that they are signed, not by whom.
        AWS_ACCESS_KEY_ID: 'LOCALFUNCTIONROLE',
        AWS_SECRET_ACCESS_KEY: 'local-function-role-secret',
        // EMF lines are for CloudWatch; locally they would only clutter the terminal.
        METRICS_DISABLED: 'true',
        ...options.functionEnv,
      },
      cors: corsSettings(options.config.spaOrigins),
      host: options.host,
      port: options.apiPort ?? 0,
      log: options.log,
      openApi: buildOpenApi(),
      limits: options.enforceLimits ? apiLimits(options.config) : undefined,
      authorizer: originSecretId
        ? { module: 'edge-authorizer', identityHeader: ORIGIN_HEADER, ttlMs: 5 * 60_000 }
        : undefined,
    });
    // The functions' event lines to the delivery, as CloudWatch Logs' subscription filter hands them on, and the
    // retry queue to the delivery, as Lambda's event source mapping does.
    subscription =
      options.deliverEvents === false
        ? undefined
        : LogSubscription.start({
            logGroup: '/aws/lambda/cognito-device-bff',
            // As the filter pattern selects them (the delivery parses and checks each line it is given).
            matches: (line) => line.startsWith(EVENT_LINE_START),
            destination: invoke('event-delivery'),
            onFailure: (record) => sqs.enqueue(EVENTS_RETRY_QUEUE, record),
            echo: false,
          });
    if (subscription) sqs.consume(EVENTS_RETRY_QUEUE, invoke('event-delivery'), { batchSize: 10 });
    // The pool's post-authentication trigger, as the stack attaches it: the stand-in invokes the same handler, from
    // now on (its environment is the functions', set by the local API; the set-up's own sign-ins are not users').
    cognito.registerLambda(postAuthenticationArn, invoke('post-authentication'));
    const edge =
      originSecretId === undefined
        ? undefined
        : await LocalEdge.start({
            apiUrl: api.url,
            originSecret: () => secrets.value(originSecretId),
            host: options.host,
            port: options.edgePort ?? 0,
          }).catch(async (error: unknown) => {
            // The API is listening already: close it too, or the process would not exit.
            await api.close();
            throw error;
          });
    return {
      cognito,
      secrets,
      events,
      scheduler,
      sqs,
      eventsDelivered: async (timeoutMs) => {
        await subscription?.drain();
        await sqs.emptied(EVENTS_RETRY_QUEUE, timeoutMs);
      },
      api,
      edge: edge && originSecretId ? { url: edge.url, originSecretId } : undefined,
      userPoolId,
      clients,
      demoTotpSecret,
      close: async () => {
        await edge?.close();
        // The events written so far are handed on before what delivers them stops.
        await subscription?.close();
        await sqs.close();
        await api.close();
        await cognito.close();
        await secrets.close();
        await events.close();
        await scheduler.close();
      },
    };
  } catch (error) {
    await subscription?.close();
    await cognito.close();
    await secrets.close();
    await events.close();
    await scheduler.close();
    await sqs.close();
    throw error;
  }
}
