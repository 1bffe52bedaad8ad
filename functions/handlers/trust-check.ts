import { createCognitoClient } from '../cognito/client.js';
import { createTrustAdmin } from '../cognito/trust-admin.js';
import { required } from '../environment.js';
import { targetRuntime } from '../target-runtime.js';
import { trustRecords } from '../trust/settings.js';
import { makeTrustCheck } from '../trust/sign-in-check.js';

/** The target of the checks after sign-ins: one user's devices against their records of trust. */
const { log, events, cognito, trust } = targetRuntime(process.env);
export const handler = makeTrustCheck({
  cognito: createTrustAdmin(createCognitoClient(cognito)),
  trust: trustRecords(required(trust, 'REMEMBER_FOR_SECONDS')),
  events,
  log,
});
