import { createCognitoClient } from '../cognito/client.js';
import { createTrustAdmin } from '../cognito/trust-admin.js';
import { targetRuntime } from '../target-runtime.js';
import { makeTrustExpiry } from '../trust/expiry.js';
import { trustFromEnv } from '../trust/settings.js';

/** The target of the trust schedules: retires a device whose trust has ended, once Cognito confirms it has. */
const { log, events, cognito } = targetRuntime(process.env);
const trust = trustFromEnv(process.env, { writes: false });
if (!trust) throw new Error('Invalid environment: REMEMBER_FOR_SECONDS is required by the trust expiry');
export const handler = makeTrustExpiry({
  cognito: createTrustAdmin(createCognitoClient(cognito)),
  trust,
  events,
  log,
});
