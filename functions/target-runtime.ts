import * as z from 'zod/mini';
import { createEvents } from './events/create.js';
import { createLogger } from './logging.js';

/**
 * What the functions beside the API share (the post-authentication trigger, the trust expiry and check): their
 * region, log level and device events' bus, and a Cognito client with the function role's credentials. Nothing of
 * the API's configuration, which they do not have.
 */
export function targetRuntime(env: Record<string, string | undefined>) {
  const e = z
    .object({
      AWS_REGION: z._default(z.string(), 'us-east-1'),
      COGNITO_ENDPOINT: z.optional(z.url()),
      DEVICE_EVENTS: z._default(z.enum(['on', 'off']), 'off'),
      LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
      METRICS_DISABLED: z._default(z.enum(['true', 'false']), 'false'),
    })
    .parse(env);
  const log = createLogger({ logLevel: e.LOG_LEVEL });
  return {
    log,
    events: createEvents({ deviceEvents: e.DEVICE_EVENTS === 'on' }),
    cognito: { region: e.AWS_REGION, endpoint: e.COGNITO_ENDPOINT, attemptTimeoutMs: 2_000, maxAttempts: 3 },
  };
}
