import { createServer } from 'node:net';

/** A port `npm start` needs is taken: the message names the variable that moves it. */
export class PortInUseError extends Error {
  constructor(
    readonly variable: string,
    readonly port: number,
  ) {
    super(`Port ${port} is in use: set ${variable} to a free port (e.g. ${variable}=${port + 1} npm start).`);
    this.name = 'PortInUseError';
  }
}

/** Fails with {@link PortInUseError} when `port` cannot be listened on; port 0 (any free port) always passes. */
export async function ensurePortFree(variable: string, host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortInUseError(variable, port) : error,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/**
 * The origins a browser may load the demo SPA from: both spellings of loopback, on the port it really
 * listens on, so CORS follows `SPA_PORT` (unless `SPA_ORIGINS` says otherwise).
 */
export function spaOrigins(spaUrl: string): string[] {
  const { port } = new URL(spaUrl);
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}
