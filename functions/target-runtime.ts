import { AWS_ATTEMPT_TIMEOUT_MS } from './aws/timeouts.js';
import { CognitoApi, Events, Logging, parseEnvironment, Region, Trust } from './environment.js';
import { createEvents } from './events/create.js';
import { createLogger } from './logging.js';
import { trustSettings } from './trust/settings.js';

/** The functions beside the API: the post-authentication trigger and the trust check and expiry. */
const TargetEnvironment = { ...Region, ...CognitoApi, ...Logging, ...Events, ...Trust };

/**
 * What the functions beside the API share, from their environment parsed once: their log, device events' lines,
 * the options of a Cognito client with the function role's credentials, and `rememberFor`'s settings. Nothing of the API's
 * configuration, which they do not have.
 */
export function targetRuntime(env: Record<string, string | undefined>) {
  const e = parseEnvironment(TargetEnvironment, env);
  return {
    log: createLogger({ logLevel: e.LOG_LEVEL }),
    events: createEvents({ deviceEvents: e.DEVICE_EVENTS === 'on' }),
    /** The Cognito client's options (the trigger makes no Cognito call: its bundle has no client). */
    cognito: {
      region: e.AWS_REGION,
      endpoint: e.COGNITO_ENDPOINT,
      attemptTimeoutMs: AWS_ATTEMPT_TIMEOUT_MS,
      maxAttempts: 3,
    },
    trust: trustSettings(e),
  };
}
