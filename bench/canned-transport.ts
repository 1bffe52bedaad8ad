import { Readable } from 'node:stream';

/**
 * An SDK request handler that answers at once with a fixed Cognito JSON body, so the measurement covers
 * the SDK's own work (middleware, serialization, parsing) and no network. The response is a plain object
 * of the HttpResponse shape the SDK checks for.
 */
export function cannedTransport(body: string) {
  return {
    handle: async () => ({
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: Readable.from([Buffer.from(body)]),
      },
    }),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    destroy: () => {},
  };
}
