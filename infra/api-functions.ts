import { Validations } from 'aws-cdk-lib';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { FUNCTION_ENTRY, type FunctionId, functionsOf, type RouteDefinition } from '../functions/routes.js';
import type { DeviceBffFunctions } from './device-bff.js';
import type { DeviceBffSettings } from './device-bff-settings.js';
import { DeviceFunction } from './device-function.js';
import { apiVariables } from './function-environment.js';
import type { ApiLimits } from './limits.js';
import type { Trust } from './trust.js';

export interface ApiFunctionsProps {
  readonly settings: DeviceBffSettings;
  readonly limits: ApiLimits;
  readonly userPool: IUserPool;
  readonly clientIds: readonly string[];
  readonly behindEdge: boolean;
  readonly trust: Trust | undefined;
}

/** One function of the API and the routes it serves. */
export interface ApiFunction {
  readonly id: FunctionId;
  readonly fn: LambdaFunction;
  readonly routes: readonly RouteDefinition[];
}

/** The API's functions, each with the routes it serves, and by name (`api` also serves `$default`). */
export interface ApiFunctions {
  readonly all: readonly ApiFunction[];
  readonly byId: DeviceBffFunctions;
}

/**
 * The API's functions, grouped by privilege and cost (functions/routes.ts, `functionsOf`), each with exactly the
 * permissions its routes need: the cursor key for the list, the full device view's admin operations on this pool,
 * and the trust records with `rememberFor`. Off the full view, no API function holds any Cognito permission.
 * Made in `scope` itself, so that their ids (and a deployed stack's resources) stay as they were.
 */
export function apiFunctions(scope: Construct, props: ApiFunctionsProps): ApiFunctions {
  const { settings } = props;
  // Seals the list's cursors (HMAC), so a cursor is good only for the user and view it was issued for. To
  // rotate it, put a new value: the function accepts the previous one too, and a cursor lives one page.
  const cursorKey = new Secret(scope, 'CursorKey', {
    description: `Cognito device BFF cursor key (${settings.name})`,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
  });
  Validations.of(cursorKey).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'A key that only seals one page of a device list: rotated by putting a new value (PutSecretValue), which the list function picks up within minutes while still accepting the previous one.',
  });
  const all = [...functionsOf(settings.limits.fullDeviceView)].map(([fnId, served]) => {
    const routes = served.flatMap((route) => ('method' in route ? [route] : []));
    // The full device view's admin calls are the only signed Cognito calls: exactly the served routes' own
    // operations, on this one pool, and only when the view is on.
    const adminOperations = settings.limits.fullDeviceView
      ? [...new Set(routes.flatMap((route) => route.fullViewOperations))]
      : [];
    const cursors = routes.some((route) => route.cursorKey);
    const { fn } = new DeviceFunction(scope, fnId, {
      handler: FUNCTION_ENTRY,
      description: truncate(
        `Cognito device BFF ${fnId} (${settings.name}): ${served
          .map((route) => ('method' in route ? `${route.method} ${route.path}` : '$default'))
          .join(', ')}${adminOperations.length > 0 ? `; IAM ${adminOperations.join(', ')}` : ''}`,
      ),
      environment: {
        ...apiVariables({
          userPoolId: props.userPool.userPoolId,
          clientIds: props.clientIds,
          logLevel: settings.logLevel,
          deviceVisibility: adminOperations.length > 0 ? 'all' : 'remembered',
          ...(cursors && { cursorKeySecretId: cursorKey.secretArn }),
          behindEdge: props.behindEdge,
          routes: served.map((route) => route.id),
          deviceEvents: settings.events !== undefined,
        }),
        ...props.trust?.environment('api'),
      },
      logRetention: settings.logRetention,
      reservedConcurrency: props.limits.concurrency[fnId] ?? 0,
      secretsExtension: cursors,
    });
    // The extension reads the current and previous values: GetSecretValue alone (`grantRead` adds DescribeSecret).
    if (cursors) {
      Grant.addToPrincipal({
        grantee: fn,
        actions: ['secretsmanager:GetSecretValue'],
        resourceArns: [cursorKey.secretArn],
      });
    }
    if (adminOperations.length > 0) {
      props.userPool.grant(fn, ...adminOperations.map((operation) => `cognito-idp:${operation}`));
    }
    // Records are written once and read by name: no UpdateSchedule, no ListSchedules (functions/trust/schedules.ts).
    props.trust?.grantScheduling(fn, 'trust', [
      'scheduler:CreateSchedule',
      'scheduler:GetSchedule',
      'scheduler:DeleteSchedule',
    ]);
    return { id: fnId, fn, routes };
  });
  const fn = (id: FunctionId) => all.find((f) => f.id === id)?.fn;
  const api = fn('api');
  const forgetOthers = fn('forgetOthers');
  const apiAdmin = fn('apiAdmin');
  if (!api || !forgetOthers)
    throw new Error('the route table gives no route to the api or forgetOthers function');
  return { all, byId: { api, forgetOthers, ...(apiAdmin && { apiAdmin }) } };
}

const truncate = (text: string) => (text.length <= 256 ? text : `${text.slice(0, 255)}…`);
