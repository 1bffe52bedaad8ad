import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP server for a local stand-in, listening on `port` (0: a free one) of `host`, its URL, and a handler bound
 * once the stand-in exists (a request arriving before that is not answered). A handler that throws answers 500
 * with `internalError`, the service's own error shape.
 */
export async function listen(
  options: { host?: string | undefined; port?: number | undefined },
  internalError: (res: ServerResponse) => void,
): Promise<{
  server: Server;
  url: string;
  serve(handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>): void;
}> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  const server = createServer((req, res) => {
    handler?.(req, res).catch(() => internalError(res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    serve: (h) => {
      handler = h;
    },
  };
}
