/**
 * Every environment variable a BFF function reads, by concern: the names the construct and the local stack write
 * (infra/function-environment.ts) and the functions parse (functions/environment.ts, one zod piece per concern,
 * checked against these lists by the compiler). No zod here: the construct's package loads this module.
 */
export const variableNames = {
  /** Where the function runs (Lambda sets it). */
  region: ['AWS_REGION'],
  logging: ['LOG_LEVEL', 'METRICS_DISABLED', 'POWERTOOLS_SERVICE_NAME'],
  cognitoApi: ['COGNITO_ENDPOINT'],
  cognito: [
    'COGNITO_ENDPOINT',
    'USER_POOL_ID',
    'APP_CLIENT_IDS',
    'JWKS_URI',
    'COGNITO_ATTEMPT_TIMEOUT_MS',
    'COGNITO_MAX_ATTEMPTS',
    'COGNITO_CALL_BUDGET_MS',
  ],
  events: ['DEVICE_EVENTS'],
  delivery: [
    'COGNITO_ENDPOINT',
    'EVENT_BUS_NAME',
    'RETRY_QUEUE_URL',
    'USER_POOL_ID',
    'EVENTS_ENDPOINT',
    'SQS_ENDPOINT',
  ],
  trust: [
    'REMEMBER_FOR_SECONDS',
    'TRUST_GROUP',
    'TRUST_ROLE_ARN',
    'TRUST_EXPIRY_ARN',
    'TRUST_CHECK_ARN',
    'TRUST_CHECK_DELAY_SECONDS',
    'SCHEDULER_ENDPOINT',
  ],
  secrets: ['SECRETS_ENDPOINT', 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT', 'AWS_SESSION_TOKEN'],
  api: ['ROUTES', 'DEVICE_VISIBILITY', 'FORGET_RATE_PER_SECOND', 'VIEWER_ADDRESS', 'CURSOR_KEY_SECRET_ID'],
  edge: ['ORIGIN_SECRET_ID'],
  rotation: ['DISTRIBUTION_ID'],
} as const;

export type Concern = keyof typeof variableNames;
export type VariableName<C extends Concern> = (typeof variableNames)[C][number];

/** The variables of some concerns, as the writer sets them: strings, each named above. */
export type Variables<C extends Concern> = { readonly [Name in VariableName<C>]?: string };
