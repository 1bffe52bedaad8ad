import type { Config } from '../config.js';
import { extensionStageReader, type SecretValues, secretValues } from './secret-values.js';

/**
 * A secret read through the Parameters and Secrets Lambda Extension (its port and the function's session token
 * come from the environment Lambda sets): no Secrets Manager client in the bundle, and values cached by the
 * extension as well. For the list function's cursor key.
 */
export function readSecretViaExtension(config: Config, secretId: string): SecretValues {
  return secretValues(
    extensionStageReader({
      secretId,
      port: config.secretsExtensionPort,
      sessionToken: config.sessionToken,
      timeoutMs: config.attemptTimeoutMs,
    }),
    { name: secretId },
  );
}
