import { describe, expect, it } from 'vitest';
import { httpEvent } from '../../../support/events.js';
import { sampleDevice } from '../../../support/fake-directory.js';
import { binding, cursors, routeHarness, STANDARD, seen, USERNAME } from '../../../support/route-harness.js';

const h = routeHarness();

describe('GET /devices (ListDevices)', () => {
  const listEvent = (query?: Record<string, string>) =>
    httpEvent({
      method: 'GET',
      path: '/devices',
      headers: { ...h.bearer },
      ...(query && { queryStringParameters: query }),
    });

  it('lists one page and wraps the next page token in an opaque cursor', async () => {
    h.directory.page = { devices: [sampleDevice], nextPageToken: 'cognito-page-2' };
    const res = await h.invoke(
      'listDevices',
      listEvent({ limit: '10', cursor: await cursors.seal('cognito-page-1', binding) }),
    );
    expect(res).toEqual({
      statusCode: 200,
      headers: { 'Content-Type': 'application/json', ...STANDARD },
      body: JSON.stringify({
        devices: [seen(sampleDevice, 'Chrome on macOS')],
        nextCursor: await cursors.seal('cognito-page-2', binding),
      }),
    });
    expect(h.directory.calls).toEqual([
      {
        method: 'list',
        accessToken: h.token,
        username: USERNAME,
        args: [{ limit: 10, pageToken: 'cognito-page-1' }],
      },
    ]);
  });

  it('answers nextCursor null on the last page and asks Cognito for 60 when no limit is given', async () => {
    const res = await h.invoke('listDevices', listEvent());
    expect(JSON.parse(String(res.body)).nextCursor).toBeNull();
    expect(h.directory.calls[0]?.args).toEqual([{ limit: 60, pageToken: undefined }]);
  });

  it.each([
    [{ limit: '0' }],
    [{ limit: '61' }],
    [{ limit: '1.5' }],
    [{ limit: 'ten' }],
    [{ limit: '1,2' }],
    [{ cursor: '!!!' }],
    [{ cursor: Buffer.from('has space').toString('base64url') }],
    [{ page: '2' }],
  ])('rejects query %j with 400', async (query) => {
    const res = await h.invoke('listDevices', listEvent(query));
    expect(res.statusCode).toBe(400);
    expect(res.headers?.['Content-Type']).toBe('application/problem+json');
    expect(h.directory.calls).toEqual([]);
  });
});
