import {
  CognitoIdentityProviderServiceException,
  DeviceKeyExistsException,
  ForbiddenException,
  InternalErrorException,
  InvalidLambdaResponseException,
  InvalidParameterException,
  InvalidPasswordException,
  InvalidUserPoolConfigurationException,
  LimitExceededException,
  NotAuthorizedException,
  OperationNotEnabledException,
  PasswordResetRequiredException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
  WebAuthnChallengeNotFoundException,
  WebAuthnClientMismatchException,
  WebAuthnConfigurationMissingException,
  WebAuthnCredentialNotSupportedException,
  WebAuthnNotEnabledException,
  WebAuthnOriginNotAllowedException,
  WebAuthnRelyingPartyMismatchException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type ApiError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  MisconfigurationError,
  NotFoundError,
  OperationNotEnabledError,
  TooManyRequestsError,
  UnauthorizedError,
  UpstreamError,
  UpstreamTimeoutError,
} from '../errors.js';

/**
 * What an app is told when it confirms a device that is confirmed already: most often its sign-in library did it
 * (Amplify and amazon-cognito-identity-js confirm every new device themselves, with a secret of their own).
 */
export const ALREADY_CONFIRMED =
  'This device is already confirmed, probably by your sign-in library (Amplify and amazon-cognito-identity-js ' +
  'confirm every new device themselves). Cognito confirms a device once, and confirming it again could replace ' +
  'the secret the library proves at sign-in, so nothing was changed. To remember it, send ' +
  'PUT /devices/{deviceKey}/status with {"status": "remembered"}.';

/** Seconds a throttled client should wait; Cognito quotas are per second, so one second is the natural unit. */
export const RETRY_AFTER_SECONDS = 1;

type ExceptionClass = abstract new (...args: never[]) => CognitoIdentityProviderServiceException;

/** `DeviceKeyExistsException` → `device_key_exists`: stable codes derived from the model's exception names. */
function codeOf(error: CognitoIdentityProviderServiceException): string {
  return error.name
    .replace(/Exception$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Every exception the Cognito model lists for ConfirmDevice, UpdateDeviceStatus, GetDevice, ListDevices and
 * ForgetDevice, plus the quota and feature exceptions Cognito raises across the API. Cognito's own message
 * is safe to relay for 4xx (it names no secrets); 5xx details are logged only.
 */
const table: ReadonlyArray<
  readonly [ExceptionClass, (e: CognitoIdentityProviderServiceException) => ApiError]
> = [
  [
    NotAuthorizedException,
    (e) =>
      new UnauthorizedError({
        code: codeOf(e),
        detail: 'The access token was rejected by Cognito',
        tokenPresented: true,
        cause: e,
      }),
  ],
  [
    UserNotFoundException,
    (e) =>
      new UnauthorizedError({
        code: codeOf(e),
        detail: 'The user no longer exists',
        tokenPresented: true,
        cause: e,
      }),
  ],
  [
    ForbiddenException,
    (e) => new ForbiddenError({ code: codeOf(e), detail: 'The request was blocked by Cognito', cause: e }),
  ],
  [
    UserNotConfirmedException,
    (e) => new ForbiddenError({ code: codeOf(e), detail: 'The user is not confirmed', cause: e }),
  ],
  [
    PasswordResetRequiredException,
    (e) => new ForbiddenError({ code: codeOf(e), detail: 'The user must reset their password', cause: e }),
  ],
  [
    ResourceNotFoundException,
    (e) =>
      new NotFoundError({
        code: 'device_not_found',
        detail: 'This user has no device with this key',
        cause: e,
      }),
  ],
  [
    DeviceKeyExistsException,
    // ConfirmDevice of a confirmed device; the API reference: "a device key that already exists".
    (e) => new ConflictError({ code: codeOf(e), detail: ALREADY_CONFIRMED, cause: e }),
  ],
  [
    UsernameExistsException,
    (e) => new ConflictError({ code: codeOf(e), detail: 'The username already exists', cause: e }),
  ],
  [InvalidParameterException, (e) => new BadRequestError({ code: codeOf(e), detail: e.message, cause: e })],
  [InvalidPasswordException, (e) => new BadRequestError({ code: codeOf(e), detail: e.message, cause: e })],
  [
    TooManyRequestsException,
    (e) =>
      new TooManyRequestsError({
        code: codeOf(e),
        detail: 'Too many requests',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        cause: e,
      }),
  ],
  [
    LimitExceededException,
    (e) =>
      new TooManyRequestsError({
        code: codeOf(e),
        detail: 'A Cognito limit was exceeded',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
        cause: e,
      }),
  ],
  [
    InvalidUserPoolConfigurationException,
    (e) => new MisconfigurationError({ code: codeOf(e), detail: e.message, cause: e }),
  ],
  [
    OperationNotEnabledException,
    (e) => new OperationNotEnabledError({ code: codeOf(e), detail: e.message, cause: e }),
  ],
  // Distinct from our own `internal_error` (a bug here): this one is Cognito's.
  [
    InternalErrorException,
    (e) => new UpstreamError({ code: 'upstream_internal_error', detail: e.message, cause: e }),
  ],
  [
    InvalidLambdaResponseException,
    (e) => new UpstreamError({ code: codeOf(e), detail: e.message, cause: e }),
  ],
  // Passkeys (the model documents the case each names); the details are ours, Cognito's message is not relayed.
  [
    WebAuthnNotEnabledException,
    (e) =>
      new ConflictError({
        code: 'passkeys_not_enabled',
        detail: 'Passkeys are not enabled for this user pool',
        cause: e,
      }),
  ],
  [
    WebAuthnConfigurationMissingException,
    (e) =>
      new MisconfigurationError({
        code: codeOf(e),
        detail: 'The user pool has no passkey relying party (WebAuthnRelyingPartyID) nor domain',
        cause: e,
      }),
  ],
  [
    WebAuthnChallengeNotFoundException,
    (e) =>
      new ConflictError({
        code: 'passkey_registration_expired',
        detail: 'No passkey registration is in progress for this user, or it expired: start again',
        cause: e,
      }),
  ],
  [
    WebAuthnClientMismatchException,
    (e) =>
      new ConflictError({
        code: 'passkey_registration_other_app',
        detail: 'The passkey registration was started by another app client: start again from this app',
        cause: e,
      }),
  ],
  [
    WebAuthnOriginNotAllowedException,
    (e) =>
      new BadRequestError({
        code: 'passkey_origin_not_allowed',
        detail: "The passkey was made on a site outside the user pool's relying party",
        cause: e,
      }),
  ],
  [
    WebAuthnRelyingPartyMismatchException,
    (e) =>
      new BadRequestError({
        code: 'passkey_relying_party_mismatch',
        detail: "The passkey belongs to another relying party than the user pool's",
        cause: e,
      }),
  ],
  [
    WebAuthnCredentialNotSupportedException,
    (e) =>
      new BadRequestError({
        code: 'passkey_not_supported',
        detail: 'This passkey comes from a device or provider Cognito does not support',
        cause: e,
      }),
  ],
];

/** The Cognito operations the BFF calls (the admin ones only under the stage's full device view). */
export type DeviceOperation =
  | 'ConfirmDevice'
  | 'UpdateDeviceStatus'
  | 'GetDevice'
  | 'ListDevices'
  | 'ForgetDevice'
  | 'GlobalSignOut'
  | 'AdminGetDevice'
  | 'AdminListDevices'
  | 'AdminForgetDevice'
  | 'ListWebAuthnCredentials'
  | 'DeleteWebAuthnCredential'
  | 'StartWebAuthnRegistration'
  | 'CompleteWebAuthnRegistration';

/**
 * What AWS answers a signed call it will not take: no or a bad signature, unknown or expired credentials
 * (AWS "Common Errors"; Cognito's own answer to an unsigned admin call is `MissingAuthenticationTokenException`,
 * awslabs/aws-sdk-ios-samples #108), or a role without the permission. Only the full device view's admin calls
 * are signed, so each of these means the stage is deployed wrong, never that the user did something wrong.
 */
const SIGNED_CALL_REFUSALS = new Set([
  'AccessDeniedException',
  'MissingAuthenticationTokenException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'ExpiredTokenException',
]);

type Refinement = (e: CognitoIdentityProviderServiceException) => ApiError | undefined;

const STALE_DEVICE_KEY =
  'This device key was not issued to this user, or the device was forgotten. Sign in again without a ' +
  'device key to get new device metadata, and confirm that device.';

/**
 * Where an exception from one operation tells the app something more specific than the exception alone.
 * Real Cognito's wording is the only thing that tells these cases apart; the detail is always ours.
 */
const refinements: Partial<Record<DeviceOperation, ReadonlyArray<readonly [ExceptionClass, Refinement]>>> = {
  ConfirmDevice: [
    // Real Cognito: InvalidParameterException "Invalid device key given." (boto/boto3 #4059). The model also
    // lists ResourceNotFoundException; the app's remedy is the same, so both are `stale_device_key`.
    [
      InvalidParameterException,
      (e) =>
        /device key/i.test(e.message)
          ? new BadRequestError({ code: 'stale_device_key', detail: STALE_DEVICE_KEY, cause: e })
          : undefined,
    ],
    [
      ResourceNotFoundException,
      (e) => new BadRequestError({ code: 'stale_device_key', detail: STALE_DEVICE_KEY, cause: e }),
    ],
  ],
  // With the user named by the verified token and the device looked up by the token API first, the one
  // resource AdminListDevices can miss is the pool: the function is configured with the wrong one.
  AdminListDevices: [
    [
      ResourceNotFoundException,
      (e) =>
        new MisconfigurationError({
          code: 'misconfigured',
          detail: `AdminListDevices: ${e.message}`,
          cause: e,
        }),
    ],
  ],
  // Cognito declares LimitExceededException for a passkey registration: the user has as many passkeys as allowed.
  // Retrying does not help (it is no throttle), so it is a conflict the user resolves by removing one.
  StartWebAuthnRegistration: [[LimitExceededException, (e) => passkeyLimit(e)]],
  CompleteWebAuthnRegistration: [[LimitExceededException, (e) => passkeyLimit(e)]],
  DeleteWebAuthnCredential: [
    [
      ResourceNotFoundException,
      (e) =>
        new NotFoundError({ code: 'passkey_not_found', detail: 'This user has no such passkey', cause: e }),
    ],
  ],
  // Real Cognito's token-authorized GetDevice finds remembered devices only (AWSMobileClientTest).
  GetDevice: [
    [
      ResourceNotFoundException,
      (e) =>
        new NotFoundError({
          code: 'device_not_found',
          detail:
            'This user has no remembered device with this key. Cognito shows remembered devices only; ' +
            'a device that is not remembered can still be remembered with PUT /devices/{deviceKey}/status.',
          cause: e,
        }),
    ],
  ],
};

function passkeyLimit(cause: CognitoIdentityProviderServiceException): ApiError {
  return new ConflictError({
    code: 'passkey_limit_reached',
    detail: 'This user has as many passkeys as Cognito allows: remove one first',
    cause,
  });
}

/**
 * Translates whatever `client.send()` threw into the BFF's error hierarchy.
 * @param timedOut whether the call's own budget expired, which makes any resulting failure a 504
 * @param operation the operation that failed, for the answers that depend on it
 */
export function fromCognitoError(error: unknown, timedOut: boolean, operation: DeviceOperation): ApiError {
  if (timedOut || isSdkTimeout(error)) {
    return new UpstreamTimeoutError({
      code: 'upstream_timeout',
      detail: 'Cognito did not answer in time',
      cause: error,
    });
  }
  if (isSignedCallRefusal(error)) {
    return new MisconfigurationError({
      code: 'misconfigured',
      detail: `${operation} was refused to this function (${(error as Error).name}): check its role and credentials`,
      cause: error,
    });
  }
  if (error instanceof CognitoIdentityProviderServiceException) {
    for (const [cls, refine] of refinements[operation] ?? []) {
      const refined = error instanceof cls ? refine(error) : undefined;
      if (refined) return refined;
    }
    const entry = table.find(([cls]) => error instanceof cls);
    if (entry) return entry[1](error);
    return new UpstreamError({
      code: 'upstream_error',
      detail: `Unmapped Cognito error ${error.name}`,
      cause: error,
    });
  }
  return new UpstreamError({
    code: 'upstream_unavailable',
    detail: 'Cognito could not be reached',
    cause: error,
  });
}

/** AWS refused our credentials or permissions, or the SDK found no credentials to sign with. */
function isSignedCallRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return SIGNED_CALL_REFUSALS.has(error.name) || error.name === 'CredentialsProviderError';
}

/**
 * The SDK's per-attempt `requestTimeout` surfaces as a plain Error named `TimeoutError` (smithy
 * node-http-handler). Smithy also renames socket errors such as ECONNRESET to `TimeoutError` so that they
 * are retried; those carry their socket `code` and are unavailability (502), except ETIMEDOUT.
 */
function isSdkTimeout(error: unknown): boolean {
  if (!(error instanceof Error) || error.name !== 'TimeoutError') return false;
  const code = (error as { code?: unknown }).code;
  return typeof code !== 'string' || code === 'ETIMEDOUT';
}
