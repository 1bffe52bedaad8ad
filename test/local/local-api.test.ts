import { describe, expect, it } from 'vitest';
import { RouteMatcher } from '../../functions/http/route-matcher.js';
import { routeList } from '../../functions/routes.js';
import { toEvent } from '../../local/api/event.js';

const route = { routeKey: 'GET /devices/{deviceKey}', pathParameters: { deviceKey: 'eu-west-1_a/b' } };
const now = new Date('2026-11-22T09:07:03Z');

describe('payload 2.0 events', () => {
  it('builds the event API Gateway would deliver', () => {
    const event = toEvent(
      {
        method: 'GET',
        url: '/devices/eu-west-1_a%2Fb?limit=2&x=1&x=2',
        headers: { host: 'localhost:3000', 'user-agent': 'ua', cookie: 'a=1; b=2', 'x-multi': ['1', '2'] },
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.1',
      },
      route,
      'req-1',
      now,
    );
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'GET /devices/{deviceKey}',
      rawPath: '/devices/eu-west-1_a%2Fb',
      rawQueryString: 'limit=2&x=1&x=2',
      cookies: ['a=1', 'b=2'],
      headers: { host: 'localhost:3000', 'user-agent': 'ua', 'x-multi': '1,2' },
      queryStringParameters: { limit: '2', x: '1,2' },
      pathParameters: { deviceKey: 'eu-west-1_a/b' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: 'localhost:3000',
        domainPrefix: 'localhost:3000',
        http: {
          method: 'GET',
          path: '/devices/eu-west-1_a%2Fb',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'ua',
        },
        requestId: 'req-1',
        routeKey: 'GET /devices/{deviceKey}',
        stage: '$default',
        time: '22/Nov/2026:09:07:03 +0000',
        timeEpoch: now.getTime(),
      },
      isBase64Encoded: false,
    });
  });

  it('passes JSON bodies as text and anything else as base64', () => {
    const json = toEvent(
      {
        method: 'POST',
        url: '/devices',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":1}'),
        sourceIp: '::1',
      },
      { routeKey: 'POST /devices', pathParameters: undefined },
      'r',
      now,
    );
    expect([json.body, json.isBase64Encoded]).toEqual(['{"a":1}', false]);
    const binary = toEvent(
      {
        method: 'POST',
        url: '/devices',
        headers: { 'content-type': 'application/octet-stream' },
        body: Buffer.from([0, 1, 2]),
        sourceIp: '::1',
      },
      { routeKey: 'POST /devices', pathParameters: undefined },
      'r',
      now,
    );
    expect([binary.body, binary.isBase64Encoded]).toEqual(['AAEC', true]);
  });
});

describe('routing from the route table', () => {
  const router = new RouteMatcher(routeList);
  it.each([
    ['GET', '/devices', 'listDevices', undefined],
    ['POST', '/devices', 'confirmDevice', undefined],
    ['GET', '/devices/k_1', 'getDevice', { deviceKey: 'k_1' }],
    ['DELETE', '/devices/k_1', 'forgetDevice', { deviceKey: 'k_1' }],
    ['PUT', '/devices/k%5F1/status', 'updateDeviceStatus', { deviceKey: 'k_1' }],
  ])('%s %s → %s', (method, path, id, params) => {
    const match = router.match(method, path);
    expect(match?.route.id).toBe(id);
    expect(match?.pathParameters).toEqual(params);
  });

  it.each([
    ['PATCH', '/devices'],
    ['GET', '/devices/a/b'],
    ['GET', '/device'],
  ])('%s %s → no route', (m, p) => {
    expect(router.match(m, p)).toBeUndefined();
  });

  it('passes a segment that is not valid percent-encoding on undecoded, for the route to refuse', () => {
    const match = router.match('GET', '/devices/%E0%A4%A');
    expect(match?.route.id).toBe('getDevice');
    expect(match?.pathParameters).toEqual({ deviceKey: '%E0%A4%A' });
  });
});
