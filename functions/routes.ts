/**
 * The route table: the single source of truth for the CDK stack (routes, functions, throttling), the local
 * API server and the API docs. Importing it loads no runtime code.
 */

/** Cognito's request-rate quota categories (per account and region) that each operation counts against. */
export type QuotaCategory = 'UserResourceUpdate' | 'UserResourceRead' | 'UserToken';

/** The Cognito admin operations the full device view uses (IAM actions `cognito-idp:<name>`). */
export type AdminDeviceOperation = 'AdminGetDevice' | 'AdminListDevices' | 'AdminForgetDevice';

export interface RouteDefinition {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path template. */
  readonly path: string;
  /**
   * The function the route runs in: `api` holds every route of a user's session, so a session meets one cold
   * start at most; `forgetOthers` runs alone, for the reserved concurrency that bounds its Cognito writes. With the
   * full device view the `api` routes that make admin calls run in `apiAdmin`, the one function holding those IAM
   * actions ({@link functionOf}). Every function runs the same bundle (`functions/handlers/api.ts`).
   */
  readonly group: 'api' | 'forgetOthers';
  readonly cognitoOperation:
    | 'ConfirmDevice'
    | 'UpdateDeviceStatus'
    | 'ListDevices'
    | 'GetDevice'
    | 'ForgetDevice'
    | 'GlobalSignOut'
    | 'ListWebAuthnCredentials'
    | 'DeleteWebAuthnCredential'
    | 'StartWebAuthnRegistration'
    | 'CompleteWebAuthnRegistration';
  readonly quota: QuotaCategory;
  /**
   * The admin operations the route calls when the stage's full device view (`fullDeviceView`) is on: its
   * function then gets exactly these IAM actions on the one pool, and no Cognito permission otherwise.
   */
  readonly fullViewOperations: readonly AdminDeviceOperation[];
  /** Whether the route takes a JSON body (content type, size limit and parsing apply). */
  readonly jsonBody: boolean;
  /** Whether the route issues and takes cursors: its function reads the stack's cursor key (Secrets Manager). */
  readonly cursorKey: boolean;
}

export const routes = {
  confirmDevice: {
    id: 'confirmDevice',
    group: 'api',
    method: 'POST',
    path: '/devices',
    cognitoOperation: 'ConfirmDevice',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: true,
    cursorKey: false,
  },
  updateDeviceStatus: {
    id: 'updateDeviceStatus',
    group: 'api',
    method: 'PUT',
    path: '/devices/{deviceKey}/status',
    cognitoOperation: 'UpdateDeviceStatus',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: true,
    cursorKey: false,
  },
  listDevices: {
    id: 'listDevices',
    group: 'api',
    method: 'GET',
    path: '/devices',
    cognitoOperation: 'ListDevices',
    quota: 'UserResourceRead',
    fullViewOperations: ['AdminListDevices'],
    jsonBody: false,
    cursorKey: true,
  },
  getDevice: {
    id: 'getDevice',
    group: 'api',
    method: 'GET',
    path: '/devices/{deviceKey}',
    cognitoOperation: 'GetDevice',
    quota: 'UserResourceRead',
    fullViewOperations: ['AdminGetDevice'],
    jsonBody: false,
    cursorKey: false,
  },
  forgetDevice: {
    id: 'forgetDevice',
    group: 'api',
    method: 'DELETE',
    path: '/devices/{deviceKey}',
    cognitoOperation: 'ForgetDevice',
    quota: 'UserResourceUpdate',
    fullViewOperations: ['AdminForgetDevice'],
    jsonBody: false,
    cursorKey: false,
  },
  forgetOtherDevices: {
    id: 'forgetOtherDevices',
    group: 'forgetOthers',
    method: 'POST',
    // An action on the collection, named: `DELETE /devices?except=current` would forget everything for a
    // client that dropped the query.
    path: '/devices/forget-others',
    cognitoOperation: 'ForgetDevice',
    quota: 'UserResourceUpdate',
    fullViewOperations: ['AdminListDevices', 'AdminForgetDevice'],
    jsonBody: false,
    cursorKey: false,
  },
  signOutEverywhere: {
    id: 'signOutEverywhere',
    group: 'api',
    method: 'POST',
    // A named action, like forget-others: it ends sessions, which this API does not list as resources.
    path: '/sign-out-everywhere',
    cognitoOperation: 'GlobalSignOut',
    quota: 'UserToken',
    fullViewOperations: [],
    jsonBody: false,
    cursorKey: false,
  },
  // The caller's passkeys, on pools that allow them (stage setting `passwordless`). Cognito's quota category for the
  // passkey operations is not published: taken as a device read or write (ours).
  listPasskeys: {
    id: 'listPasskeys',
    group: 'api',
    method: 'GET',
    path: '/passkeys',
    cognitoOperation: 'ListWebAuthnCredentials',
    quota: 'UserResourceRead',
    fullViewOperations: [],
    jsonBody: false,
    cursorKey: false,
  },
  startPasskeyRegistration: {
    id: 'startPasskeyRegistration',
    group: 'api',
    method: 'POST',
    // The first of two steps, named: it creates no passkey, only the options the browser makes one from.
    path: '/passkeys/registrations',
    cognitoOperation: 'StartWebAuthnRegistration',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: false,
    cursorKey: false,
  },
  completePasskeyRegistration: {
    id: 'completePasskeyRegistration',
    group: 'api',
    method: 'POST',
    path: '/passkeys',
    cognitoOperation: 'CompleteWebAuthnRegistration',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: true,
    cursorKey: false,
  },
  removePasskey: {
    id: 'removePasskey',
    group: 'api',
    method: 'DELETE',
    path: '/passkeys/{credentialId}',
    cognitoOperation: 'DeleteWebAuthnCredential',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: false,
    cursorKey: false,
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof routes;

/** API Gateway's `$default` route: answers every unmatched request with problem+json (404 or 405), in `api`. */
export const fallbackRoute = { id: 'notFound', group: 'api' } as const;

export const routeList: readonly RouteDefinition[] = Object.values(routes);

/** The stack's functions (see {@link RouteDefinition.group}). */
export type FunctionId = 'api' | 'apiAdmin' | 'forgetOthers';

/** The one bundle every function runs, under `functions/handlers/`. */
export const FUNCTION_ENTRY = 'api';

/** The function a route runs in, under a stage's settings. */
export function functionOf(
  route: RouteDefinition | typeof fallbackRoute,
  fullDeviceView: boolean,
): FunctionId {
  if (route.group === 'forgetOthers') return 'forgetOthers';
  return fullDeviceView && 'fullViewOperations' in route && route.fullViewOperations.length > 0
    ? 'apiAdmin'
    : 'api';
}

/** The stage's functions and the routes each serves (`$default` is `api`'s); a function without routes is left out. */
export function functionsOf(
  fullDeviceView: boolean,
): Map<FunctionId, Array<RouteDefinition | typeof fallbackRoute>> {
  const served = new Map<FunctionId, Array<RouteDefinition | typeof fallbackRoute>>();
  for (const route of [...routeList, fallbackRoute]) {
    const fn = functionOf(route, fullDeviceView);
    served.set(fn, [...(served.get(fn) ?? []), route]);
  }
  return served;
}
