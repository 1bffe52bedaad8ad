import { createCognitoClient } from '../cognito/client.js';
import { createTrustAdmin } from '../cognito/trust-admin.js';
import { targetRuntime } from '../target-runtime.js';
import { trustFromEnv } from '../trust/settings.js';
import { makeTrustCheck } from '../trust/sign-in-check.js';

/** The target of the checks after sign-ins: one user's devices against their records of trust. */
const { log, events, cognito } = targetRuntime(process.env);
const trust = trustFromEnv(process.env);
if (!trust) throw new Error('Invalid environment: REMEMBER_FOR_SECONDS is required by the trust check');
export const handler = makeTrustCheck({
  cognito: createTrustAdmin(createCognitoClient(cognito)),
  trust,
  events,
  log,
});
