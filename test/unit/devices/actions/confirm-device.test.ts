import { describe, expect, it } from 'vitest';
import {
  KEY,
  problem,
  routeEvents,
  routeHarness,
  STANDARD,
  USERNAME,
} from '../../../support/route-harness.js';

const h = routeHarness();
const { confirmEvent } = routeEvents(h);

describe('POST /devices (ConfirmDevice)', () => {
  it('confirms with name and verifier, answering 201 with Location', async () => {
    h.directory.userConfirmationNecessary = true;
    const res = await h.invoke(
      'confirmDevice',
      confirmEvent({
        deviceKey: KEY,
        deviceName: 'Work laptop',
        deviceSecretVerifierConfig: { passwordVerifier: 'cGFzcw==', salt: 'c2FsdA==' },
      }),
    );
    expect(res).toEqual({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', Location: `/devices/${KEY}`, ...STANDARD },
      body: JSON.stringify({ deviceKey: KEY, userConfirmationNecessary: true }),
    });
    expect(h.directory.calls).toEqual([
      {
        method: 'confirm',
        accessToken: h.token,
        username: USERNAME,
        args: [
          {
            deviceKey: KEY,
            deviceName: 'Work laptop',
            verifier: { passwordVerifier: 'cGFzcw==', salt: 'c2FsdA==' },
          },
        ],
      },
    ]);
  });

  it('names the device from the User-Agent when no name is given', async () => {
    const chrome =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36';
    const res = await h.invoke('confirmDevice', confirmEvent({ deviceKey: KEY }, { 'user-agent': chrome }));
    expect(res.statusCode).toBe(201);
    expect(h.directory.calls[0]?.args).toEqual([
      { deviceKey: KEY, deviceName: 'Chrome on macOS', verifier: undefined },
    ]);
  });

  it('accepts a base64-encoded body as API Gateway delivers binary payloads', async () => {
    const event = confirmEvent('');
    event.body = Buffer.from(JSON.stringify({ deviceKey: KEY, deviceName: 'Phone' })).toString('base64');
    event.isBase64Encoded = true;
    const res = await h.invoke('confirmDevice', event);
    expect(res.statusCode).toBe(201);
    expect(h.directory.calls[0]?.args).toEqual([
      { deviceKey: KEY, deviceName: 'Phone', verifier: undefined },
    ]);
  });

  it.each([
    ['a key that breaks the pattern', { deviceKey: 'no-underscore' }, '/deviceKey'],
    ['a key longer than 55', { deviceKey: `eu-west-1_${'a'.repeat(50)}` }, '/deviceKey'],
    ['a key with upper-case hex', { deviceKey: 'eu-west-1_ABCDEF' }, '/deviceKey'],
    ['an empty name', { deviceKey: KEY, deviceName: '' }, '/deviceName'],
    ['a name over 1024', { deviceKey: KEY, deviceName: 'x'.repeat(1025) }, '/deviceName'],
    ['a non-string name', { deviceKey: KEY, deviceName: 42 }, '/deviceName'],
    [
      'half a verifier',
      { deviceKey: KEY, deviceSecretVerifierConfig: { passwordVerifier: 'cGFzcw==' } },
      '/deviceSecretVerifierConfig/salt',
    ],
    [
      'a non-base64 verifier',
      { deviceKey: KEY, deviceSecretVerifierConfig: { passwordVerifier: 'not base64!', salt: 'c2FsdA==' } },
      '/deviceSecretVerifierConfig/passwordVerifier',
    ],
    [
      'an empty salt',
      { deviceKey: KEY, deviceSecretVerifierConfig: { passwordVerifier: 'cGFzcw==', salt: '' } },
      '/deviceSecretVerifierConfig/salt',
    ],
    ['an unknown field', { deviceKey: KEY, admin: true }, '/admin'],
    ['a missing key', {}, '/deviceKey'],
  ])('rejects %s with 400 and never calls Cognito', async (_name, body, pointer) => {
    const res = await h.invoke('confirmDevice', confirmEvent(body));
    expect(res.statusCode).toBe(400);
    expect(res.headers).toEqual({ 'Content-Type': 'application/problem+json', ...STANDARD });
    const problemBody = JSON.parse(String(res.body));
    expect(problemBody).toMatchObject({
      type: 'urn:cognito-device-bff:problem:invalid_request',
      status: 400,
      code: 'invalid_request',
    });
    expect(problemBody.invalidParams.map((p: { name: string }) => p.name)).toContain(pointer);
    expect(h.directory.calls).toEqual([]);
  });

  it('rejects a JSON array or null body with 400', async () => {
    for (const body of ['[]', 'null', '"x"']) {
      const res = await h.invoke('confirmDevice', confirmEvent(body));
      expect(res.statusCode).toBe(400);
    }
    expect(h.directory.calls).toEqual([]);
  });

  it('answers 400 malformed_json for broken JSON', async () => {
    const res = await h.invoke('confirmDevice', confirmEvent('{"deviceKey":'));
    expect(res).toEqual({
      statusCode: 400,
      headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
      body: JSON.stringify(
        problem(400, 'malformed_json', 'Bad Request', 'The request body is not valid JSON'),
      ),
    });
  });

  it('answers 400 forbidden_json_key for a prototype-pollution key, saying what was refused', async () => {
    for (const body of [
      `{"deviceKey":"${KEY}","__proto__":{"x":1}}`,
      `{"deviceKey":"${KEY}","constructor":{"prototype":{"x":1}}}`,
    ]) {
      const res = await h.invoke('confirmDevice', confirmEvent(body));
      expect(res).toEqual({
        statusCode: 400,
        headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
        body: JSON.stringify(
          problem(
            400,
            'forbidden_json_key',
            'Bad Request',
            'The request body uses a key that is refused to prevent prototype pollution (__proto__ or constructor)',
          ),
        ),
      });
    }
    expect(h.directory.calls).toEqual([]);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['']])(
    'answers 415 for content type %j',
    async (type) => {
      const res = await h.invoke('confirmDevice', confirmEvent({ deviceKey: KEY }, { 'content-type': type }));
      expect(res).toEqual({
        statusCode: 415,
        headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
        body: JSON.stringify(
          problem(
            415,
            'unsupported_media_type',
            'Unsupported Media Type',
            'The request body must be sent as application/json',
          ),
        ),
      });
    },
  );

  it('answers 413 for a body over 16 KiB, before parsing it', async () => {
    const res = await h.invoke('confirmDevice', confirmEvent(`{"deviceKey":"${'a'.repeat(17_000)}"`));
    expect(res).toEqual({
      statusCode: 413,
      headers: { 'Content-Type': 'application/problem+json', ...STANDARD },
      body: JSON.stringify(
        problem(413, 'payload_too_large', 'Content Too Large', 'The request body exceeds 16384 bytes'),
      ),
    });
  });

  it('checks the token before looking at the body', async () => {
    const event = confirmEvent('{broken', { authorization: '' });
    const res = await h.invoke('confirmDevice', event);
    expect(res.statusCode).toBe(401);
  });
});
