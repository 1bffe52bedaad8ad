import { targetRuntime } from '../target-runtime.js';
import { makePostAuthentication } from '../triggers/post-authentication.js';
import { checksFromEnv } from '../trust/checks.js';

/** The pool's post-authentication trigger (its own bundle: no route, nothing of the API's settings). */
const { log, events } = targetRuntime(process.env);
export const handler = makePostAuthentication({
  events,
  checks: checksFromEnv(process.env),
  log,
  // Cognito waits 5 s for a trigger; this one gives up on its event well before.
  budgetMs: 1_500,
});
