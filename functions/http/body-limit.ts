import type middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PayloadTooLargeError } from '../errors.js';

/** Largest JSON body any route accepts; a device confirmation with a verifier is well under 2 KiB. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Refuses oversized bodies before they are decoded or parsed. */
export function bodyLimit(maxBytes = MAX_BODY_BYTES): middy.MiddlewareObj<APIGatewayProxyEventV2> {
  return {
    before: ({ event }) => {
      if (event.body === undefined) return;
      const bytes = event.isBase64Encoded
        ? Buffer.byteLength(event.body, 'base64')
        : Buffer.byteLength(event.body, 'utf8');
      if (bytes > maxBytes) {
        throw new PayloadTooLargeError({
          code: 'payload_too_large',
          detail: `The request body exceeds ${maxBytes} bytes`,
        });
      }
    },
  };
}
