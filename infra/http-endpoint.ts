import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type RouteId, routes } from '../functions/routes.js';
import type { ApiFunctions } from './api-functions.js';
import { corsSettings } from './cors.js';
import type { DeviceBffSettings } from './device-bff-settings.js';
import type { ApiLimits } from './limits.js';

/**
 * API access log lines, one JSON object per request. HTTP APIs' default (CLF) has `identity.caller` and
 * `identity.user`, always "-" here; this says what ops need instead. Never the query string (a cursor), never
 * a header but the User-Agent: tokens live in headers.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  error: '$context.error.message',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
} as const;

export interface HttpEndpointProps {
  readonly settings: DeviceBffSettings;
  readonly limits: ApiLimits;
  readonly functions: ApiFunctions;
  readonly corsOrigins: readonly string[];
  /** With the edge: every route (`$default` included) lets through only what came through CloudFront. */
  readonly authorizer: IHttpRouteAuthorizer | undefined;
}

/**
 * The HTTP API, its `$default` stage with the throttles and access logs, and a route per entry of the route table
 * to the function that serves it. Made in `scope` itself, so that the ids of a deployed stack's resources stay.
 */
export function httpEndpoint(scope: Construct, props: HttpEndpointProps): { api: HttpApi; stage: HttpStage } {
  const { settings, limits } = props;
  const cors = corsSettings(props.corsOrigins);
  const api = new HttpApi(scope, 'Api', {
    description: `Cognito device BFF (${settings.name})`,
    createDefaultStage: false,
    // `$default` (unmatched requests: problem+json 404/405) runs in the api function.
    defaultIntegration: new HttpLambdaIntegration('DefaultIntegration', props.functions.byId.api),
    ...(props.authorizer && { defaultAuthorizer: props.authorizer }),
    ...(cors && {
      corsPreflight: {
        allowOrigins: [...cors.allowOrigins],
        allowMethods: cors.allowMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...cors.allowHeaders],
        exposeHeaders: [...cors.exposeHeaders],
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    }),
  });
  // One stage-wide limit, shared by every caller: sized to what the functions' concurrency can serve and to
  // cost, far above what valid users need. Cognito's quotas are guarded by Cognito itself (its 429 reaches
  // the app with Retry-After); junk never reaches Cognito. See docs/reliability.md, "Abuse".
  const stage = new HttpStage(scope, 'DefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: settings.limits.apiRateLimit, burstLimit: settings.limits.apiBurstLimit },
    accessLogSettings: {
      destination: new LogGroupLogDestination(
        new LogGroup(scope, 'AccessLogs', { retention: settings.logRetention }),
      ),
      format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
    },
  });
  // Routes with a throttle of their own (forget-others: its Cognito reads, and no more calls started than its
  // reserved concurrency can run). The L2 stage has no per-route settings.
  (stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
    Object.entries(limits.routes).map(([routeId, throttle]) => {
      const route = routes[routeId as RouteId];
      return [
        `${route.method} ${route.path}`,
        { ThrottlingRateLimit: throttle.rate, ThrottlingBurstLimit: throttle.burst },
      ];
    }),
  );
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'Every route function verifies the Cognito access token (aws-jwt-verify: signature, issuer, expiry, token_use, client, scope) before any work, and Cognito checks it again; the $default route only answers 404/405.',
  });
  for (const { fn, routes: served } of props.functions.all) {
    for (const route of served) {
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.id}Integration`, fn),
      });
    }
  }
  return { api, stage };
}
