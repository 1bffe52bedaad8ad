import type { Config } from '../config.js';
import type { Log } from '../http/logger.js';
import { createEventMetrics } from '../metrics.js';
import type { EventPublisher } from './device-event.js';
import { createEventBridgePublisher } from './eventbridge.js';

/** The device events' publisher, when the stack gives the function a bus. */
export function createEvents(
  config: Pick<Config, 'region' | 'eventBusName' | 'eventsEndpoint' | 'attemptTimeoutMs' | 'metricsDisabled'>,
  log: Log,
): EventPublisher | undefined {
  if (config.eventBusName === undefined) return undefined;
  const metrics = createEventMetrics({ disabled: config.metricsDisabled });
  return createEventBridgePublisher({
    region: config.region,
    busName: config.eventBusName,
    endpoint: config.eventsEndpoint,
    timeoutMs: Math.min(1_500, config.attemptTimeoutMs),
    log,
    failed: (count) => metrics.failed(count),
  });
}
