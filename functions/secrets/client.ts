import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { AWS_ATTEMPT_TIMEOUT_MS, sdkRequestHandler } from '../aws/timeouts.js';
import { sdkStageReader } from './sdk-stage-reader.js';
import { type SecretValues, secretValues } from './secret-values.js';

/**
 * A secret read with the AWS SDK and the function's own role (Lambda's environment credentials, as for the
 * Cognito admin calls): for the edge's authorizer, which must see a rotation's pending value at once. A value it
 * does not know makes it fetch again, at most once a second: API Gateway caches a refusal of the new value for
 * five minutes, and the rotation's new value reaches CloudFront seconds after it is pending.
 */
export function readSecret(options: {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly secretId: string;
}): SecretValues {
  const { secretId } = options;
  const client = new SecretsManagerClient({
    region: options.region,
    endpoint: options.endpoint,
    credentials: fromEnv(),
    maxAttempts: 2,
    requestHandler: sdkRequestHandler(AWS_ATTEMPT_TIMEOUT_MS),
  });
  return secretValues(sdkStageReader(client, secretId), { name: secretId, refreshMs: 1_000 });
}
