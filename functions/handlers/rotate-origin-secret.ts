import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { z } from 'zod/mini';
import { makeOriginSecretRotation } from '../edge/rotation.js';

/** Set by the stack: the distribution whose origin header carries the secret. */
const { DISTRIBUTION_ID, AWS_REGION } = z
  .object({ DISTRIBUTION_ID: z.string().check(z.minLength(1)), AWS_REGION: z.string().check(z.minLength(1)) })
  .parse(process.env);

export const handler = makeOriginSecretRotation({
  secrets: new SecretsManagerClient({ region: AWS_REGION, credentials: fromEnv() }),
  cloudFront: new CloudFrontClient({ region: 'us-east-1', credentials: fromEnv() }),
  distributionId: DISTRIBUTION_ID,
});
