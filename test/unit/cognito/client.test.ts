import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCognitoClient } from '../../../functions/cognito/client.js';
import { CognitoDeviceDirectory } from '../../../functions/cognito/device-directory.js';

const TOKEN = 'header.payload.signature';
const OWNER = { accessToken: TOKEN, username: 'alice' };
const KEY = 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe('the real client against a misbehaving endpoint (bounded retries and budgets)', () => {
  let server: Server;
  let seen: string[];
  let behave: (req: IncomingMessage, res: ServerResponse) => void;

  beforeEach(async () => {
    seen = [];
    server = createServer((req, res) => {
      seen.push(String(req.headers['x-amz-target']));
      behave(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const realDirectory = (options: { attemptTimeoutMs: number; maxAttempts: number; budgetMs: number }) =>
    CognitoDeviceDirectory.create(
      createCognitoClient({
        region: 'eu-west-1',
        endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        attemptTimeoutMs: options.attemptTimeoutMs,
        maxAttempts: options.maxAttempts,
      }),
      options.budgetMs,
    );
  const cognitoError = (status: number, type: string) => (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ __type: type, message: 'injected' }));
  };

  it('sends AWS JSON 1.1 and retries an internal error once, then answers 502', async () => {
    behave = cognitoError(500, 'InternalErrorException');
    const dir = realDirectory({ attemptTimeoutMs: 1_000, maxAttempts: 2, budgetMs: 5_000 });
    await expect(dir.get(OWNER, KEY)).rejects.toMatchObject({ status: 502, code: 'upstream_internal_error' });
    expect(seen).toEqual([
      'AWSCognitoIdentityProviderService.GetDevice',
      'AWSCognitoIdentityProviderService.GetDevice',
    ]);
  });

  it('does not retry a client error', async () => {
    behave = cognitoError(400, 'ResourceNotFoundException');
    const dir = realDirectory({ attemptTimeoutMs: 1_000, maxAttempts: 3, budgetMs: 5_000 });
    await expect(dir.get(OWNER, KEY)).rejects.toMatchObject({ status: 404, code: 'device_not_found' });
    expect(seen).toHaveLength(1);
  });

  it('answers 504 when Cognito hangs past the call budget', async () => {
    behave = () => {};
    const dir = realDirectory({ attemptTimeoutMs: 5_000, maxAttempts: 2, budgetMs: 300 });
    const started = Date.now();
    await expect(dir.forget(OWNER, KEY)).rejects.toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers 504 when every attempt times out', async () => {
    behave = () => {};
    const dir = realDirectory({ attemptTimeoutMs: 150, maxAttempts: 2, budgetMs: 5_000 });
    await expect(dir.forget(OWNER, KEY)).rejects.toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(seen).toHaveLength(2);
  });
});
