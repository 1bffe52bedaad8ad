/**
 * Settings every BFF function runs with, shared by the stack and the local API (no CDK imports here, so the
 * local stack loads fast). The Cognito call budget and Middy's early-timeout margin sit well inside the timeout.
 */
export const FUNCTION_TIMEOUT_SECONDS = 10;

export interface FunctionEnvironmentProps {
  readonly userPoolId: string;
  readonly clientIds: readonly string[];
  readonly logLevel: string;
  /** `all` for a route function of a stage with the full device view (it also needs the IAM actions). */
  readonly deviceVisibility?: 'remembered' | 'all';
  /** The cursor key's secret, for the function that issues and takes cursors. */
  readonly cursorKeySecretId?: string;
  /** Behind the edge: the viewer's address is CloudFront's `CloudFront-Viewer-Address` (functions/http/viewer.ts). */
  readonly behindEdge?: boolean;
}

/** The environment `functions/config.ts` parses at cold start. */
export function functionEnvironment(props: FunctionEnvironmentProps): Record<string, string> {
  return {
    USER_POOL_ID: props.userPoolId,
    APP_CLIENT_IDS: props.clientIds.join(','),
    COGNITO_ATTEMPT_TIMEOUT_MS: '2000',
    COGNITO_MAX_ATTEMPTS: '2',
    COGNITO_CALL_BUDGET_MS: '5000',
    LOG_LEVEL: props.logLevel,
    POWERTOOLS_SERVICE_NAME: 'cognito-device-bff',
    ...(props.deviceVisibility === 'all' && { DEVICE_VISIBILITY: 'all' }),
    ...(props.cursorKeySecretId && { CURSOR_KEY_SECRET_ID: props.cursorKeySecretId }),
    ...(props.behindEdge && { VIEWER_ADDRESS: 'cloudfront' }),
  };
}
