import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../listen.js';
import type { LocalMessage, Operation, OperationContext, SignedIn } from './context.js';
import { CognitoError } from './errors.js';
import { FaultInjector } from './faults.js';
import { SerializationError, serviceModel, validateInput } from './model.js';
import * as auth from './operations/auth.js';
import * as devices from './operations/devices.js';
import * as mfa from './operations/mfa.js';
import * as passkeys from './operations/passkeys.js';
import * as pools from './operations/pools.js';
import { GetTokensFromRefreshToken } from './operations/refresh.js';
import * as users from './operations/users.js';
import { DEFAULT_RATES, type QuotaCategory, RateLimits } from './quotas.js';
import { Store } from './state.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const MAX_BODY = 1024 * 1024;

const operations: Record<string, Operation> = {
  ...pools,
  ...users,
  ...auth,
  ...devices,
  ...mfa,
  ...passkeys,
  GetTokensFromRefreshToken,
};

/** Operations that change nothing: no save after them. Everything else (sign-ins included) is persisted. */
const READ_ONLY = new Set([
  'DescribeUserPool',
  'DescribeUserPoolClient',
  'AdminGetUser',
  'GetUser',
  'GetDevice',
  'AdminGetDevice',
  'ListDevices',
  'AdminListDevices',
  'ListWebAuthnCredentials',
  'GetUserPoolMfaConfig',
]);

export interface CognitoStandInOptions {
  /** State; in memory unless given (see {@link Store.open}). */
  readonly store?: Store;
  /** Region of the pools it creates. */
  readonly region?: string;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Clock, for tests of expiry. */
  readonly now?: () => number;
}

/** A Lambda function the stand-in can invoke as a trigger (the local stack registers the product's). */
export type LocalLambda = (event: Record<string, unknown>) => Promise<unknown>;

/** Cognito waits this long for a trigger (Developer Guide, "Customizing user pool workflows with Lambda triggers"). */
const TRIGGER_TIMEOUT_MS = 5_000;
/** The messages kept for `GET /_local/messages`. */
const KEPT_MESSAGES = 100;

/**
 * Told of every call (e.g. a test counting what reached "Cognito"): the operation, its raw JSON body and the caller's
 * `user-agent` header ('' without one).
 */
export type CallListener = (operation: string, body: string, userAgent: string) => void;

/**
 * A local stand-in for the Cognito user-pools API: AWS JSON 1.1 on `POST /`, JWKS on
 * `GET /<poolId>/.well-known/jwks.json`. The AWS SDK, CLI and boto3 talk to it with an endpoint override.
 */
export class CognitoStandIn {
  private readonly listeners = new Set<CallListener>();
  private readonly messageListeners = new Set<(message: LocalMessage) => void>();
  /** The messages the stand-in "sent", oldest first (the latest {@link KEPT_MESSAGES}). */
  readonly messages: LocalMessage[] = [];
  /** Faults to apply to the next calls (see {@link FaultInjector}). */
  readonly faults = new FaultInjector();
  /** What reached the stand-in, for tests: JWKS downloads and inputs the service model refused. */
  readonly stats = { jwksFetches: 0, modelViolations: 0, rateLimited: 0 };
  /** Added to every call's answer time, as a real network and service would (benchmarks, timing tests). */
  latencyMs = 0;
  private rateLimits: RateLimits | undefined;
  /** Lambda functions by ARN, for the pools' triggers (`LambdaConfig`). */
  private readonly lambdas = new Map<string, LocalLambda>();

  /** Makes `fn` the function behind `arn`, for a pool whose `LambdaConfig` names it. */
  registerLambda(arn: string, fn: LocalLambda): void {
    this.lambdas.set(arn, fn);
  }

  private constructor(
    private readonly server: { close(): Promise<void> },
    readonly store: Store,
    readonly url: string,
  ) {}

  static async start(options: CognitoStandInOptions = {}): Promise<CognitoStandIn> {
    const store = options.store ?? Store.inMemory();
    const env = { store, region: options.region ?? 'us-east-1', now: options.now ?? Date.now };
    // Keeps connections open as long as the SDK's agents may reuse them.
    const server = await listen({ ...options, keepAliveTimeoutMs: 65_000 }, (res, error) => {
      process.stderr.write(
        `cognito stand-in: unexpected ${(error as Error).stack ?? (error as Error).name}\n`,
      );
      if (!res.headersSent) sendError(res, new CognitoError('InternalErrorException', 'Internal error'));
    });
    const instance = new CognitoStandIn(server, store, server.url);
    server.serve((req, res) => instance.handle(req, res, env));
    return instance;
  }

  /**
   * Enforces Cognito's per-account request rates from now on (`DEFAULT_RATES`, or the rates given), as
   * TooManyRequestsException "Rate exceeded"; `undefined` turns them off again.
   */
  limitRates(rates: Partial<Record<QuotaCategory, number>> | undefined = DEFAULT_RATES): void {
    this.rateLimits = rates && new RateLimits(rates);
  }

  jwksUri(poolId: string): string {
    return `${this.url}/${poolId}/.well-known/jwks.json`;
  }

  /** Told of every message the stand-in "sends" (`npm start` prints them); returns the unsubscribe function. */
  onMessage(listener: (message: LocalMessage) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  private deliver(message: LocalMessage): void {
    this.messages.push(message);
    if (this.messages.length > KEPT_MESSAGES) this.messages.splice(0, this.messages.length - KEPT_MESSAGES);
    for (const listener of this.messageListeners) listener(message);
  }

  /** Subscribes to every operation received (before validation); returns the unsubscribe function. */
  onCall(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
    env: { store: Store; region: string; now: () => number },
  ): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Browsers call Cognito directly (SPAs sign in from any origin), so CORS is open, as Cognito's is.
    // Not the local messages: the sign-in codes there are for the developer, not for any page open in their browser.
    if (req.headers.origin && !path.startsWith('/_local/')) {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-expose-headers', 'x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-allow-headers': 'content-type, x-amz-target, x-amz-user-agent, cache-control',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (req.method === 'GET') return this.serveGet(path, res, env.store);
    if (req.method !== 'POST' || path !== '/') {
      return sendError(res, new CognitoError('UnknownOperationException', 'Unknown operation'), 404);
    }
    const body = await readBody(req);
    if (body === undefined)
      return sendError(res, new CognitoError('SerializationException', 'Request too large'), 413);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operationName = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const userAgent = String(req.headers['user-agent'] ?? '');
    for (const listener of this.listeners) listener(operationName, body, userAgent);
    const operation = operations[operationName];
    if (!operation || !serviceModel.operations[operationName]) {
      return sendError(
        res,
        new CognitoError('UnknownOperationException', `Unknown operation ${operationName}`),
      );
    }
    // AWS authenticates before anything else. The stand-in has no IAM: it checks that a call Cognito only
    // takes signed is signed (SigV4 for cognito-idp), not who signed it.
    if (!isPublic(operationName) && !SIGV4.test(String(req.headers.authorization ?? ''))) {
      return sendError(
        res,
        new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token'),
        403,
      );
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (this.rateLimits && !this.rateLimits.take(operationName)) {
      this.stats.rateLimited++;
      return sendError(res, new CognitoError('TooManyRequestsException', 'Rate exceeded'));
    }
    const fault = this.faults.take(operationName);
    if (fault && (await applyFault(fault, res))) return;
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body);
      const problems = validateInput(operationName, input);
      if (problems.length > 0) {
        this.stats.modelViolations++;
        const count = `${problems.length} validation error${problems.length > 1 ? 's' : ''} detected`;
        throw new CognitoError('InvalidParameterException', `${count}: ${problems.join('; ')}`);
      }
    } catch (error) {
      if (error instanceof CognitoError) return sendError(res, error);
      const message = error instanceof SerializationError ? error.message : 'Invalid JSON';
      return sendError(res, new CognitoError('SerializationException', message));
    }
    const ctx: OperationContext = {
      store: env.store,
      now: env.now,
      region: env.region,
      sourceIp: sourceIp(req),
      deliver: (message) => this.deliver(message),
    };
    let output: unknown;
    try {
      output = await operation(input as Record<string, unknown>, ctx);
      if (ctx.signedIn) await this.postAuthentication(ctx.signedIn, env.region);
      if (!READ_ONLY.has(operationName)) env.store.save();
    } catch (error) {
      if (error instanceof CognitoError) return sendError(res, error);
      throw error;
    }
    if (fault?.kind === 'lose-answer') {
      res.socket?.destroy();
      return;
    }
    send(res, 200, output ?? {});
  }

  /**
   * The pool's post-authentication trigger, after a sign-in and before its answer, with the event Cognito sends
   * (Developer Guide, "Post authentication Lambda trigger": `newDeviceUsed`, the user's attributes, the app client;
   * no device key, IP address or user agent). A trigger that throws fails the sign-in with
   * UserLambdaValidationException "PostAuthentication failed with error …" (the pattern aws-amplify/amplify-js #9127
   * records for another trigger); one that does not answer within 5 seconds with UnexpectedLambdaException
   * "PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function."
   * (furaiev/amazon-cognito-identity-dart-2 #204). Either way the sign-in is undone: no session, no new device.
   */
  private async postAuthentication(signedIn: SignedIn, region: string): Promise<void> {
    const arn = (signedIn.pool.settings.LambdaConfig as { PostAuthentication?: string } | undefined)
      ?.PostAuthentication;
    const fn = arn ? this.lambdas.get(arn) : undefined;
    if (!fn) return;
    const { pool, user } = signedIn;
    const event = {
      version: '1',
      triggerSource: 'PostAuthentication_Authentication',
      region,
      userPoolId: pool.id,
      userName: user.username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: signedIn.clientId },
      request: {
        userAttributes: { ...user.attributes, 'cognito:user_status': 'CONFIRMED' },
        newDeviceUsed: signedIn.newDeviceKey !== undefined,
      },
      response: {},
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CognitoError(
              'UnexpectedLambdaException',
              'PostAuthentication invocation failed due to error Socket timeout while invoking Lambda function.',
            ),
          ),
        TRIGGER_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([
        fn(event).catch((error: unknown) => {
          throw new CognitoError(
            'UserLambdaValidationException',
            `PostAuthentication failed with error ${error instanceof Error ? error.message : String(error)}.`,
          );
        }),
        timeout,
      ]);
    } catch (error) {
      delete user.sessions[signedIn.sessionId];
      if (signedIn.newDeviceKey) delete user.devices[signedIn.newDeviceKey];
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private serveGet(path: string, res: ServerResponse, store: Store): void {
    const match = /^\/([\w-]+_[0-9a-zA-Z]+)\/\.well-known\/jwks\.json$/.exec(path);
    const pool = match?.[1] ? store.data.pools[match[1]] : undefined;
    if (pool) {
      this.stats.jwksFetches++;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' });
      res.end(JSON.stringify({ keys: [pool.signingKey.jwk, pool.idSigningKey.jwk] }));
      return;
    }
    if (path === '/_local/messages') {
      // Local only: what Cognito would have emailed, newest last. Nothing like it exists in AWS.
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(this.messages));
      return;
    }
    if (path === '/health') {
      send(res, 200, { status: 'ok' });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not found' }));
  }
}

/** The `Authorization` header of a SigV4-signed cognito-idp request (any key, date and region). */
const SIGV4 =
  /^AWS4-HMAC-SHA256 Credential=[\w+/=]+?\/\d{8}\/[a-z0-9-]+\/cognito-idp\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

/** Operations the model marks `smithy.api#noAuth`: authorized by a token or a session, or by nothing. */
const isPublic = (operation: string) =>
  serviceModel.operations[operation]?.auth?.includes('smithy.api#noAuth') ?? false;

/** Applies a fault; true when the call has been answered (or deliberately never will be). */
async function applyFault(fault: { kind: string; delayMs?: number }, res: ServerResponse): Promise<boolean> {
  switch (fault.kind) {
    case 'throttle':
      sendError(res, new CognitoError('TooManyRequestsException', 'Rate exceeded'));
      return true;
    case 'internal':
      sendError(res, new CognitoError('InternalErrorException', 'Internal error (injected)'));
      return true;
    case 'not-enabled':
      sendError(
        res,
        new CognitoError(
          'OperationNotEnabledException',
          'This operation is not available in the current region or for the current user pool configuration.',
        ),
      );
      return true;
    case 'drop':
      res.socket?.destroy();
      return true;
    case 'hang':
      return true;
    case 'slow':
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1_000));
      return false;
    default:
      return false;
  }
}

function sourceIp(req: IncomingMessage): string {
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')[0]
    ?.trim();
  return forwarded || (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
}

/** The body as text, or undefined past MAX_BODY (events rather than the async iterator: cheaper per request). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
  res.end(JSON.stringify(body));
}

/**
 * Cognito's error answer: `x-amzn-ErrorType` carries a trailing colon and `x-amzn-ErrorMessage` the message, as
 * recorded raw (aws-amplify/aws-sdk-ios #2354, aws/aws-sdk-cpp #1789, aws-amplify/amplify-js #1906); the
 * gateway's own refusal of an unsigned call has no colon (awslabs/aws-sdk-ios-samples #108).
 */
function sendError(res: ServerResponse, error: CognitoError, status = error.status): void {
  const gateway = error.type === 'MissingAuthenticationTokenException';
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    'x-amzn-errortype': gateway ? error.type : `${error.type}:`,
    // Header values are ASCII; the body keeps the message as it is.
    'x-amzn-errormessage': error.message.replace(/[^\x20-\x7e]/g, '?'),
  });
  res.end(JSON.stringify({ __type: error.type, message: error.message }));
}
