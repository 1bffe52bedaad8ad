import * as z from 'zod/mini';
import { AWS_ATTEMPT_TIMEOUT_MS } from './aws/timeouts.js';
import type { Concern, VariableName } from './environment-names.js';

/**
 * The environment contract: every variable a BFF function reads, one zod piece per concern. Each handler composes
 * the pieces it needs into one schema and parses it once, at cold start (`parseEnvironment`). The names are those of
 * functions/environment-names.ts, which the construct and the local stack write with one CDK-free writer
 * (infra/function-environment.ts): a variable cannot be written under a name no function reads.
 */

/** A concern's piece: a parser for each of its variables (functions/environment-names.ts), and no other. */
type Piece<C extends Concern> = Record<VariableName<C>, z.core.$ZodType>;

const positiveInt = (max: number) => z.coerce.number().check(z.int(), z.gte(1), z.lte(max));
const name = z.string().check(z.minLength(1));
/** Cognito user pool id, e.g. `eu-west-1_AbC123`; the region prefix is where the pool lives. */
export const USER_POOL_ID_PATTERN = /^(?<region>[a-z]{2}(?:-[a-z]+)+-\d)_[0-9a-zA-Z]+$/;
const userPoolId = z.string().check(z.regex(USER_POOL_ID_PATTERN, 'must look like <region>_<id>'));

/** Where the function runs (Lambda sets it). */
export const Region = {
  AWS_REGION: z._default(name, 'us-east-1'),
} satisfies Piece<'region'>;

/** Logs and metrics: every function. */
export const Logging = {
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  /** Local stack: no EMF metric lines (they are for CloudWatch). */
  METRICS_DISABLED: z._default(z.enum(['true', 'false']), 'false'),
  /** Powertools' own name for the service, read by its logger. */
  POWERTOOLS_SERVICE_NAME: z.optional(name),
} satisfies Piece<'logging'>;

/** The Cognito API, for the functions that call it with their role or a caller's token. */
export const CognitoApi = {
  /** Local stack only: where the Cognito API is served instead of the regional endpoint. */
  COGNITO_ENDPOINT: z.optional(z.url()),
} satisfies Piece<'cognitoApi'>;

/** The pool and app clients whose access tokens the API takes, and its Cognito call budget. */
export const Cognito = {
  ...CognitoApi,
  USER_POOL_ID: userPoolId,
  APP_CLIENT_IDS: name,
  /** Local stack and benchmark only: where the pool's JWKS is served (http, https or file) instead of the regional endpoint. */
  JWKS_URI: z.optional(z.url()),
  /** Time a single HTTP attempt to Cognito may take. */
  COGNITO_ATTEMPT_TIMEOUT_MS: z._default(positiveInt(60_000), AWS_ATTEMPT_TIMEOUT_MS),
  /** Attempts per Cognito call, first try included; the SDK retries only retryable errors. */
  COGNITO_MAX_ATTEMPTS: z._default(positiveInt(5), 2),
  /** Hard budget for one Cognito call including retries; must stay well inside the Lambda timeout. */
  COGNITO_CALL_BUDGET_MS: z._default(positiveInt(60_000), 5_000),
} satisfies Piece<'cognito'>;

/** `on`: a function that makes changes writes a line per device event, for the delivery (functions/events/event-log.ts). */
export const Events = {
  DEVICE_EVENTS: z._default(z.enum(['on', 'off']), 'off'),
} satisfies Piece<'events'>;

/** The device events' delivery: the bus it puts them on and the queue it keeps the failures in. */
export const Delivery = {
  ...CognitoApi,
  EVENT_BUS_NAME: name,
  RETRY_QUEUE_URL: z.url(),
  /** The pool whose devices the `nameLater` events name (AdminGetDevice); unset: they keep a null name. */
  USER_POOL_ID: z.optional(userPoolId),
  /** Local stack only: where the EventBridge and SQS stand-ins listen. */
  EVENTS_ENDPOINT: z.optional(z.url()),
  SQS_ENDPOINT: z.optional(z.url()),
} satisfies Piece<'delivery'>;

/**
 * `rememberFor`, for each function that takes part (the API functions, the post-authentication trigger, the trust
 * check and expiry); all unset when the stage does not limit trust.
 */
export const Trust = {
  REMEMBER_FOR_SECONDS: z.optional(z.coerce.number().check(z.int(), z.positive())),
  TRUST_GROUP: z.optional(name),
  /** The role the scheduler invokes the trust functions with; not for the expiry, which makes no schedule. */
  TRUST_ROLE_ARN: z.optional(name),
  /** The expiry, for the functions that make trust records (the API and the check). */
  TRUST_EXPIRY_ARN: z.optional(name),
  /** The check, for the function that makes checks (the post-authentication trigger). */
  TRUST_CHECK_ARN: z.optional(name),
  /** How long after a sign-in its user's devices are checked (the new device is confirmed after the sign-in). */
  TRUST_CHECK_DELAY_SECONDS: z._default(z.coerce.number().check(z.int(), z.nonnegative()), 600),
  /** Local stack only: where the EventBridge Scheduler stand-in listens. */
  SCHEDULER_ENDPOINT: z.optional(z.url()),
} satisfies Piece<'trust'>;

/** Secrets, read through the Parameters and Secrets Lambda Extension (the API) or the SDK (the edge authorizer). */
export const Secrets = {
  /** Local stack only: where the Secrets Manager API is served instead of the regional endpoint. */
  SECRETS_ENDPOINT: z.optional(z.url()),
  /** The extension's port on localhost (the extension's own variable). */
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: z._default(positiveInt(65_535), 2_773),
  /** The function role's session token, set by Lambda: it authorizes calls to the extension. */
  AWS_SESSION_TOKEN: z._default(z.string(), ''),
} satisfies Piece<'secrets'>;

/** What the API's functions serve and how. */
export const Api = {
  /** The routes this function serves (route ids, `notFound` for `$default`), set by the stack; unset: all. */
  ROUTES: z.optional(z.string().check(z.regex(/^\w+(,\w+)*$/))),
  /**
   * Which devices GET /devices, GET and DELETE /devices/{deviceKey} and forget-others reach: `remembered` (the
   * token API's view) or `all` (the stage's `fullDeviceView`: signed admin calls, which need IAM permissions).
   */
  DEVICE_VISIBILITY: z._default(z.enum(['remembered', 'all']), 'remembered'),
  /** ForgetDevice calls per second when one request forgets a user's other devices. */
  FORGET_RATE_PER_SECOND: z._default(positiveInt(25), 3),
  /** Where the viewer's address comes from: `cloudfront` behind the edge (functions/http/viewer.ts). */
  VIEWER_ADDRESS: z._default(z.enum(['api-gateway', 'cloudfront']), 'api-gateway'),
  /** The Secrets Manager secret (name or ARN) whose value seals the list's cursors. */
  CURSOR_KEY_SECRET_ID: z.optional(name),
} satisfies Piece<'api'>;

/** The edge's origin secret (name or ARN): the edge authorizer reads it, the rotation writes it. */
export const Edge = {
  ORIGIN_SECRET_ID: name,
} satisfies Piece<'edge'>;

/** The rotation of the edge's origin secret: the distribution whose origin header carries it. */
export const Rotation = {
  DISTRIBUTION_ID: name,
} satisfies Piece<'rotation'>;

/** Thrown at cold start so a misconfigured function fails loudly instead of serving errors. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** One function's environment, parsed once against the pieces it composes; names the variables that are wrong. */
export function parseEnvironment<Shape extends z.core.$ZodLooseShape>(
  shape: Shape,
  env: Record<string, string | undefined>,
): z.infer<z.ZodMiniObject<Shape>> {
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    // The variables' names and zod's reasons (in English where the function loads zod's messages: the API does).
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment: ${issues.join('; ')}`);
  }
  return parsed.data;
}

/** A variable one function cannot run without, though others of the stack can: checked at that function's cold start. */
export function required<T>(value: T | undefined, variable: string, because = 'by this function'): T {
  if (value === undefined || value === '')
    throw new ConfigError(`Invalid environment: ${variable} is required ${because}`);
  return value;
}
