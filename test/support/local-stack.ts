import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DEVICE_NAMES_USER_AGENT } from '../../functions/cognito/device-names.js';
import type { StageConfig } from '../../infra/config.js';
import type { DeviceTrackingModeName } from '../../infra/device-tracking.js';
import type { SignInKind } from '../../infra/sign-in.js';
import { localStageConfig } from '../../local/settings.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { createConfirmedUser, enrolTotp, passwordSignIn } from '../../local/users.js';

export const PASSWORD = 'Corr3ct-horse';

/** A skewable clock for the stand-in: tests move it back to mint tokens that are already expired. */
export const clock = { offsetMs: 0, now: () => Date.now() + clock.offsetMs };

/** The local stack in-process on free ports, in memory, configured like the stack for `mode`. */
export async function startTestStack(
  mode: DeviceTrackingModeName,
  options: {
    logLevel?: string;
    functionEnv?: Record<string, string>;
    fullDeviceView?: boolean;
    /** What users sign in with (the stage's `signInWith`; `username` by default). */
    signInWith?: SignInKind;
    /** Passwordless first factors of the pool (the stage's `passwordless`; none by default). */
    passwordless?: StageConfig['passwordless'];
    /** The events' retry queue: visibility timeout and receives before the dead-letter queue. */
    eventRetry?: { visibilityTimeoutMs: number; maxReceiveCount: number };
  } = {},
): Promise<LocalStack> {
  return startLocalStack({
    config: {
      ...localStageConfig({}),
      deviceTracking: mode,
      mfa: 'optional',
      fullDeviceView: options.fullDeviceView ?? false,
      signInWith: options.signInWith ?? 'username',
      passwordless: options.passwordless ?? [],
    },
    region: 'eu-west-1',
    logLevel: options.logLevel ?? 'SILENT',
    ...(options.functionEnv && { functionEnv: options.functionEnv }),
    ...(options.eventRetry && { eventRetry: options.eventRetry }),
    now: clock.now,
  });
}

/**
 * Observes what the BFF's API and trigger ask the Cognito stand-in, leaving out the event delivery's reads of device
 * names, which follow a status change's response at a time of their own. Returns the unsubscribe function.
 */
export function onApiCall(
  stack: LocalStack,
  listener: (operation: string, body: string) => void,
): () => void {
  return stack.cognito.onCall((operation, body, userAgent) => {
    if (userAgent !== DEVICE_NAMES_USER_AGENT) listener(operation, body);
  });
}

export function cognitoClient(stack: LocalStack): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: stack.cognito.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

/**
 * Creates a confirmed user who signs in with a password and an authenticator app (TOTP), enrolled through the SPA
 * client; returns the authenticator's secret, the user's `sub` and the username Cognito gave them. With `email`, the
 * user has that email, verified: in a pool whose users sign in with their email, `name` should be that email (it is
 * the username Cognito replaces with a UUID).
 */
export async function createTotpUser(
  stack: LocalStack,
  name: string,
  options: { email?: string } = {},
): Promise<{ secret: string; sub: string; username: string }> {
  const cognito = cognitoClient(stack);
  const sameAsName = options.email === name;
  const username = await createConfirmedUser(cognito, {
    userPoolId: stack.userPoolId,
    username: name,
    password: PASSWORD,
    ...(options.email && {
      attributes: [
        ...(sameAsName ? [] : [{ Name: 'email', Value: options.email }]),
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  });
  const { AccessToken } = await passwordSignIn(cognito, {
    clientId: stack.clients.spa,
    username: name,
    password: PASSWORD,
  });
  const secret = await enrolTotp(cognito, AccessToken);
  const { sub } = JSON.parse(Buffer.from(AccessToken.split('.')[1] ?? '', 'base64url').toString());
  return { secret, sub, username };
}

/** Every token `signIn` obtained in this process: none of them may ever appear in the output. */
export const issuedSecrets: string[] = [];

export interface SignedIn {
  readonly username: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly idToken: string;
  readonly newDevice: { DeviceKey: string; DeviceGroupKey: string } | undefined;
}

/** Creates a confirmed user (once) and signs them in with the mobile client, as an app would. */
export async function signIn(stack: LocalStack, username: string, deviceKey?: string): Promise<SignedIn> {
  const cognito = cognitoClient(stack);
  const pool = stack.cognito.store.data.pools[stack.userPoolId];
  if (!pool?.users[username]) {
    await createConfirmedUser(cognito, { userPoolId: stack.userPoolId, username, password: PASSWORD });
  }
  const result = await passwordSignIn(cognito, {
    clientId: stack.clients.mobile,
    username,
    password: PASSWORD,
    deviceKey,
  });
  if (!result.RefreshToken || !result.IdToken) throw new Error('sign-in returned no tokens');
  issuedSecrets.push(result.AccessToken, result.RefreshToken, result.IdToken);
  const device = result.NewDeviceMetadata;
  return {
    username,
    accessToken: result.AccessToken,
    refreshToken: result.RefreshToken,
    idToken: result.IdToken,
    newDevice:
      device?.DeviceKey && device.DeviceGroupKey
        ? { DeviceKey: device.DeviceKey, DeviceGroupKey: device.DeviceGroupKey }
        : undefined,
  };
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

/** Calls the local API over real HTTP. */
export async function call(
  stack: LocalStack,
  method: string,
  path: string,
  options: { token?: string; json?: unknown; body?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${stack.api.url}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** A confirmed user with the test password and, when `email` is given, that email verified (no MFA). */
export async function createPasswordUser(stack: LocalStack, username: string, email?: string): Promise<void> {
  await createConfirmedUser(cognitoClient(stack), {
    userPoolId: stack.userPoolId,
    username,
    password: PASSWORD,
    ...(email && {
      attributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  });
}

/** The access token of a password sign-in (USER_PASSWORD_AUTH, the `spa` client) of a user without MFA. */
export async function passwordToken(stack: LocalStack, username: string): Promise<string> {
  const signedIn = await passwordSignIn(cognitoClient(stack), {
    clientId: stack.clients.spa,
    username,
    password: PASSWORD,
  });
  return signedIn.AccessToken ?? '';
}

/** The newest code the stand-in "emailed" to `to`, read over HTTP (`GET /_local/messages`) as a person would. */
export async function codeSentTo(stack: LocalStack, to: string): Promise<string> {
  const messages = (await (await fetch(`${stack.cognito.url}/_local/messages`)).json()) as Array<{
    to: string;
    type: string;
    code: string;
  }>;
  return messages.filter((m) => m.to === to && m.type === 'EMAIL_OTP').at(-1)?.code ?? '';
}
