import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerResult } from 'aws-lambda';
import type { Log } from '../observability.js';
import type { SecretValues } from '../secrets/secret-values.js';
import { ORIGIN_HEADER } from './origin-header.js';

export { ORIGIN_HEADER };

const matches = (values: readonly string[], presented: Buffer) =>
  values.some((value) => {
    const expected = Buffer.from(value, 'utf8');
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  });

/**
 * The HTTP API's authorizer when the edge is on: a request is let through only if it carries the origin secret,
 * which only CloudFront adds, so nothing reaches a function without passing the edge and its WAF. API Gateway
 * refuses a request without the header itself (401, no invocation) and caches each answer by the header's value.
 * During a rotation the pending and the previous value are accepted beside the current one, since CloudFront's
 * edges take minutes to all send the new one. The presented value is never logged.
 */
export function makeOriginGuard(secret: SecretValues, log: Log) {
  return async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerResult> => {
    const header = event.headers?.[ORIGIN_HEADER];
    if (!header) return { isAuthorized: false };
    const presented = Buffer.from(header, 'utf8');
    // A value nobody knew may mean a rotation started since the values were fetched: fetch them once more.
    const isAuthorized =
      matches(await secret.values(), presented) || matches(await secret.valuesFresh(), presented);
    if (!isAuthorized) {
      log.warn('origin secret refused', {
        requestId: event.requestContext.requestId,
        sourceIp: event.requestContext.http.sourceIp,
      });
    }
    return { isAuthorized };
  };
}
