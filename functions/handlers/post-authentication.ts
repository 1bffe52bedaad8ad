import * as z from 'zod/mini';
import { createEvents } from '../events/create.js';
import { createLogger } from '../logging.js';
import { makePostAuthentication } from '../triggers/post-authentication.js';
import { checksFromEnv } from '../trust/checks.js';

/**
 * The pool's post-authentication trigger (its own bundle: no Cognito client, no route). Its settings: the bus, the
 * region and the log level; nothing of the API's.
 */
const env = z
  .object({
    AWS_REGION: z._default(z.string(), 'us-east-1'),
    EVENT_BUS_NAME: z.optional(z.string().check(z.minLength(1))),
    EVENTS_ENDPOINT: z.optional(z.url()),
    LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
  })
  .parse(process.env);
const log = createLogger({ logLevel: env.LOG_LEVEL });
export const handler = makePostAuthentication({
  events: createEvents(
    {
      region: env.AWS_REGION,
      eventBusName: env.EVENT_BUS_NAME,
      eventsEndpoint: env.EVENTS_ENDPOINT,
      attemptTimeoutMs: 1_000,
    },
    log,
  ),
  checks: checksFromEnv(process.env),
  log,
  // Cognito waits 5 s for a trigger; this one gives up on its event well before.
  budgetMs: 1_500,
});
