import { isIP } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { neutralise } from '../devices/names/display-name.js';

/**
 * Where a request came from and with what, as device events tell people ("from 203.0.113.7, Chrome on macOS"): only
 * what no client can write for someone else's notification.
 */

/**
 * `api-gateway`: API Gateway's `sourceIp`, the address that reached it. `cloudfront`: behind the edge that address is
 * CloudFront's, so the viewer's is CloudFront's `CloudFront-Viewer-Address` (`ip:port`), which CloudFront adds itself;
 * only CloudFront reaches the API then (the origin guard), so no client can set it.
 */
export type ViewerAddressSource = 'api-gateway' | 'cloudfront';

export function viewerAddress(event: APIGatewayProxyEventV2, source: ViewerAddressSource): string | null {
  if (source === 'api-gateway') return event.requestContext.http.sourceIp || null;
  const header = event.headers['cloudfront-viewer-address'];
  if (!header) return null;
  const ip = header.slice(0, header.lastIndexOf(':'));
  return isIP(ip) ? ip : null;
}

/** Longest user agent an event carries, in characters (code points: never half of one). */
export const MAX_EVENT_USER_AGENT = 512;

/**
 * The User-Agent as an event carries it: cleaned as device names are (no control, zero-width or direction-override
 * character), then cut to {@link MAX_EVENT_USER_AGENT} characters on a character's boundary.
 */
export function eventUserAgent(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const clean = neutralise(userAgent.slice(0, 4 * MAX_EVENT_USER_AGENT));
  // Within the limit in UTF-16 units is within it in characters: nothing to cut (the usual case).
  if (clean.length <= MAX_EVENT_USER_AGENT) return clean || null;
  return [...clean].slice(0, MAX_EVENT_USER_AGENT).join('');
}
