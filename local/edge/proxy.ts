import { request, type ServerResponse } from 'node:http';
import { ORIGIN_HEADER } from '../../functions/edge/origin-guard.js';
import { listen } from '../listen.js';

/**
 * The edge's local stand-in: what CloudFront does for the API, minus the WAF and the caching (the stack caches
 * nothing): forwards every request to the API as it came, adding the origin secret's current value as
 * `x-origin-verify`, the header the API's authorizer requires, and the viewer's address as CloudFront adds it
 * (`CloudFront-Viewer-Address`, `ip:port`; one a viewer sent is dropped). Apps use its URL, as they use `EdgeUrl`.
 */
export class LocalEdge {
  private constructor(
    readonly url: string,
    readonly close: () => Promise<void>,
  ) {}

  static async start(options: {
    apiUrl: string;
    originSecret: () => string | undefined;
    host?: string;
    port?: number;
  }): Promise<LocalEdge> {
    const api = new URL(options.apiUrl);
    const badGateway = (res: ServerResponse) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Bad Gateway' }));
    };
    const { url, serve, close } = await listen(options, badGateway);
    serve(async (req, res) => {
      // What CloudFront adds itself, whatever the viewer sent: the origin secret and the viewer's address and port.
      const {
        host: _host,
        [ORIGIN_HEADER]: _spoofed,
        'cloudfront-viewer-address': _forged,
        ...headers
      } = req.headers;
      const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
      const viewer = `${address}:${req.socket.remotePort ?? 0}`;
      const upstream = request(
        {
          host: api.hostname,
          port: api.port,
          method: req.method,
          path: req.url,
          headers: {
            ...headers,
            [ORIGIN_HEADER]: options.originSecret() ?? '',
            'cloudfront-viewer-address': viewer,
          },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => badGateway(res));
      req.pipe(upstream);
    });
    return new LocalEdge(url, close);
  }
}
