import { routeList } from '../functions/routes.js';

/** CORS as the HTTP API answers it; the stack configures API Gateway with it and the local API mimics it. */
export interface CorsSettings {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: ReadonlyArray<'GET' | 'POST' | 'PUT' | 'DELETE'>;
  readonly allowHeaders: readonly string[];
  /** Headers a browser script may read: allowed methods, the created device's URL, back-off hints, auth challenges, request ids. */
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** `undefined` when no SPA origin is configured: then no browser may call the API cross-origin. */
export function corsSettings(spaOrigins: readonly string[]): CorsSettings | undefined {
  if (spaOrigins.length === 0) return undefined;
  return {
    allowOrigins: spaOrigins,
    allowMethods: [...new Set(routeList.map((r) => r.method))].sort((a, b) => order(a) - order(b)),
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['allow', 'location', 'retry-after', 'www-authenticate', 'x-request-id'],
    maxAgeSeconds: 3600,
  };
}

const order = (method: string) => ['GET', 'POST', 'PUT', 'DELETE'].indexOf(method);
