import { createCognitoClient } from '../cognito/client.js';
import { createTrustAdmin } from '../cognito/trust-admin.js';
import { required } from '../environment.js';
import { targetRuntime } from '../target-runtime.js';
import { makeTrustExpiry } from '../trust/expiry.js';
import { trustRecords } from '../trust/settings.js';

/** The target of the trust schedules: retires a device whose trust has ended, once Cognito confirms it has. */
const { log, events, cognito, trust } = targetRuntime(process.env);
export const handler = makeTrustExpiry({
  cognito: createTrustAdmin(createCognitoClient(cognito)),
  trust: trustRecords(required(trust, 'REMEMBER_FOR_SECONDS'), { writes: false }),
  events,
  log,
});
