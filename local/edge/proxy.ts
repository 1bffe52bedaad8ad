import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ORIGIN_HEADER } from '../../functions/edge/origin-guard.js';

/**
 * The edge's local stand-in: what CloudFront does for the API, minus the WAF and the caching (the stack caches
 * nothing): forwards every request to the API as it came, adding the origin secret's current value as
 * `x-origin-verify`, the header the API's authorizer requires. Apps use its URL, as they use `EdgeUrl` deployed.
 */
export class LocalEdge {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: {
    apiUrl: string;
    originSecret: () => string | undefined;
    host?: string;
    port?: number;
  }): Promise<LocalEdge> {
    const api = new URL(options.apiUrl);
    const server = createServer((req, res) => {
      const { host: _host, [ORIGIN_HEADER]: _spoofed, ...headers } = req.headers;
      const upstream = request(
        {
          host: api.hostname,
          port: api.port,
          method: req.method,
          path: req.url,
          headers: { ...headers, [ORIGIN_HEADER]: options.originSecret() ?? '' },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'Bad Gateway' }));
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    const { address, port } = server.address() as AddressInfo;
    return new LocalEdge(server, `http://${address.includes(':') ? `[${address}]` : address}:${port}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
