import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';

export interface SpaConfig {
  apiUrl: string;
  cognitoUrl: string;
  userPoolId: string;
  clientId: string;
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

  static async start(options: { config: () => SpaConfig; host?: string; port?: number }): Promise<SpaServer> {
    const html = readFileSync(new URL('./index.html', import.meta.url));
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
      if (path === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      else if (path === '/config.json')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(options.config()));
      else if (path === '/' || path === '/index.html')
        res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
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
