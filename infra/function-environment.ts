import { AWS_ATTEMPT_TIMEOUT_MS } from '../functions/aws/timeouts.js';
import type { Variables } from '../functions/environment-names.js';

/**
 * The one writer of the functions' environment, for the construct and the local stack alike: each function takes
 * the concerns of functions/environment-names.ts it reads, and every name here is checked against them. No CDK imports (the
 * local stack loads fast); values may be CDK tokens.
 */

/** Every BFF function's timeout: the Cognito call budget and Middy's early-timeout margin sit well inside it. */
export const FUNCTION_TIMEOUT_SECONDS = 10;

const SERVICE_NAME = 'cognito-device-bff';

export const loggingVariables = (logLevel: string): Variables<'logging'> => ({
  LOG_LEVEL: logLevel,
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
});

/** A function that makes changes writes their device events as lines of its log, when the stack has events. */
export const eventVariables = (deviceEvents: boolean): Variables<'events'> =>
  deviceEvents ? { DEVICE_EVENTS: 'on' } : {};

export interface ApiFunctionSettings {
  readonly userPoolId: string;
  readonly clientIds: readonly string[];
  readonly logLevel: string;
  /** `all` for a route function of a stage with the full device view (it also needs the IAM actions). */
  readonly deviceVisibility?: 'remembered' | 'all';
  /** The cursor key's secret, for the function that issues and takes cursors. */
  readonly cursorKeySecretId?: string;
  /** Behind the edge: the viewer's address is CloudFront's `CloudFront-Viewer-Address` (functions/http/viewer.ts). */
  readonly behindEdge?: boolean;
  /** The routes this function serves (route ids); unset: all of them (the local API, one process). */
  readonly routes?: readonly string[];
  readonly deviceEvents?: boolean;
}

/** An API function's environment (functions/config.ts parses it at cold start). */
export function apiVariables(
  props: ApiFunctionSettings,
): Variables<'cognito' | 'logging' | 'events' | 'api'> {
  return {
    USER_POOL_ID: props.userPoolId,
    APP_CLIENT_IDS: props.clientIds.join(','),
    COGNITO_ATTEMPT_TIMEOUT_MS: String(AWS_ATTEMPT_TIMEOUT_MS),
    COGNITO_MAX_ATTEMPTS: '2',
    COGNITO_CALL_BUDGET_MS: '5000',
    ...loggingVariables(props.logLevel),
    ...eventVariables(props.deviceEvents ?? false),
    ...(props.deviceVisibility === 'all' && { DEVICE_VISIBILITY: 'all' }),
    ...(props.cursorKeySecretId && { CURSOR_KEY_SECRET_ID: props.cursorKeySecretId }),
    ...(props.behindEdge && { VIEWER_ADDRESS: 'cloudfront' }),
    ...(props.routes && { ROUTES: props.routes.join(',') }),
  };
}

/**
 * `rememberFor`, for a function that takes part: the API's functions make trust records (role and expiry); the trust
 * check too; the pool's trigger makes checks (role and check); the expiry makes nothing (and could not name itself).
 */
export function trustVariables(props: {
  readonly rememberForSeconds: number;
  readonly group: string;
  readonly roleArn?: string;
  readonly expiryArn?: string;
  readonly checkArn?: string;
  readonly schedulerEndpoint?: string;
}): Variables<'trust'> {
  return {
    REMEMBER_FOR_SECONDS: String(props.rememberForSeconds),
    TRUST_GROUP: props.group,
    ...(props.roleArn && { TRUST_ROLE_ARN: props.roleArn }),
    ...(props.expiryArn && { TRUST_EXPIRY_ARN: props.expiryArn }),
    ...(props.checkArn && { TRUST_CHECK_ARN: props.checkArn }),
    ...(props.schedulerEndpoint && { SCHEDULER_ENDPOINT: props.schedulerEndpoint }),
  };
}

/** The device events' delivery: the bus, the retry queue and the pool whose devices it names. */
export function deliveryVariables(props: {
  readonly busName: string;
  readonly retryQueueUrl: string;
  readonly userPoolId?: string;
}): Variables<'delivery'> {
  return {
    EVENT_BUS_NAME: props.busName,
    RETRY_QUEUE_URL: props.retryQueueUrl,
    ...(props.userPoolId && { USER_POOL_ID: props.userPoolId }),
  };
}

/** The edge authorizer: the origin secret it checks requests against. */
export const edgeVariables = (originSecretId: string): Variables<'edge'> => ({
  ORIGIN_SECRET_ID: originSecretId,
});

/** The origin secret's rotation: the distribution whose origin header carries it. */
export const rotationVariables = (distributionId: string): Variables<'rotation'> => ({
  DISTRIBUTION_ID: distributionId,
});

/** The local stack's stand-ins, in place of the regional endpoints (and Lambda's secrets extension). */
export function localServiceVariables(props: {
  readonly cognito: string;
  readonly jwksUri: string;
  readonly secrets: string;
  readonly secretsExtensionPort: number;
  readonly events: string;
  readonly sqs: string;
}): Variables<'cognito' | 'secrets' | 'delivery'> {
  return {
    COGNITO_ENDPOINT: props.cognito,
    JWKS_URI: props.jwksUri,
    SECRETS_ENDPOINT: props.secrets,
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(props.secretsExtensionPort),
    // What Lambda gives every function's role; the extension checks that a caller has it.
    AWS_SESSION_TOKEN: 'local-function-role-session',
    EVENTS_ENDPOINT: props.events,
    SQS_ENDPOINT: props.sqs,
  };
}
