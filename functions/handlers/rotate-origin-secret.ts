import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { makeOriginSecretRotation } from '../edge/rotation.js';
import { parseEnvironment, Region, Rotation } from '../environment.js';

/** Set by the stack: the distribution whose origin header carries the secret. */
const { DISTRIBUTION_ID, AWS_REGION } = parseEnvironment({ ...Region, ...Rotation }, process.env);

export const handler = makeOriginSecretRotation({
  secrets: new SecretsManagerClient({ region: AWS_REGION, credentials: fromEnv() }),
  cloudFront: new CloudFrontClient({ region: 'us-east-1', credentials: fromEnv() }),
  distributionId: DISTRIBUTION_ID,
});
