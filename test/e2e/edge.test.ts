// Routes: GET /devices through the edge (CloudFront's and the origin secret's stand-ins). Flows: around the edge is
// refused; a rotated secret; events name the viewer CloudFront saw.
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localStageConfig } from '../../local/settings.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { onApiCall, signIn } from '../support/local-stack.js';

/**
 * The stage's `edge` on the local stack: the API lets through only requests that came through the edge (its
 * authorizer requires the origin secret CloudFront adds), so calling it directly, where the WAF cannot see, gets
 * nothing done; and the secret rotates without refusing traffic through the edge.
 */
let stack: LocalStack;
let edgeUrl: string;
let token: string;
/** What reached a function: every operation the stand-in received. */
const cognitoCalls: string[] = [];

beforeAll(async () => {
  stack = await startLocalStack({
    config: { ...localStageConfig({}), stage: 'prod', edge: true, deviceTracking: 'always', mfa: 'off' },
    region: 'us-east-1',
    logLevel: 'SILENT',
  });
  edgeUrl = stack.edge?.url ?? '';
  token = (await signIn(stack, 'edge-user')).accessToken;
  onApiCall(stack, (op) => cognitoCalls.push(op));
});
afterAll(async () => {
  await stack?.close();
});

const get = (base: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/devices`, { headers: { authorization: `Bearer ${token}`, ...headers } });

it('through the edge: answered', async () => {
  expect((await get(edgeUrl)).status).toBe(200);
});

it('around the edge (the API URL itself), with a valid token: refused before any function runs', async () => {
  cognitoCalls.length = 0;
  const invoked = { ...stack.api.invocations };
  const direct = await get(stack.api.url);
  expect(direct.status).toBe(401);
  expect(await direct.json()).toEqual({ message: 'Unauthorized' });
  const forged = await get(stack.api.url, { 'x-origin-verify': 'a guess' });
  expect(forged.status).toBe(403);
  expect(await forged.json()).toEqual({ message: 'Forbidden' });
  // Unmatched paths and other methods too: the $default route is behind the same authorizer.
  expect((await fetch(`${stack.api.url}/nothing`)).status).toBe(401);
  // No function ran (the $default one, which never calls Cognito, included), and Cognito saw nothing.
  expect(stack.api.invocations).toEqual(invoked);
  expect(cognitoCalls).toEqual([]);
  // Through the edge, the same requests are invocations.
  await get(edgeUrl);
  expect(stack.api.invocations.api).toBe((invoked.api ?? 0) + 1);
});

it('a rotated secret: the edge sends the new one and is let through; the previous still works meanwhile', async () => {
  const originSecretId = stack.edge?.originSecretId ?? '';
  const old = stack.secrets.value(originSecretId) ?? '';
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: stack.secrets.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(
    new PutSecretValueCommand({ SecretId: originSecretId, SecretString: 'the-next-origin-secret' }),
  );
  client.destroy();
  // CloudFront sends a new value seconds after it is pending; the authorizer refetches at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  expect((await get(edgeUrl)).status).toBe(200);
  expect((await get(stack.api.url, { 'x-origin-verify': old })).status).toBe(200);
});

it('events name the viewer CloudFront saw, never an address a client wrote, and a user agent made safe to show', async () => {
  const device = async () => {
    const session = await signIn(stack, 'edge-user');
    return { token: session.accessToken, key: session.newDevice?.DeviceKey ?? '' };
  };
  const confirmed = async () => {
    await stack.eventsDelivered();
    return stack.events.events.filter((e) => e.detailType === 'Device confirmed').at(-1)?.detail;
  };
  // Through the edge, a viewer writing CloudFront's header itself: the edge replaces it with what it saw.
  const first = await device();
  // Headers travel as bytes: the UTF-8 of a direction override and 600 emoji, as an HTTP parser reads them (Latin-1).
  const hostile = Buffer.from(`\u202Egnp.exe ${'🙂'.repeat(600)}`, 'utf8').toString('latin1');
  const answer = await fetch(`${edgeUrl}/devices`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${first.token}`,
      'content-type': 'application/json',
      'cloudfront-viewer-address': '198.51.100.7:1234',
      'user-agent': hostile,
    },
    body: JSON.stringify({ deviceKey: first.key, deviceName: 'Edge phone' }),
  });
  expect(answer.status).toBe(201);
  const detail = await confirmed();
  expect(detail?.sourceIp).toBe('127.0.0.1');
  // Cut to 512 characters, and nothing that could disguise it: no control (the C1 bytes of U+202E's UTF-8 included).
  expect([...String(detail?.userAgent)]).toHaveLength(512);
  expect(String(detail?.userAgent)).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
  // What CloudFront sends (the origin secret and the viewer's address it adds): that address is the event's.
  const second = await device();
  const originSecret = stack.secrets.value(stack.edge?.originSecretId ?? '') ?? '';
  const asCloudFront = await fetch(`${stack.api.url}/devices`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${second.token}`,
      'content-type': 'application/json',
      'x-origin-verify': originSecret,
      'cloudfront-viewer-address': '203.0.113.9:51234',
    },
    body: JSON.stringify({ deviceKey: second.key, deviceName: 'Edge tablet' }),
  });
  expect(asCloudFront.status).toBe(201);
  expect((await confirmed())?.sourceIp).toBe('203.0.113.9');
});
