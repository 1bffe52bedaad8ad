import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import type { Config } from '../config.js';
import { sdkStageReader } from './sdk-stage-reader.js';
import { type SecretValues, secretValues } from './secret-values.js';

/**
 * A secret read with the AWS SDK and the function's own role (Lambda's environment credentials, as for the
 * Cognito admin calls): for the edge's authorizer, which must see a rotation's pending value at once. A value it
 * does not know makes it fetch again, at most once a second: API Gateway caches a refusal of the new value for
 * five minutes, and the rotation's new value reaches CloudFront seconds after it is pending.
 */
export function readSecret(config: Config, secretId: string): SecretValues {
  const client = new SecretsManagerClient({
    region: config.region,
    endpoint: config.secretsEndpoint,
    credentials: fromEnv(),
    maxAttempts: config.maxAttempts,
    requestHandler: {
      connectionTimeout: Math.min(1_000, config.attemptTimeoutMs),
      requestTimeout: config.attemptTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  return secretValues(sdkStageReader(client, secretId), { name: secretId, refreshMs: 1_000 });
}
