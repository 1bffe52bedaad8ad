import { createAuthenticator } from './auth/authenticator.js';
import { createAccessTokenVerifier } from './auth/verifier.js';
import { createCognitoClient } from './cognito/client.js';
import { CognitoDeviceDirectory } from './cognito/device-directory.js';
import { CognitoPasskeyDirectory } from './cognito/passkey-directory.js';
import { type Config, loadConfig } from './config.js';
import { createEvents } from './events/create.js';
import type { RouteDeps } from './http/route-handler.js';
import { createLogger } from './logging.js';
import { createRequestMetrics } from './metrics.js';
import { SCHEDULER_CALL_TIMEOUT_MS, trustRecords } from './trust/settings.js';

/** What every handler module of a process shares: its route dependencies and the config they came from. */
export interface Runtime extends RouteDeps {
  readonly config: Config;
}

/**
 * The composition root: config, logger, verifier and Cognito client, built once per process. The JWKS is
 * loaded here, at cold start; if that fails the verifier fetches it on first use instead of failing init.
 */
export async function createRuntime(env: Record<string, string | undefined>): Promise<Runtime> {
  const config = loadConfig(env);
  const log = createLogger(config);
  const verifier = createAccessTokenVerifier({
    userPoolId: config.userPoolId,
    clientIds: config.appClientIds,
    jwksUri: config.jwksUri,
  });
  try {
    await verifier.hydrate();
  } catch (error) {
    log.warn('JWKS not loaded at cold start; it will be fetched on first use', { error });
  }
  const client = createCognitoClient({
    region: config.region,
    endpoint: config.cognitoEndpoint,
    attemptTimeoutMs: config.attemptTimeoutMs,
    maxAttempts: config.maxAttempts,
  });
  return {
    config,
    authenticator: createAuthenticator(verifier, config.appClientIds),
    directory: CognitoDeviceDirectory.create(
      client,
      config.callBudgetMs,
      config.deviceVisibility === 'all' ? { userPoolId: config.userPoolId } : undefined,
    ),
    passkeys: new CognitoPasskeyDirectory(client, config.callBudgetMs),
    log,
    metrics: createRequestMetrics({ disabled: config.metricsDisabled }),
    events: createEvents(config),
    trust:
      config.trust &&
      trustRecords(config.trust, {
        timeoutMs: Math.min(SCHEDULER_CALL_TIMEOUT_MS, config.attemptTimeoutMs),
        userPoolId: config.userPoolId,
      }),
    viewerAddress: config.viewerAddress,
  };
}

/** One runtime per process, shared by every handler module loaded in it. */
export const runtime: Promise<Runtime> = createRuntime(process.env);
