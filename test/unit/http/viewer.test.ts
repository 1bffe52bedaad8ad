// functions/http/viewer.ts: what device events say of where a request came from and with what.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { eventUserAgent, MAX_EVENT_USER_AGENT, viewerAddress } from '../../../functions/http/viewer.js';

const request = (sourceIp: string, headers: Record<string, string> = {}) =>
  ({ headers, requestContext: { http: { sourceIp } } }) as unknown as APIGatewayProxyEventV2;

describe('viewerAddress', () => {
  it('without the edge, API Gateway’s source address, whatever header a client sends', () => {
    expect(
      viewerAddress(
        request('198.51.100.1', { 'cloudfront-viewer-address': '203.0.113.9:443' }),
        'api-gateway',
      ),
    ).toBe('198.51.100.1');
  });

  it('behind the edge, the address CloudFront adds (IPv4 or IPv6, the port dropped), never CloudFront’s own', () => {
    expect(
      viewerAddress(
        request('130.176.0.1', { 'cloudfront-viewer-address': '203.0.113.9:51234' }),
        'cloudfront',
      ),
    ).toBe('203.0.113.9');
    expect(
      viewerAddress(
        request('130.176.0.1', { 'cloudfront-viewer-address': '2001:db8::8a2e:370:7334:51234' }),
        'cloudfront',
      ),
    ).toBe('2001:db8::8a2e:370:7334');
    // Missing or not an address: unknown, rather than CloudFront's.
    expect(viewerAddress(request('130.176.0.1'), 'cloudfront')).toBeNull();
    expect(
      viewerAddress(request('130.176.0.1', { 'cloudfront-viewer-address': '<b>hi</b>:1' }), 'cloudfront'),
    ).toBeNull();
  });
});

describe('eventUserAgent', () => {
  it('removes what could disguise it and cuts it on a character’s boundary', () => {
    const agent = eventUserAgent(`\u202Egnp.exe\u200B ${'🙂'.repeat(600)}`);
    expect(agent).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}]/u);
    expect(agent?.startsWith('gnp.exe 🙂')).toBe(true);
    expect([...(agent ?? '')]).toHaveLength(MAX_EVENT_USER_AGENT);
    // 512 characters, each emoji whole (two UTF-16 units each).
    expect(agent?.length).toBe(8 + 2 * (MAX_EVENT_USER_AGENT - 8));
    expect(eventUserAgent(undefined)).toBeNull();
    expect(eventUserAgent('\u202E\u200B')).toBeNull();
  });
});
