import { Readable } from 'node:stream';

/** A Cognito JSON 1.1 answer: its body and HTTP status. */
export type CannedAnswer = readonly [body: string, statusCode: number];

/**
 * An SDK request handler that answers at once with a fixed Cognito JSON 1.1 response, so what is measured or
 * tested is the SDK's own work (middleware, serialization, parsing, exception classes) and no network. The
 * response is a plain object of the HttpResponse shape the SDK checks for. `byOperation` answers some operations
 * (by their `X-Amz-Target` name) otherwise.
 */
export function cannedTransport(
  body: string,
  statusCode = 200,
  byOperation: Readonly<Record<string, CannedAnswer>> = {},
) {
  return {
    handle: async (request: { headers: Record<string, string> }) => {
      const operation = (request.headers['x-amz-target'] ?? '').replace(/^.*\./, '');
      const [answer, status] = byOperation[operation] ?? [body, statusCode];
      const error = status >= 300 ? (JSON.parse(answer) as { __type?: string }).__type : undefined;
      return {
        response: {
          statusCode: status,
          reason: status === 200 ? 'OK' : 'Bad Request',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            ...(error && { 'x-amzn-errortype': `${error}:` }),
          },
          body: Readable.from([Buffer.from(answer)]),
        },
      };
    },
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    destroy: () => {},
  };
}
