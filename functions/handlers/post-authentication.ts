import { postAuthenticationFromEnv } from '../triggers/post-authentication.js';

/** The pool's post-authentication trigger (its own bundle: no route, nothing of the API's settings). */
export const handler = postAuthenticationFromEnv(process.env);
