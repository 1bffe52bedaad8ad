import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { sdkRequestHandler } from '../aws/timeouts.js';

export interface CognitoClientOptions {
  readonly region: string;
  /** Overrides the regional endpoint (the local stand-in). */
  readonly endpoint?: string | undefined;
  /** Time for one HTTP attempt; a slow attempt is abandoned and, if attempts remain, retried. */
  readonly attemptTimeoutMs: number;
  /** Attempts including the first; the SDK's standard strategy retries only throttling and transient errors. */
  readonly maxAttempts: number;
}

/**
 * Builds the one Cognito client of the process. The device operations are authorized by the user's access
 * token; the SDK sends them unsigned (`smithy.api#noAuth`), so a function needs no AWS credentials or IAM.
 * Only the full device view's admin calls are signed, with the credentials Lambda puts in the environment
 * of the function's role: no other source of credentials is ever consulted.
 */
export function createCognitoClient(options: CognitoClientOptions): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: fromEnv(),
    maxAttempts: options.maxAttempts,
    retryMode: 'standard',
    requestHandler: sdkRequestHandler(options.attemptTimeoutMs),
  });
}
