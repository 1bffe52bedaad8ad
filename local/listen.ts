import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server for a local stand-in, listening on `port` (0: a free one) of `host`: its URL, a handler bound once the
 * stand-in exists (a request arriving before that is not answered), and how to close it (dropping open connections).
 * A handler that throws answers with `internalError`, in the service's own error shape.
 */
export async function listen(
  options: { host?: string | undefined; port?: number | undefined; keepAliveTimeoutMs?: number },
  internalError: (res: ServerResponse, error: unknown) => void,
): Promise<{
  url: string;
  serve(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): void;
  close(): Promise<void>;
}> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    handler?.(req, res).catch((error: unknown) => internalError(res, error));
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    serve: (h) => {
      handler = h;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The `Authorization` header of a SigV4-signed call to `service` (any key, date and region): the stand-ins have no
 * IAM, so they check that a call AWS takes only signed is signed, not who signed it.
 */
export const signedFor = (service: string) =>
  new RegExp(`^AWS4-HMAC-SHA256 Credential=[\\w+/=]+?/\\d{8}/[a-z0-9-]+/${service}/aws4_request`);
