import * as z from 'zod/mini';
import type { DeviceVisibility } from './devices/directory.js';
import { fallbackRoute, type RouteId, routes } from './routes.js';
import { describeIssues } from './validation.js';

/** Cognito user pool id, e.g. `eu-west-1_AbC123`; the region prefix is where the pool lives. */
const USER_POOL_ID = /^(?<region>[a-z]{2}(?:-[a-z]+)+-\d)_[0-9a-zA-Z]+$/;
/** `ClientIdType` in the Cognito model: 1..128 chars of `[\w+]+`. */
const CLIENT_ID = /^[\w+]{1,128}$/;

const positiveInt = (max: number) => z.coerce.number().check(z.int(), z.gte(1), z.lte(max));

const EnvSchema = z.object({
  USER_POOL_ID: z.string().check(z.regex(USER_POOL_ID, 'must look like <region>_<id>')),
  APP_CLIENT_IDS: z.string().check(z.minLength(1)),
  /** Local stack only: where the Cognito API is served instead of the regional endpoint. */
  COGNITO_ENDPOINT: z.optional(z.url()),
  /** Local stack and benchmark only: where the pool's JWKS is served (http, https or file) instead of the regional endpoint. */
  JWKS_URI: z.optional(z.url()),
  /** Time a single HTTP attempt to Cognito may take. */
  COGNITO_ATTEMPT_TIMEOUT_MS: z._default(positiveInt(60_000), 2_000),
  /** Attempts per Cognito call, first try included; the SDK retries only retryable errors. */
  COGNITO_MAX_ATTEMPTS: z._default(positiveInt(5), 2),
  /** Hard budget for one Cognito call including retries; must stay well inside the Lambda timeout. */
  COGNITO_CALL_BUDGET_MS: z._default(positiveInt(60_000), 5_000),
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  /** ForgetDevice calls per second when one request forgets a user's other devices. */
  FORGET_RATE_PER_SECOND: z._default(positiveInt(25), 3),
  /**
   * Which devices GET /devices, GET and DELETE /devices/{deviceKey} and forget-others reach: `remembered` (the
   * token API's view) or `all` (the stage's `fullDeviceView`: signed admin calls, which need IAM permissions).
   */
  DEVICE_VISIBILITY: z._default(z.enum(['remembered', 'all']), 'remembered'),
  /** The Secrets Manager secret (name or ARN) whose value seals the list's cursors; the list function needs it. */
  CURSOR_KEY_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
  /** The edge's origin secret (name or ARN); the edge authorizer needs it. */
  ORIGIN_SECRET_ID: z.optional(z.string().check(z.minLength(1))),
  /** Local stack only: where the Secrets Manager API is served instead of the regional endpoint. */
  SECRETS_ENDPOINT: z.optional(z.url()),
  /** `on`: the function writes a line per device event, for the delivery to publish (functions/events/event-log.ts). */
  DEVICE_EVENTS: z._default(z.enum(['on', 'off']), 'off'),
  /** Local stack: no EMF metric lines (they are for CloudWatch). */
  METRICS_DISABLED: z._default(z.enum(['true', 'false']), 'false'),
  /** Where the viewer's address comes from: `cloudfront` behind the edge (functions/http/viewer.ts). */
  VIEWER_ADDRESS: z._default(z.enum(['api-gateway', 'cloudfront']), 'api-gateway'),
  /** The routes this function serves (route ids, `notFound` for `$default`), set by the stack; unset: all. */
  ROUTES: z.optional(z.string().check(z.regex(/^\w+(,\w+)*$/))),
  /** The Parameters and Secrets Lambda Extension's port on localhost (the extension's own variable). */
  PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: z._default(positiveInt(65_535), 2_773),
  /** The function role's session token, set by Lambda: it authorizes calls to the secrets extension. */
  AWS_SESSION_TOKEN: z._default(z.string(), ''),
});

export interface Config {
  readonly userPoolId: string;
  readonly region: string;
  readonly appClientIds: readonly string[];
  readonly cognitoEndpoint: string | undefined;
  readonly jwksUri: string | undefined;
  readonly attemptTimeoutMs: number;
  readonly maxAttempts: number;
  readonly callBudgetMs: number;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  readonly forgetRatePerSecond: number;
  readonly deviceVisibility: DeviceVisibility;
  readonly cursorKeySecretId: string | undefined;
  readonly originSecretId: string | undefined;
  readonly secretsEndpoint: string | undefined;
  readonly secretsExtensionPort: number;
  readonly routes: ReadonlyArray<RouteId | 'notFound'> | undefined;
  readonly deviceEvents: boolean;
  readonly viewerAddress: 'api-gateway' | 'cloudfront';
  readonly metricsDisabled: boolean;
  readonly sessionToken: string;
}

/** Thrown at cold start so a misconfigured function fails loudly instead of serving errors. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; call it at module scope of the composition root. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(`Invalid environment: ${describeIssues(parsed.error.issues)}`);
  }
  const e = parsed.data;
  const appClientIds = e.APP_CLIENT_IDS.split(',').map((id) => id.trim());
  const badClient = appClientIds.find((id) => !CLIENT_ID.test(id));
  if (badClient !== undefined)
    throw new ConfigError(`Invalid environment: APP_CLIENT_IDS has bad id "${badClient}"`);
  if (e.COGNITO_ATTEMPT_TIMEOUT_MS > e.COGNITO_CALL_BUDGET_MS) {
    throw new ConfigError('Invalid environment: COGNITO_ATTEMPT_TIMEOUT_MS exceeds COGNITO_CALL_BUDGET_MS');
  }
  return {
    userPoolId: e.USER_POOL_ID,
    region: USER_POOL_ID.exec(e.USER_POOL_ID)?.groups?.region ?? '',
    appClientIds,
    cognitoEndpoint: e.COGNITO_ENDPOINT,
    jwksUri: e.JWKS_URI,
    attemptTimeoutMs: e.COGNITO_ATTEMPT_TIMEOUT_MS,
    maxAttempts: e.COGNITO_MAX_ATTEMPTS,
    callBudgetMs: e.COGNITO_CALL_BUDGET_MS,
    logLevel: e.LOG_LEVEL,
    forgetRatePerSecond: e.FORGET_RATE_PER_SECOND,
    deviceVisibility: e.DEVICE_VISIBILITY,
    cursorKeySecretId: e.CURSOR_KEY_SECRET_ID,
    originSecretId: e.ORIGIN_SECRET_ID,
    secretsEndpoint: e.SECRETS_ENDPOINT,
    secretsExtensionPort: e.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
    routes: e.ROUTES === undefined ? undefined : parseRoutes(e.ROUTES),
    deviceEvents: e.DEVICE_EVENTS === 'on',
    viewerAddress: e.VIEWER_ADDRESS,
    metricsDisabled: e.METRICS_DISABLED === 'true',
    sessionToken: e.AWS_SESSION_TOKEN,
  };
}

const knownRoutes = new Set<string>([...Object.keys(routes), fallbackRoute.id]);
function parseRoutes(list: string): ReadonlyArray<RouteId | 'notFound'> {
  const ids = list.split(',');
  const unknown = ids.find((id) => !knownRoutes.has(id));
  if (unknown !== undefined) throw new ConfigError(`Invalid environment: ROUTES names no route "${unknown}"`);
  return ids as Array<RouteId | 'notFound'>;
}

/** A setting one function cannot run without, though others of the stack can: checked at that function's cold start. */
export function required(value: string | undefined, variable: string): string {
  if (value === undefined)
    throw new ConfigError(`Invalid environment: ${variable} is required by this function`);
  return value;
}
