import { Readable } from 'node:stream';

/**
 * An SDK request handler that answers at once with a fixed Cognito JSON 1.1 response, so what is measured or
 * tested is the SDK's own work (middleware, serialization, parsing, exception classes) and no network. The
 * response is a plain object of the HttpResponse shape the SDK checks for.
 */
export function cannedTransport(body: string, statusCode = 200) {
  const error = statusCode >= 300 ? (JSON.parse(body) as { __type?: string }).__type : undefined;
  return {
    handle: async () => ({
      response: {
        statusCode,
        reason: statusCode === 200 ? 'OK' : 'Bad Request',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          ...(error && { 'x-amzn-errortype': error }),
        },
        body: Readable.from([Buffer.from(body)]),
      },
    }),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    destroy: () => {},
  };
}
