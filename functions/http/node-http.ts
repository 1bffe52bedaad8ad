/**
 * What the functions' bundles get in place of `node:http` (an esbuild alias, see `infra/bundle-settings.ts`).
 * Importing a Node built-in as an ES module builds its ESM facade, which reads every export; `http`'s exports
 * include getters for WebSocket, CloseEvent and MessageEvent that load undici (nodejs/node#59686). On Node 24
 * here that is 35–50 ms of a cold start (`await import('node:http')` against ~6 ms for `require`), paid only
 * because Middy's util reads `STATUS_CODES`. `require` loads the same module without the facade.
 *
 * The names are those the bundled code uses; a new one fails the build (esbuild: no matching export).
 */
import { createRequire } from 'node:module';

const http: typeof import('node:http') = createRequire(import.meta.url)('node:http');

export default http;
export const { Agent, STATUS_CODES, request } = http;
