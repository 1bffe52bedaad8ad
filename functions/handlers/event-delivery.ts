import * as z from 'zod/mini';
import { makeEventDelivery } from '../events/delivery.js';
import { createDeviceNames } from '../events/device-names.js';
import { createEventBridgeBus } from '../events/eventbridge.js';
import { createRetryQueue } from '../events/retry-queue.js';
import { createLogger } from '../logging.js';
import { createDeliveryMetrics } from '../metrics.js';

/** Publishes the device events the functions wrote (CloudWatch Logs' subscription), and those kept for later (SQS). */
const env = z
  .object({
    AWS_REGION: z._default(z.string(), 'us-east-1'),
    EVENT_BUS_NAME: z.string().check(z.minLength(1)),
    /** The pool whose devices the `nameLater` events name (AdminGetDevice); unset: they keep a null name. */
    USER_POOL_ID: z.optional(z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/))),
    RETRY_QUEUE_URL: z.url(),
    /** Local stack only: where the EventBridge and SQS stand-ins listen. */
    EVENTS_ENDPOINT: z.optional(z.url()),
    SQS_ENDPOINT: z.optional(z.url()),
    COGNITO_ENDPOINT: z.optional(z.url()),
    LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'INFO'),
    METRICS_DISABLED: z._default(z.enum(['true', 'false']), 'false'),
  })
  .parse(process.env);
export const handler = makeEventDelivery({
  bus: createEventBridgeBus({
    region: env.AWS_REGION,
    busName: env.EVENT_BUS_NAME,
    endpoint: env.EVENTS_ENDPOINT,
    timeoutMs: 3_000,
  }),
  queue: createRetryQueue({
    region: env.AWS_REGION,
    queueUrl: env.RETRY_QUEUE_URL,
    endpoint: env.SQS_ENDPOINT,
    timeoutMs: 3_000,
  }),
  names:
    env.USER_POOL_ID === undefined
      ? undefined
      : createDeviceNames({
          region: env.AWS_REGION,
          userPoolId: env.USER_POOL_ID,
          endpoint: env.COGNITO_ENDPOINT,
          timeoutMs: 2_000,
        }),
  log: createLogger({ logLevel: env.LOG_LEVEL }),
  deferred: createDeliveryMetrics({ disabled: env.METRICS_DISABLED === 'true' }).deferred,
});
