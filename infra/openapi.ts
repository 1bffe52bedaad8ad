import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import {
  ConfirmDeviceResult,
  DeviceBody,
  DeviceListBody,
  DeviceStatusResult,
  ForgetOthersResult,
  PasskeyAddedResult,
  PasskeyListBody,
  PasskeyRegistrationBody,
  ProblemBody,
  SignOutEverywhereResult,
} from '../functions/devices/responses.js';
import {
  ConfirmDeviceBody,
  DeviceKey,
  ListDevicesQuery,
  UpdateDeviceStatusBody,
} from '../functions/devices/schemas.js';
import { CompletePasskeyBody, CredentialId } from '../functions/passkeys/schemas.js';
import { type RouteId, routeList } from '../functions/routes.js';

type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) from the same zod schemas the functions validate with. */
function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const problem = (description: string, headers: Record<string, unknown> = {}) => ({
  description,
  headers: { ...headers, ...standardHeaders },
  content: { 'application/problem+json': { schema: ref('Problem') } },
});
/** A status both the functions (problem+json) and API Gateway itself (`{"message"}`) may answer. */
const problemOrGateway = (description: string, headers: Record<string, unknown> = {}) => ({
  description: `${description}. API Gateway answers this status itself too, as \`{"message": …}\` without the headers below.`,
  headers: { ...headers, ...standardHeaders },
  content: {
    'application/problem+json': { schema: ref('Problem') },
    'application/json': { schema: ref('ApiGatewayMessage') },
  },
});
const standardHeaders = {
  'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' },
  'Cache-Control': { $ref: '#/components/headers/Cache-Control' },
};
const json = (description: string, schema: string, headers: Record<string, unknown> = {}) => ({
  description,
  headers: { ...headers, ...standardHeaders },
  content: { 'application/json': { schema: ref(schema) } },
});

const credentialIdParameter = {
  name: 'credentialId',
  in: 'path',
  required: true,
  schema: jsonSchema(CredentialId),
};
const deviceKeyParameter = { name: 'deviceKey', in: 'path', required: true, schema: jsonSchema(DeviceKey) };
const queryShape = ListDevicesQuery.def.shape;

/**
 * What each route is, takes and answers on success; typed by route id, so a new route must be described here (the
 * route table holds what the functions need at run time, and no documentation).
 */
const operations: Record<
  RouteId,
  { summary: string; parameters?: unknown[]; requestBody?: string; success: Record<string, unknown> }
> = {
  confirmDevice: {
    summary: 'Confirm (track) the device the caller signed in with',
    requestBody: 'ConfirmDeviceRequest',
    success: {
      201: json(
        'Confirmed (tracked); `userConfirmationNecessary` says whether the user must choose to remember it',
        'ConfirmDeviceResult',
        {
          Location: { description: 'The device', schema: { type: 'string' } },
        },
      ),
    },
  },
  updateDeviceStatus: {
    summary: 'Remember or stop remembering a device',
    parameters: [deviceKeyParameter],
    requestBody: 'UpdateDeviceStatusRequest',
    success: { 200: json('The new remembered status', 'DeviceStatusResult') },
  },
  listDevices: {
    summary: "List the caller's devices, one page at a time",
    parameters: [
      { name: 'limit', in: 'query', required: false, schema: jsonSchema(queryShape.limit, 'input') },
      { name: 'cursor', in: 'query', required: false, schema: jsonSchema(queryShape.cursor, 'input') },
    ],
    success: {
      200: json(
        "One page of the user's remembered devices (Cognito's token API lists no others; a stage with " +
          '`fullDeviceView` lists every device that signed in, remembered or not); `nextCursor` is null on the last page',
        'DeviceList',
      ),
    },
  },
  getDevice: {
    summary: "Get one of the caller's devices",
    parameters: [deviceKeyParameter],
    success: { 200: json('The device', 'Device') },
  },
  forgetOtherDevices: {
    summary:
      "Forget the caller's other devices (all but this sign-in's): each must pass MFA again, and cannot refresh",
    success: {
      200: json(
        'What was done: `forgotten`, `remaining` (the other devices on one page listed at the end: a lower bound ' +
          'when `complete` is false, since more may follow), `complete` when no other device is left, and `keptDeviceKey` (the current device, or null when the token names none). Call again ' +
          'until `complete`. When Cognito throttled, the answer also has a `Retry-After` header (seconds to ' +
          'wait first). Each forgotten device must pass MFA at its next sign-in and its sessions can no longer ' +
          "refresh (their access tokens work until they expire). It reaches the devices Cognito's token API " +
          'lists: remembered ones (every confirmed one with `fullDeviceView`); sessions on other devices go on. ' +
          'To end every session, `POST /sign-out-everywhere`',
        'ForgetOthersResult',
      ),
    },
  },
  signOutEverywhere: {
    summary: 'End every session of the caller, this one included: every refresh token is revoked',
    success: {
      200: json(
        'Every session of the user has ended, this one included: every refresh token is revoked and Cognito ' +
          'refuses their access tokens from now on (this API answers 401 to them). Devices are not touched: sign ' +
          'in again (`next`), and a remembered device skips MFA there',
        'SignOutEverywhereResult',
      ),
    },
  },
  forgetDevice: {
    summary: 'Forget a device: it must pass MFA again on its next sign-in',
    parameters: [deviceKeyParameter],
    success: {
      204: {
        description: 'Forgotten: its next sign-in is challenged like a new device',
        headers: standardHeaders,
      },
    },
  },
  listPasskeys: {
    summary: "List the caller's passkeys",
    success: { 200: json("The user's passkeys", 'PasskeyList') },
  },
  startPasskeyRegistration: {
    summary: 'Start adding a passkey: the options for the browser or platform to create it with',
    success: {
      200: json(
        'The options to create the passkey with (`options`: give them to `PublicKeyCredential.parseCreationOptionsFromJSON` ' +
          'and `navigator.credentials.create`, or the platform’s passkey API), valid for a few minutes; then `POST /passkeys`',
        'PasskeyRegistration',
      ),
    },
  },
  completePasskeyRegistration: {
    summary: 'Add the passkey the browser or platform created from those options',
    requestBody: 'CompletePasskeyRequest',
    success: {
      201: json('Added: the passkey signs this user in from now on', 'PasskeyAddedResult', {
        Location: { description: 'The passkey', schema: { type: 'string' } },
      }),
    },
  },
  removePasskey: {
    summary: 'Remove one of the caller’s passkeys: it signs in no more',
    parameters: [credentialIdParameter],
    success: {
      204: { description: 'Removed: the passkey signs in no more', headers: standardHeaders },
    },
  },
};

/** What the passkey routes may answer besides every route's errors. */
const passkeyErrors = {
  409: problem(
    '`passkeys_not_enabled`: the user pool does not allow passkeys; `passkey_registration_expired`: no registration ' +
      'was started, or it expired (start again); `passkey_registration_other_app`: another app client started it; ' +
      '`passkey_limit_reached`: the user has as many passkeys as Cognito allows (remove one first)',
  ),
};
const passkeyRegistrationErrors = {
  400: problem(
    'Invalid input (`invalidParams`), or Cognito refused the credential: `passkey_origin_not_allowed` (made on a ' +
      "site outside the pool's relying party), `passkey_relying_party_mismatch`, `passkey_not_supported`",
  ),
};
const passkeyNotFound = { 404: problem('`passkey_not_found`: this user has no such passkey') };

/** The errors every route may answer, and those only routes with a JSON body do. */
const errors = {
  400: problem(
    'Invalid input (`invalidParams` lists each field), malformed JSON or a cursor this API did not issue',
  ),
  401: problemOrGateway(
    'No, invalid, expired or revoked access token. With the edge on, a request that did not come through ' +
      'CloudFront (no origin header) is refused by API Gateway itself',
    {
      'WWW-Authenticate': {
        description: '`Bearer`, with `error="invalid_token"` when a token was given',
        schema: { type: 'string' },
      },
    },
  ),
  403: problemOrGateway(
    'The token lacks the `aws.cognito.signin.user.admin` scope, or Cognito forbids the user. With the edge on, ' +
      "a request with a wrong origin header is refused by API Gateway itself (the edge's authorizer)",
    {
      'WWW-Authenticate': {
        description: 'For a missing scope: `Bearer error="insufficient_scope"`',
        schema: { type: 'string' },
      },
    },
  ),
  429: problemOrGateway(
    'Cognito throttled the request (problem+json, with `Retry-After`); or the stage or route throttle did ' +
      '(API Gateway, without `Retry-After`: back off and retry)',
    {
      'Retry-After': {
        description: 'Seconds to wait (Cognito throttling only)',
        schema: { type: 'integer' },
      },
    },
  ),
  500: problemOrGateway(
    'The deployment is misconfigured (e.g. device tracking off) or a bug; the detail is logged, not sent. API ' +
      'Gateway answers 500 itself when Lambda throttled the function (its reserved concurrency was reached)',
  ),
  502: problem(
    'Cognito failed or could not be reached; or (`trust_not_scheduled`, with `rememberFor`) the end of a device’s trust could not be scheduled, so it was not remembered',
  ),
  503: problemOrGateway(
    '`operation_not_enabled`: Cognito does not offer this operation for this pool here (a multi-Region replica takes ' +
      'no device writes); retrying will not help. Or API Gateway could not invoke the function',
  ),
  504: problem('Cognito did not answer within the call budget'),
};
const bodyErrors = {
  413: problemOrGateway('The body exceeds 16 KiB (API Gateway itself refuses bodies over 10 MB)'),
  415: problem('The body is not `application/json`'),
};
const confirmErrors = {
  400: problem(
    'Invalid input (`invalidParams` lists each field) or malformed JSON; or `stale_device_key`: Cognito did not ' +
      'issue this device key to this user, or the device was forgotten, so the app should sign in again without ' +
      'it and confirm the new device',
  ),
  409: problem(
    '`device_key_exists`: the device is already confirmed; Cognito confirms a device once, so it cannot be renamed',
  ),
};
/** Routes that name one device: Cognito's token API finds only this user's remembered devices there. */
const deviceErrors = {
  404: problem(
    '`device_not_found`: this user has no such device. `GET` and `DELETE` find remembered devices only (as ' +
      "Cognito's token API does, unless the stage has `fullDeviceView`), so a device that is not remembered " +
      'answers 404 there while `PUT …/status` can still remember it',
  ),
};

/** The OpenAPI 3.1 document of the API, generated from the route table and the request/response schemas. */
export function buildOpenApi(): Record<string, unknown> {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeList) {
    const operation = operations[route.id as RouteId];
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      operationId: route.id,
      summary: operation.summary,
      description: `Calls Cognito ${route.cognitoOperation} with the caller's access token.`,
      ...(operation.parameters && { parameters: operation.parameters }),
      ...(operation.requestBody && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref(operation.requestBody) } },
        },
      }),
      responses: {
        ...operation.success,
        ...errors,
        ...(route.path.includes('{deviceKey}') ? deviceErrors : {}),
        ...(route.jsonBody ? bodyErrors : {}),
        ...(route.id === 'confirmDevice' ? confirmErrors : {}),
        ...(route.path.startsWith('/passkeys') ? passkeyErrors : {}),
        ...(route.id === 'completePasskeyRegistration' ? passkeyRegistrationErrors : {}),
        ...(route.id === 'removePasskey' ? passkeyNotFound : {}),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Cognito device BFF',
      version,
      description:
        'Remembered-device management for Amazon Cognito user pools, for mobile apps and single-page apps. ' +
        'Unmatched paths answer problem+json 404, and known paths with another method 405 with `Allow`.',
    },
    servers: [
      { url: 'http://127.0.0.1:3000', description: 'Local stack (`npm start`)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: 'Deployed stack (the `ApiUrl` output)',
        variables: { apiId: { default: 'example' }, region: { default: 'us-east-1' } },
      },
    ],
    security: [{ cognitoAccessToken: [] }],
    paths,
    components: {
      securitySchemes: {
        cognitoAccessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'A Cognito access token of an allowed app client, with the `aws.cognito.signin.user.admin` scope',
        },
      },
      headers: {
        'X-Request-Id': {
          description: "API Gateway's request id, also in the logs",
          schema: { type: 'string' },
        },
        'Cache-Control': { description: 'Always `no-store`', schema: { type: 'string', const: 'no-store' } },
      },
      schemas: {
        ConfirmDeviceRequest: jsonSchema(ConfirmDeviceBody, 'input'),
        UpdateDeviceStatusRequest: jsonSchema(UpdateDeviceStatusBody, 'input'),
        ConfirmDeviceResult: jsonSchema(ConfirmDeviceResult),
        DeviceStatusResult: jsonSchema(DeviceStatusResult),
        Device: jsonSchema(DeviceBody),
        DeviceList: jsonSchema(DeviceListBody),
        ForgetOthersResult: jsonSchema(ForgetOthersResult),
        SignOutEverywhereResult: jsonSchema(SignOutEverywhereResult),
        PasskeyList: jsonSchema(PasskeyListBody),
        PasskeyRegistration: jsonSchema(PasskeyRegistrationBody),
        CompletePasskeyRequest: jsonSchema(CompletePasskeyBody, 'input'),
        PasskeyAddedResult: jsonSchema(PasskeyAddedResult),
        Problem: jsonSchema(ProblemBody),
        ApiGatewayMessage: {
          type: 'object',
          description: "API Gateway's own error body (throttling, payload limits, failed functions)",
          properties: { message: { type: 'string' } },
          required: ['message'],
        },
      },
    },
  };
}
