import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { makeActions } from '../../functions/actions.js';
import { createAuthenticator } from '../../functions/auth/authenticator.js';
import { createAccessTokenVerifier } from '../../functions/auth/verifier.js';
import { createCursors } from '../../functions/devices/cursor.js';
import { createRouteHandler } from '../../functions/http/route-handler.js';
import { type RouteId, routes } from '../../functions/routes.js';
import { FakeDeviceDirectory, fixedSecret } from './fake-directory.js';
import { FakePasskeyDirectory } from './fake-passkeys.js';

/** The cursor key of the harness's list route. */
export const TEST_CURSOR_KEY = 'test-cursor-key';

import { RecordingLog, RecordingMetrics } from './recording-log.js';
import { accessClaims, CLIENT_ID, createSigningKey, POOL_ID, type SigningKey, signRs256 } from './tokens.js';

/** Port 9 (discard) on loopback refuses at once: an unknown `kid` can never reach the network. */
export const UNREACHABLE_JWKS = 'http://127.0.0.1:9/jwks.json';

export function createTestVerifier(key: SigningKey, clientIds = [CLIENT_ID]) {
  const verifier = createAccessTokenVerifier({ userPoolId: POOL_ID, clientIds, jwksUri: UNREACHABLE_JWKS });
  verifier.cacheJwks({ keys: [key.jwk] });
  return verifier;
}

/** Every route's real Middy handler, wired to a real verifier (preloaded JWKS) and a fake directory. */
const actions = makeActions({
  cursors: () => createCursors(fixedSecret(TEST_CURSOR_KEY)),
  view: 'remembered',
  // Fast in tests: the pacing is tested where it matters, against the stand-in.
  forgetRatePerSecond: 1_000,
});

/** RSA key generation is slow; one key per test file is enough. */
const sharedKey = createSigningKey();

export function createHarness(key: SigningKey = sharedKey) {
  const directory = new FakeDeviceDirectory();
  const passkeys = new FakePasskeyDirectory();
  const log = new RecordingLog();
  const metrics = new RecordingMetrics();
  const deps = {
    authenticator: createAuthenticator(createTestVerifier(key), [CLIENT_ID]),
    directory,
    passkeys,
    log,
    metrics,
  };
  const handlers = Object.fromEntries(
    (Object.keys(routes) as RouteId[]).map((id) => [id, createRouteHandler(routes[id], actions[id](), deps)]),
  ) as Record<RouteId, ReturnType<typeof createRouteHandler>>;
  const token = signRs256(key, accessClaims());
  return {
    key,
    directory,
    passkeys,
    log,
    metrics,
    token,
    bearer: { authorization: `Bearer ${token}` },
    invoke: async (id: RouteId, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
      handlers[id](event, {} as Context),
  };
}
