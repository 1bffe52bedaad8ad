import middy from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import type { DeviceDirectory, DeviceOwner } from '../devices/directory.js';
import { type ApiError, UnauthorizedError, UpstreamTimeoutError } from '../errors.js';
import { type DeviceChange, deviceEvent, type EventPublisher } from '../events/device-event.js';
import type { Log, RequestMetrics } from '../observability.js';
import type { PasskeyDirectory } from '../passkeys/passkey.js';
import type { RouteDefinition } from '../routes.js';
import type { TrustSchedules } from '../trust/schedules.js';
import { bodyLimit } from './body-limit.js';
import { httpEnvelope } from './envelope.js';
import { eventUserAgent, type ViewerAddressSource, viewerAddress } from './viewer.js';

/** What every route needs; built once per process by the composition root, or as fakes by tests. */
export interface RouteDeps {
  readonly authenticator: Authenticator;
  readonly directory: DeviceDirectory;
  readonly passkeys: PasskeyDirectory;
  readonly log: Log;
  readonly metrics: RequestMetrics;
  /** Where each successful change is published (EventBridge); none: no events. */
  readonly events?: EventPublisher | undefined;
  /** The remembered devices' trust schedules, on a stage with `rememberFor`. */
  readonly trust?: TrustSchedules | undefined;
  /** Where events take the viewer's address from (functions/http/viewer.ts); API Gateway's by default. */
  readonly viewerAddress?: ViewerAddressSource;
}

export interface ActionRequest {
  /** The HTTP API event; for JSON routes `body` has already been parsed but not validated. */
  readonly event: APIGatewayProxyEventV2;
  readonly body: unknown;
  readonly principal: Principal;
  readonly directory: DeviceDirectory;
  readonly passkeys: PasskeyDirectory;
  /** Milliseconds left before this invocation must have answered (Lambda's deadline less a margin). */
  readonly remainingMs: () => number;
  /** Fires when the request was answered without this action (Middy's early timeout): stop all work. */
  readonly signal: AbortSignal;
  /**
   * Whether the changes the action reports are published: only then is a device's name looked up for them (a
   * Cognito read the answer itself does not need).
   */
  readonly publishing: boolean;
  /** The remembered devices' trust schedules, on a stage with `rememberFor`. */
  readonly trust: TrustSchedules | undefined;
  /** Where a failure that does not fail the request is reported. */
  readonly log: Log;
}

/** A successful answer; errors are thrown as ApiErrors. */
export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** What changed, for the device events; never sent in the answer. */
  readonly changes?: readonly DeviceChange[];
  /** The answer is this error, although `changes` happened (they are published all the same). */
  readonly failure?: ApiError;
}

export type Action = (request: ActionRequest) => Promise<Reply>;

type RouteContext = Context & { principal?: Principal; cognitoMs?: number };

/**
 * The directory as one request uses it: every Cognito call timed into `record`, and stopped by the request's
 * `signal` (fired when Middy answers early), so no work goes on after the answer.
 */
function forRequest(
  { directory, passkeys }: Pick<RouteDeps, 'directory' | 'passkeys'>,
  record: (ms: number) => void,
  signal: AbortSignal,
): { directory: DeviceDirectory; passkeys: () => PasskeyDirectory } {
  const time = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      record(performance.now() - started);
    }
  };
  // The request's signal, and the action's own when it gives one (a deadline of its own: forget-others).
  const own = (owner: DeviceOwner): DeviceOwner => ({
    ...owner,
    signal: owner.signal ? AbortSignal.any([signal, owner.signal]) : signal,
  });
  let forPasskeys: PasskeyDirectory | undefined;
  return {
    directory: {
      confirm: (owner, request) => time(() => directory.confirm(own(owner), request)),
      setStatus: (owner, key, status) => time(() => directory.setStatus(own(owner), key, status)),
      get: (owner, key) => time(() => directory.get(own(owner), key)),
      list: (owner, page) => time(() => directory.list(own(owner), page)),
      forget: (owner, key, known) => time(() => directory.forget(own(owner), key, known)),
      signOutEverywhere: (owner) => time(() => directory.signOutEverywhere(own(owner))),
    },
    // Built only for the passkey routes that ask for it, not on every device request.
    passkeys: () =>
      (forPasskeys ??= {
        list: (owner) => time(() => passkeys.list(own(owner))),
        remove: (owner, id) => time(() => passkeys.remove(own(owner), id)),
        startRegistration: (owner) => time(() => passkeys.startRegistration(own(owner))),
        completeRegistration: (owner, credential) =>
          time(() => passkeys.completeRegistration(own(owner), credential)),
      }),
  };
}

/** Time kept back before the Lambda timeout so a stuck request still gets a 504 instead of a killed invocation. */
const TIMEOUT_MARGIN_MS = 500;

function authenticate(
  authenticator: Authenticator,
): middy.MiddlewareObj<APIGatewayProxyEventV2, unknown, Error, RouteContext> {
  return {
    before: async (request) => {
      request.context.principal = await authenticator.authenticate(request.event.headers.authorization);
    },
  };
}

function toResult(reply: Reply): APIGatewayProxyStructuredResultV2 {
  if (reply.body === undefined) return { statusCode: reply.status, headers: { ...reply.headers } };
  return {
    statusCode: reply.status,
    headers: { 'Content-Type': 'application/json', ...reply.headers },
    body: JSON.stringify(reply.body),
  };
}

/**
 * The Middy chain every route shares, in order: response envelope (headers, problem+json), token
 * verification, then, for JSON routes, body size limit and JSON parsing; then the route's action.
 */
export function createRouteHandler(route: RouteDefinition, action: Action, deps: RouteDeps) {
  const chain = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, RouteContext>({
    timeoutEarlyInMillis: TIMEOUT_MARGIN_MS,
    timeoutEarlyResponse: () => {
      throw new UpstreamTimeoutError({ code: 'timeout', detail: `${route.id} ran out of time` });
    },
  })
    .use(
      httpEnvelope(deps.log, route.id, (request, status, code, misconfigured) => {
        const { principal, cognitoMs } = request.context as RouteContext;
        const cognito =
          cognitoMs === undefined ? {} : { cognitoOperation: route.cognitoOperation, cognitoMs };
        deps.metrics.record({ route: route.id, status, code, misconfigured, ...cognito });
        // The user by `sub` only, and the Cognito call's latency.
        return {
          sub: principal?.sub,
          ...(cognitoMs !== undefined && {
            cognitoOperation: route.cognitoOperation,
            cognitoLatencyMs: Math.round(cognitoMs),
          }),
        };
      }),
    )
    .use(authenticate(deps.authenticator));
  if (route.jsonBody) chain.use(bodyLimit()).use(httpJsonBodyParser());

  return chain.handler(async (event, context, { signal }) => {
    if (!context.principal) throw new Error('authenticate middleware did not run');
    const body: unknown = route.jsonBody ? event.body : undefined;
    const scope = forRequest(
      deps,
      (ms) => {
        context.cognitoMs = (context.cognitoMs ?? 0) + ms;
      },
      signal,
    );
    const remainingMs = () =>
      typeof context.getRemainingTimeInMillis === 'function'
        ? context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS
        : Number.POSITIVE_INFINITY;
    const { principal } = context;
    try {
      const publishing = deps.events !== undefined;
      const reply = await action({
        event,
        body,
        principal,
        directory: scope.directory,
        get passkeys() {
          return scope.passkeys();
        },
        remainingMs,
        signal,
        publishing,
        trust: deps.trust,
        log: deps.log,
      });
      // After the change, never instead of it: the publisher logs and counts a failure and does not throw.
      if (deps.events && reply.changes?.length) {
        const context = {
          sub: principal.sub,
          clientId: principal.clientId,
          sourceIp: viewerAddress(event, deps.viewerAddress ?? 'api-gateway'),
          userAgent: eventUserAgent(event.requestContext.http.userAgent),
          time: new Date().toISOString(),
        };
        await deps.events.publish(reply.changes.map((change) => deviceEvent(change, context)));
      }
      if (reply.failure) throw reply.failure;
      return toResult(reply);
    } catch (error) {
      // Cognito refused the token itself (a sign-out revoked it, or its user is gone): refuse it here next time.
      if (error instanceof UnauthorizedError) deps.authenticator.refused(principal, error);
      throw error;
    }
  });
}
