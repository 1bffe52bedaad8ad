import { AWS_ATTEMPT_TIMEOUT_MS, DELIVERY_CALL_TIMEOUT_MS } from '../aws/timeouts.js';
import { createDeviceNames } from '../cognito/device-names.js';
import { Delivery, Logging, parseEnvironment, Region } from '../environment.js';
import { makeEventDelivery } from '../events/delivery.js';
import { createEventBridgeBus } from '../events/eventbridge.js';
import { createRetryQueue } from '../events/retry-queue.js';
import { createLogger } from '../logging.js';
import { createDeliveryMetrics } from '../metrics.js';

/** Publishes the device events the functions wrote (CloudWatch Logs' subscription), and those kept for later (SQS). */
const env = parseEnvironment({ ...Region, ...Logging, ...Delivery }, process.env);
export const handler = makeEventDelivery({
  bus: createEventBridgeBus({
    region: env.AWS_REGION,
    busName: env.EVENT_BUS_NAME,
    endpoint: env.EVENTS_ENDPOINT,
    timeoutMs: DELIVERY_CALL_TIMEOUT_MS,
  }),
  queue: createRetryQueue({
    region: env.AWS_REGION,
    queueUrl: env.RETRY_QUEUE_URL,
    endpoint: env.SQS_ENDPOINT,
    timeoutMs: DELIVERY_CALL_TIMEOUT_MS,
  }),
  names:
    env.USER_POOL_ID === undefined
      ? undefined
      : createDeviceNames({
          region: env.AWS_REGION,
          userPoolId: env.USER_POOL_ID,
          endpoint: env.COGNITO_ENDPOINT,
          timeoutMs: AWS_ATTEMPT_TIMEOUT_MS,
        }),
  log: createLogger({ logLevel: env.LOG_LEVEL }),
  deferred: createDeliveryMetrics({ disabled: env.METRICS_DISABLED === 'true' }).deferred,
});
