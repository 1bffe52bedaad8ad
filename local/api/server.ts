import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerResult,
  Context,
} from 'aws-lambda';
import { RouteMatcher } from '../../functions/http/route-matcher.js';
import { FUNCTION_ENTRY, fallbackRoute, routeList } from '../../functions/routes.js';
import type { CorsSettings } from '../../infra/cors.js';
import { FUNCTION_TIMEOUT_SECONDS } from '../../infra/function-environment.js';
import type { ApiLimits, Throttle } from '../../infra/limits.js';
import { functionHandler } from '../functions.js';
import { newRequestId, toEvent } from './event.js';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own limit for HTTP API payloads. */
const MAX_PAYLOAD = 10 * 1024 * 1024;

export interface LocalApiOptions {
  /** The functions' environment, as the stack would set it (USER_POOL_ID, APP_CLIENT_IDS, COGNITO_ENDPOINT…). */
  readonly env: Record<string, string>;
  /** CORS as configured on the HTTP API; undefined answers no CORS, like an API without a CORS configuration. */
  readonly cors?: CorsSettings | undefined;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** One line per request (method, path, status, duration); never headers or bodies. */
  readonly log?: (line: string) => void;
  /** Served at `GET /openapi.json` (the local API's own addition, not a deployed route). */
  readonly openApi?: Record<string, unknown>;
  /**
   * API Gateway's throttles and Lambda's reserved concurrency, as the stack configures them; none when absent.
   * A throttled request is API Gateway's 429 `{"message":"Too Many Requests"}`; a function at its reserved
   * concurrency is throttled by Lambda, which API Gateway answers 500 `{"message":"Internal Server Error"}` (AWS
   * Knowledge Center, "api-gateway-internal-server-error": a throttled backend).
   */
  readonly limits?: ApiLimits | undefined;
  /**
   * The HTTP API's Lambda authorizer (REQUEST, simple responses), as the stack attaches it with the edge on: a
   * request without the identity header is API Gateway's own 401 `{"message":"Unauthorized"}`, one the
   * authorizer refuses its 403 `{"message":"Forbidden"}`; each header value's answer is cached for `ttlMs`.
   */
  readonly authorizer?: LocalAuthorizer | undefined;
}

export interface LocalAuthorizer {
  readonly module: string;
  readonly identityHeader: string;
  readonly ttlMs: number;
}

type AuthorizerHandler = (
  event: APIGatewayRequestAuthorizerEventV2,
) => Promise<APIGatewaySimpleAuthorizerResult>;

/**
 * A local stand-in for the HTTP API: the route table decides the routes, each request becomes a payload-2.0
 * event, and the very handler modules the stack deploys answer it. The functions' environment is the
 * process environment, so one process serves one configuration.
 */
export class LocalApi {
  /** Invocations of each function so far (as Lambda's `Invocations` metric counts them), by function id. */
  readonly invocations: Record<string, number>;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    invocations: Record<string, number>,
  ) {
    this.invocations = invocations;
  }

  static async start(options: LocalApiOptions): Promise<LocalApi> {
    for (const [name, value] of Object.entries(options.env)) {
      if (process.env[name] !== undefined && process.env[name] !== value && handlersLoaded) {
        throw new Error(
          `The handlers are already loaded with another ${name}; use one configuration per process`,
        );
      }
      process.env[name] = value;
    }
    const handler = await loadHandler();
    const invocations: Record<string, number> = {};
    const router = new RouteMatcher(routeList);
    const limiter = options.limits && new Limiter(options.limits);
    const authorizer = options.authorizer && (await loadAuthorizer(options.authorizer));
    // Large enough that an oversized token reaches the function (API Gateway itself caps headers at 10 KiB).
    const server = createServer({ maxHeaderSize: 128 * 1024 }, (req, res) => {
      if (options.openApi && req.method === 'GET' && req.url === '/openapi.json') {
        sendJson(res, 200, withLocalServer(options.openApi, api.url));
        return;
      }
      serve(req, res, {
        invocations,
        router,
        handler,
        cors: options.cors,
        log: options.log,
        limiter,
        authorizer,
      }).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
    });
    const { address, port } = server.address() as AddressInfo;
    const api = new LocalApi(
      server,
      `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
      invocations,
    );
    return api;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let handlersLoaded = false;
/** The bundle every deployed function runs; with `ROUTES` unset it serves every route, as one process here. */
async function loadHandler(): Promise<Handler> {
  const handler = await functionHandler<Handler>(FUNCTION_ENTRY);
  handlersLoaded = true;
  return handler;
}

interface ServeDeps {
  invocations: Record<string, number>;
  router: RouteMatcher;
  handler: Handler;
  cors: CorsSettings | undefined;
  log: ((line: string) => void) | undefined;
  limiter: Limiter | undefined;
  authorizer: ((event: APIGatewayProxyEventV2) => Promise<401 | 403 | 500 | undefined>) | undefined;
}

/** Loads the authorizer's module and answers like API Gateway: undefined lets the request through. */
async function loadAuthorizer(settings: LocalAuthorizer) {
  const handler = await functionHandler<AuthorizerHandler>(settings.module);
  const cache = new Map<string, { until: number; allowed: boolean }>();
  return async (event: APIGatewayProxyEventV2): Promise<401 | 403 | 500 | undefined> => {
    const identity = event.headers[settings.identityHeader];
    if (!identity) return 401;
    const cached = cache.get(identity);
    let allowed = cached && cached.until > Date.now() ? cached.allowed : undefined;
    if (allowed === undefined) {
      try {
        allowed = (await handler(authorizerEvent(event, settings.identityHeader))).isAuthorized;
      } catch {
        return 500;
      }
      cache.set(identity, { until: Date.now() + settings.ttlMs, allowed });
    }
    return allowed ? undefined : 403;
  };
}

/** The payload 2.0 REQUEST authorizer event API Gateway builds from a request. */
function authorizerEvent(
  event: APIGatewayProxyEventV2,
  identityHeader: string,
): APIGatewayRequestAuthorizerEventV2 {
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:000000000000:local/$default/${event.requestContext.http.method}${event.rawPath}`,
    identitySource: [event.headers[identityHeader] ?? ''],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    ...(event.cookies && { cookies: event.cookies }),
    headers: event.headers as Record<string, string>,
    ...(event.queryStringParameters && {
      queryStringParameters: event.queryStringParameters as Record<string, string>,
    }),
    requestContext: event.requestContext,
    ...(event.pathParameters && { pathParameters: event.pathParameters as Record<string, string> }),
  } as APIGatewayRequestAuthorizerEventV2;
}

/** A token bucket: `rate` per second, holding at most `burst`. */
class Bucket {
  private tokens: number;
  private at = performance.now();

  constructor(private readonly throttle: Throttle) {
    this.tokens = throttle.burst;
  }

  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.throttle.burst, this.tokens + ((now - this.at) / 1000) * this.throttle.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** The stage's and routes' throttles, and each function's reserved concurrency. */
class Limiter {
  private readonly stage: Bucket;
  private readonly routes = new Map<string, Bucket>();
  private readonly running = new Map<string, number>();

  constructor(private readonly limits: ApiLimits) {
    this.stage = new Bucket(limits.stage);
    for (const [id, throttle] of Object.entries(limits.routes))
      if (throttle) this.routes.set(id, new Bucket(throttle));
  }

  /** API Gateway's throttles: the route's own (when it has one), then the stage's. */
  admit(routeId: string): boolean {
    const route = this.routes.get(routeId);
    return (route ? route.take() : true) && this.stage.take();
  }

  functionOf(routeId: string): string {
    return (this.limits.functions as Record<string, string | undefined>)[routeId] ?? FUNCTION_ENTRY;
  }

  /** Starts an invocation of `functionId`, or false when it runs at its reserved concurrency. */
  start(functionId: string): boolean {
    const reserved = (this.limits.concurrency as Record<string, number | undefined>)[functionId];
    const running = this.running.get(functionId) ?? 0;
    if (reserved !== undefined && running >= reserved) return false;
    this.running.set(functionId, running + 1);
    return true;
  }

  end(functionId: string): void {
    this.running.set(functionId, (this.running.get(functionId) ?? 1) - 1);
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: ServeDeps): Promise<void> {
  const started = performance.now();
  const method = req.method ?? 'GET';
  const url = req.url ?? '/';
  const rawPath = url.split('?')[0] ?? '/';
  const requestId = newRequestId();
  res.setHeader('apigw-requestid', requestId);
  const origin = req.headers.origin;
  const allowedOrigin = deps.cors && origin && deps.cors.allowOrigins.includes(origin) ? origin : undefined;
  const done = (status: number) =>
    deps.log?.(`${method} ${rawPath} ${status} ${(performance.now() - started).toFixed(1)}ms`);

  if (deps.cors && method === 'OPTIONS' && req.headers['access-control-request-method']) {
    preflight(req, res, deps.cors, allowedOrigin, deps.router.methodsFor(rawPath));
    return done(204);
  }

  const body = await readBody(req);
  if (body === undefined) {
    sendJson(res, 413, { message: 'Request Entity Too Large' });
    return done(413);
  }
  // Unmatched requests go to the `$default` route, as in the deployed API.
  const match = deps.router.match(method, rawPath);
  const target = match ? match.route : fallbackRoute;
  // The deployed function this route runs in: its reserved concurrency applies.
  const functionId = deps.limiter?.functionOf(target.id) ?? FUNCTION_ENTRY;
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const event = toEvent(
    { method, url, headers: req.headers, body, sourceIp },
    {
      routeKey: match ? `${match.route.method} ${match.route.path}` : '$default',
      pathParameters: match?.pathParameters,
    },
    requestId,
    new Date(),
  );
  if (deps.limiter && !deps.limiter.admit(target.id)) {
    sendJson(res, 429, { message: 'Too Many Requests' });
    return done(429);
  }
  const refusal = deps.authorizer && (await deps.authorizer(event));
  if (refusal) {
    sendJson(res, refusal, {
      message: { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' }[refusal],
    });
    return done(refusal);
  }
  if (deps.limiter && !deps.limiter.start(functionId)) {
    sendJson(res, 500, { message: 'Internal Server Error' });
    return done(500);
  }
  let result: APIGatewayProxyStructuredResultV2;
  deps.invocations[functionId] = (deps.invocations[functionId] ?? 0) + 1;
  try {
    result = await invoke(deps.handler, event, functionId);
  } catch {
    // API Gateway's answer when the function fails or times out; the function has logged the cause.
    sendJson(res, 500, { message: 'Internal Server Error' });
    return done(500);
  } finally {
    deps.limiter?.end(functionId);
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  if (allowedOrigin && deps.cors) {
    headers['access-control-allow-origin'] = allowedOrigin;
    headers['access-control-expose-headers'] = deps.cors.exposeHeaders.join(',');
    headers.vary = 'origin';
  }
  const status = result.statusCode ?? 200;
  res.writeHead(status, headers);
  res.end(
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'),
  );
  done(status);
}

/** Invokes like Lambda: a context whose deadline is the function timeout, and a hard stop at that deadline. */
async function invoke(handler: Handler, event: APIGatewayProxyEventV2, functionId: string) {
  const timeoutMs = FUNCTION_TIMEOUT_SECONDS * 1000;
  const deadline = Date.now() + timeoutMs;
  const context = {
    awsRequestId: event.requestContext.requestId,
    functionName: `local-${functionId}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:local-${functionId}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/local-${functionId}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  } as Context;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('Task timed out')), timeoutMs);
  });
  try {
    return await Promise.race([handler(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What API Gateway answers to a CORS preflight: headers only for an allowed origin and method. */
function preflight(
  req: IncomingMessage,
  res: ServerResponse,
  cors: CorsSettings,
  allowedOrigin: string | undefined,
  pathMethods: string[],
): void {
  const requested = String(req.headers['access-control-request-method']).toUpperCase();
  const headers: Record<string, string> = {};
  if (
    allowedOrigin &&
    (cors.allowMethods as readonly string[]).includes(requested) &&
    pathMethods.length > 0
  ) {
    headers['access-control-allow-origin'] = allowedOrigin;
    headers['access-control-allow-methods'] = cors.allowMethods.join(',');
    headers['access-control-allow-headers'] = cors.allowHeaders.join(',');
    headers['access-control-max-age'] = String(cors.maxAgeSeconds);
    headers.vary = 'origin';
  }
  res.writeHead(204, headers);
  res.end();
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** The document as this server serves it: its first server is where it really listens. */
function withLocalServer(document: Record<string, unknown>, url: string): Record<string, unknown> {
  const servers = (document.servers as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    ...document,
    servers: [{ url, description: 'This local stack (`npm start`)' }, ...servers.slice(1)],
  };
}
