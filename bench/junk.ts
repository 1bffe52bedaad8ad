/**
 * `npm run bench:junk`: what a request without a valid token costs a function, in-process (the real list
 * handler, verifier, logging and EMF metrics; Cognito answered by a canned transport for the valid case).
 * docs/reliability.md ("Abuse") turns these figures into Lambda concurrency and cost.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { Context } from 'aws-lambda';
import { createAuthenticator } from '../functions/auth/authenticator.js';
import { createAccessTokenVerifier } from '../functions/auth/verifier.js';
import { CognitoDeviceDirectory } from '../functions/cognito/device-directory.js';
import { makeListDevices } from '../functions/devices/actions/index.js';
import { createCursors } from '../functions/devices/cursor.js';
import { fixedSecret } from '../test/support/fake-directory.js';

const listDevices = makeListDevices(createCursors(fixedSecret('bench-cursor-key')), 'remembered');

import { createRouteHandler } from '../functions/http/route-handler.js';
import { createLogger } from '../functions/logging.js';
import { createRequestMetrics } from '../functions/metrics.js';
import { routes } from '../functions/routes.js';
import { cannedTransport } from '../test/support/canned-transport.js';
import { httpEvent } from '../test/support/events.js';
import { FakePasskeyDirectory } from '../test/support/fake-passkeys.js';
import { accessClaims, CLIENT_ID, createSigningKey, POOL_ID, signRs256 } from '../test/support/tokens.js';

const RUNS = Number(process.env.JUNK_RUNS ?? 20_000);
const key = createSigningKey();
const verifier = createAccessTokenVerifier({
  userPoolId: POOL_ID,
  clientIds: [CLIENT_ID],
  jwksUri: 'http://127.0.0.1:9/jwks.json',
});
verifier.cacheJwks({ keys: [key.jwk] });
const handler = createRouteHandler(routes.listDevices, listDevices, {
  authenticator: createAuthenticator(verifier, [CLIENT_ID]),
  passkeys: new FakePasskeyDirectory(),
  directory: CognitoDeviceDirectory.create(
    new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      requestHandler: cannedTransport('{"Devices":[]}'),
    }),
    5_000,
  ),
  // The production logger at INFO: the outcome line of every request is part of its cost.
  log: createLogger({ logLevel: 'INFO' }),
  metrics: createRequestMetrics(),
});
const now = Math.floor(Date.now() / 1000);
const cases: Array<[string, string, number]> = [
  ['Bearer x (not a JWT)', 'Bearer x', 401],
  ['forged signature', `Bearer ${signRs256(createSigningKey(key.kid), accessClaims())}`, 401],
  ['expired', `Bearer ${signRs256(key, accessClaims({ iat: now - 7200, exp: now - 3600 }))}`, 401],
  ['valid (Cognito canned)', `Bearer ${signRs256(key, accessClaims())}`, 200],
];
const context = { getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const write = process.stdout.write;
process.stdout.write = (() => true) as typeof process.stdout.write;
const results: Array<[string, number, number]> = [];
for (const [name, authorization, status] of cases) {
  const event = httpEvent({ method: 'GET', path: '/devices', headers: { authorization } });
  for (let i = 0; i < 2_000; i++) await handler(event, context);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const res = await handler(event, context);
    samples.push((performance.now() - started) * 1000);
    if (res.statusCode !== status) throw new Error(`${name}: ${res.statusCode}`);
  }
  samples.sort((a, b) => a - b);
  results.push([
    name,
    samples[Math.floor(samples.length / 2)] ?? 0,
    samples[Math.floor(samples.length * 0.99)] ?? 0,
  ]);
}
process.stdout.write = write;
console.log(`Per request, in-process, Node ${process.version}, ${RUNS} runs each (µs):`);
console.log('| Request | median | p99 |\n|---|---|---|');
for (const [name, median, p99] of results)
  console.log(`| ${name} | ${median.toFixed(0)} | ${p99.toFixed(0)} |`);
