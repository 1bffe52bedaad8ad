import { makeOriginGuard } from '../edge/origin-guard.js';
import { Edge, Logging, parseEnvironment, Region, Secrets } from '../environment.js';
import { createLogger } from '../logging.js';
import { readSecret } from '../secrets/client.js';

/** The edge's authorizer reads one secret, nothing of the pool's or the API's settings. */
const env = parseEnvironment({ ...Region, ...Logging, ...Secrets, ...Edge }, process.env);
export const handler = makeOriginGuard(
  readSecret({ region: env.AWS_REGION, endpoint: env.SECRETS_ENDPOINT, secretId: env.ORIGIN_SECRET_ID }),
  createLogger({ logLevel: env.LOG_LEVEL }),
);
