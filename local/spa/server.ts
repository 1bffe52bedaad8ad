import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface SpaConfig {
  apiUrl: string;
  cognitoUrl: string;
  userPoolId: string;
  clientId: string;
  /** What users sign in with (the stage's `signInWith`): the sign-in form asks for it by its name. */
  signInWith?: 'username' | 'email';
  /** The pool's passwordless first factors (the stage's `passwordless`): the sign-in page offers them. */
  passwordless?: Array<'email_otp' | 'passkey'>;
}

/**
 * Serves the demo SPA (bundled with esbuild at start) on its own origin, so the browser's calls to the API
 * are real cross-origin requests answered by the API's CORS.
 */
export class SpaServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(options: {
    config: () => SpaConfig;
    host?: string;
    port?: number;
    /** The signed-in user's recent device events (local/spa/activity.ts); undefined for a token that fails. */
    activity?: (authorization: string | undefined) => Promise<unknown[] | undefined>;
  }): Promise<SpaServer> {
    const html = readFileSync(new URL('./index.html', import.meta.url));
    const css = readFileSync(new URL('./app.css', import.meta.url));
    const bundle = await build({
      entryPoints: [new URL('./app.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      write: false,
      define: { global: 'globalThis' },
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]?.contents ?? new Uint8Array();
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const headers = () => {
        try {
          return securityHeaders(options.config());
        } catch {
          return securityHeaders({ apiUrl: '', cognitoUrl: '', userPoolId: '', clientId: '' });
        }
      };
      const send = (type: string, body: Uint8Array | string) =>
        res.writeHead(200, { 'content-type': type, ...headers() }).end(body);
      if (path === '/app.js') send('text/javascript; charset=utf-8', script);
      else if (path === '/app.css') send('text/css; charset=utf-8', css);
      else if (path === '/config.json') send('application/json', JSON.stringify(options.config()));
      else if (path === '/' || path === '/index.html') send('text/html; charset=utf-8', html);
      else if (path === '/favicon.ico') res.writeHead(204, headers()).end();
      else if (path === '/activity' && options.activity) {
        options.activity(req.headers.authorization).then(
          (items) =>
            items ? send('application/json', JSON.stringify(items)) : res.writeHead(401, headers()).end(),
          () => res.writeHead(500, headers()).end(),
        );
      } else res.writeHead(404, headers()).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    // "localhost", not the IP: it is the origin the dev stage's CORS allows (spaOrigins).
    return new SpaServer(server, `http://localhost:${(server.address() as AddressInfo).port}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What a browser app should send: a strict CSP (no inline script or style, network only to this origin, the
 * API and Cognito), no framing, no MIME sniffing, no referrer, and its own browsing-context group.
 */
export function securityHeaders(config: SpaConfig): Record<string, string> {
  const origins = [config.apiUrl, config.cognitoUrl]
    .flatMap((url) => (URL.canParse(url) ? [new URL(url).origin] : []))
    .join(' ');
  return {
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `connect-src 'self' ${origins}`,
      "img-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=()',
    'cache-control': 'no-store',
  };
}
