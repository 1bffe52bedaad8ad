import { loadConfig, required } from '../config.js';
import { makeOriginGuard } from '../edge/origin-guard.js';
import { createLogger } from '../logging.js';
import { readSecret } from '../secrets/client.js';

const config = loadConfig(process.env);
export const handler = makeOriginGuard(
  readSecret(config, required(config.originSecretId, 'ORIGIN_SECRET_ID')),
  createLogger(config),
);
