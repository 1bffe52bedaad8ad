import type { DeviceVisibility } from './devices/directory.js';
import {
  Api,
  Cognito,
  ConfigError,
  Events,
  Logging,
  parseEnvironment,
  Region,
  Secrets,
  Trust,
  USER_POOL_ID_PATTERN,
} from './environment.js';
import { fallbackRoute, type RouteId, routes } from './routes.js';
import { type TrustSettings, trustSettings } from './trust/settings.js';

export { ConfigError } from './environment.js';

/** `ClientIdType` in the Cognito model: 1..128 chars of `[\w+]+`. */
const CLIENT_ID = /^[\w+]{1,128}$/;

/** The API's functions: the pool and clients, logs, events, secrets, what they serve, and `rememberFor`. */
const ApiEnvironment = { ...Region, ...Cognito, ...Logging, ...Events, ...Secrets, ...Api, ...Trust };
export type ApiEnvironment = ReturnType<typeof parseApiEnvironment>;
const parseApiEnvironment = (env: Record<string, string | undefined>) =>
  parseEnvironment(ApiEnvironment, env);

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
  readonly secretsEndpoint: string | undefined;
  readonly secretsExtensionPort: number;
  readonly routes: ReadonlyArray<RouteId | 'notFound'> | undefined;
  readonly deviceEvents: boolean;
  readonly viewerAddress: 'api-gateway' | 'cloudfront';
  readonly metricsDisabled: boolean;
  readonly sessionToken: string;
  /** `rememberFor`'s settings; undefined when the stage does not limit trust. */
  readonly trust: TrustSettings | undefined;
}

/** Parses the environment once; call it at module scope of the composition root. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const e = parseApiEnvironment(env);
  const appClientIds = e.APP_CLIENT_IDS.split(',').map((id) => id.trim());
  const badClient = appClientIds.find((id) => !CLIENT_ID.test(id));
  if (badClient !== undefined)
    throw new ConfigError(`Invalid environment: APP_CLIENT_IDS has bad id "${badClient}"`);
  if (e.COGNITO_ATTEMPT_TIMEOUT_MS > e.COGNITO_CALL_BUDGET_MS) {
    throw new ConfigError('Invalid environment: COGNITO_ATTEMPT_TIMEOUT_MS exceeds COGNITO_CALL_BUDGET_MS');
  }
  return {
    userPoolId: e.USER_POOL_ID,
    region: USER_POOL_ID_PATTERN.exec(e.USER_POOL_ID)?.groups?.region ?? '',
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
    secretsEndpoint: e.SECRETS_ENDPOINT,
    secretsExtensionPort: e.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
    routes: e.ROUTES === undefined ? undefined : parseRoutes(e.ROUTES),
    deviceEvents: e.DEVICE_EVENTS === 'on',
    viewerAddress: e.VIEWER_ADDRESS,
    metricsDisabled: e.METRICS_DISABLED === 'true',
    sessionToken: e.AWS_SESSION_TOKEN,
    trust: trustSettings(e),
  };
}

const knownRoutes = new Set<string>([...Object.keys(routes), fallbackRoute.id]);
function parseRoutes(list: string): ReadonlyArray<RouteId | 'notFound'> {
  const ids = list.split(',');
  const unknown = ids.find((id) => !knownRoutes.has(id));
  if (unknown !== undefined) throw new ConfigError(`Invalid environment: ROUTES names no route "${unknown}"`);
  return ids as Array<RouteId | 'notFound'>;
}
