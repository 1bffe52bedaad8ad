/**
 * The route table: the single source of truth for the CDK stack (routes, functions, throttling), the local
 * API server and the API docs. Importing it loads no runtime code.
 */

/** Cognito's request-rate quota categories (per account and region) that each operation counts against. */
export type QuotaCategory = 'UserResourceUpdate' | 'UserResourceRead' | 'UserAuthentication';

/** The Cognito admin operations the full device view uses (IAM actions `cognito-idp:<name>`). */
export type AdminDeviceOperation = 'AdminGetDevice' | 'AdminListDevices' | 'AdminForgetDevice';

export interface RouteDefinition {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway path template. */
  readonly path: string;
  /** Module under `functions/handlers/` (without extension) that exports `handler`. */
  readonly handler: string;
  readonly cognitoOperation:
    | 'ConfirmDevice'
    | 'UpdateDeviceStatus'
    | 'ListDevices'
    | 'GetDevice'
    | 'ForgetDevice'
    | 'GlobalSignOut';
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
  readonly summary: string;
}

export const routes = {
  confirmDevice: {
    id: 'confirmDevice',
    method: 'POST',
    path: '/devices',
    handler: 'confirm-device',
    cognitoOperation: 'ConfirmDevice',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: true,
    cursorKey: false,
    summary: 'Confirm (track) the device the caller signed in with',
  },
  updateDeviceStatus: {
    id: 'updateDeviceStatus',
    method: 'PUT',
    path: '/devices/{deviceKey}/status',
    handler: 'update-device-status',
    cognitoOperation: 'UpdateDeviceStatus',
    quota: 'UserResourceUpdate',
    fullViewOperations: [],
    jsonBody: true,
    cursorKey: false,
    summary: 'Remember or stop remembering a device',
  },
  listDevices: {
    id: 'listDevices',
    method: 'GET',
    path: '/devices',
    handler: 'list-devices',
    cognitoOperation: 'ListDevices',
    quota: 'UserResourceRead',
    fullViewOperations: ['AdminListDevices'],
    jsonBody: false,
    cursorKey: true,
    summary: "List the caller's devices, one page at a time",
  },
  getDevice: {
    id: 'getDevice',
    method: 'GET',
    path: '/devices/{deviceKey}',
    handler: 'get-device',
    cognitoOperation: 'GetDevice',
    quota: 'UserResourceRead',
    fullViewOperations: ['AdminGetDevice'],
    jsonBody: false,
    cursorKey: false,
    summary: "Get one of the caller's devices",
  },
  forgetDevice: {
    id: 'forgetDevice',
    method: 'DELETE',
    path: '/devices/{deviceKey}',
    handler: 'forget-device',
    cognitoOperation: 'ForgetDevice',
    quota: 'UserResourceUpdate',
    fullViewOperations: ['AdminForgetDevice'],
    jsonBody: false,
    cursorKey: false,
    summary: 'Forget a device: it must pass MFA again on its next sign-in',
  },
  forgetOtherDevices: {
    id: 'forgetOtherDevices',
    method: 'POST',
    // An action on the collection, named: `DELETE /devices?except=current` would forget everything for a
    // client that dropped the query.
    path: '/devices/forget-others',
    handler: 'forget-other-devices',
    cognitoOperation: 'ForgetDevice',
    quota: 'UserResourceUpdate',
    fullViewOperations: ['AdminListDevices', 'AdminForgetDevice'],
    jsonBody: false,
    cursorKey: false,
    summary:
      "Forget the caller's other devices (all but this sign-in's): each must pass MFA again, and cannot refresh",
  },
  signOutEverywhere: {
    id: 'signOutEverywhere',
    method: 'POST',
    // A named action, like forget-others: it ends sessions, which this API does not list as resources.
    path: '/sign-out-everywhere',
    handler: 'sign-out-everywhere',
    cognitoOperation: 'GlobalSignOut',
    quota: 'UserAuthentication',
    fullViewOperations: [],
    jsonBody: false,
    cursorKey: false,
    summary: 'End every session of the caller, this one included: every refresh token is revoked',
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof routes;

/** API Gateway's `$default` route: answers every unmatched request with problem+json (404 or 405). */
export const fallbackRoute = { id: 'notFound', handler: 'not-found' } as const;

export const routeList: readonly RouteDefinition[] = Object.values(routes);
