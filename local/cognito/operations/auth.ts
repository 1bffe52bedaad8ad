import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import {
  checkPasswordPolicy,
  checkSecretHash,
  findClient,
  findPool,
  firstAuthFactors,
  type Input,
  type OperationContext,
  passwordMatches,
  poolName,
  randomString,
  requireString,
  setPassword,
} from '../context.js';
import {
  CognitoError,
  DEVICE_NOT_FOUND,
  invalidParameter,
  notAuthorized,
  resourceNotFound,
} from '../errors.js';
import { parseTimestamp, serverSession, sessionKey, signatureMatches } from '../srp.js';
import type {
  ClientRecord,
  DeviceRecord,
  PendingChallenge,
  PoolRecord,
  SessionRecord,
  UserRecord,
} from '../state.js';
import { mintTokens, newRefreshToken, refreshLifetimeMs } from '../tokens.js';
import { totpMatches } from '../totp.js';
import { ownUser, unknownUser, userNamed } from '../usernames.js';
import { requestOptions, verifiedAssertion } from '../webauthn.js';
import { refreshTokenAuth } from './refresh.js';

/**
 * Sign-in is a pipeline: a flow proves who the user is (a password, SRP, or USER_AUTH's first factor: a password, an
 * email code, a passkey), then {@link nextStep} decides what comes next (a new password, MFA, the device's proof) or
 * ends it with tokens and device metadata. Each challenge is a handler in {@link challengeHandlers}.
 */

const CHALLENGE_TTL_MS = 3 * 60 * 1000;

interface SignInState {
  pool: PoolRecord;
  client: ClientRecord;
  user: UserRecord;
  /** `DEVICE_KEY` the client sent, if any. */
  deviceKey: string | undefined;
  /** The device proved its secret (DEVICE_SRP_AUTH). */
  deviceProven?: boolean;
  /** The user answered the MFA challenge. */
  mfaPassed?: boolean;
  /** The first factor was not a password (see {@link PendingChallenge.passwordless}). */
  passwordless?: boolean;
  /**
   * The sign-in's challenge session, kept across its challenges: clients such as amazon-cognito-identity-js
   * send the MFA step's Session again for the DEVICE_SRP_AUTH that follows it.
   */
  session?: string;
}

function requireFlow(client: ClientRecord, ...accepted: string[]): void {
  if (!accepted.some((flow) => client.explicitAuthFlows.includes(flow))) {
    throw invalidParameter(`${accepted[0]?.replace(/^ALLOW_/, '')} flow not enabled for this client`);
  }
}

const BAD_CREDENTIALS = 'Incorrect username or password.';

/** ResourceNotFoundException "Device does not exist.", for a sign-in naming a device the user no longer has. */
class StaleDeviceKey extends CognitoError {
  constructor() {
    super('ResourceNotFoundException', DEVICE_NOT_FOUND);
  }
}

function passwordSignIn(pool: PoolRecord, client: ClientRecord, params: Record<string, string>): UserRecord {
  const username = requireString(params.USERNAME, 'USERNAME');
  const password = requireString(params.PASSWORD, 'PASSWORD');
  checkSecretHash(client, username, params.SECRET_HASH);
  const user = userNamed(pool, username);
  if (!user) {
    if (client.preventUserExistenceErrors === 'ENABLED') throw notAuthorized(BAD_CREDENTIALS);
    throw new CognitoError('UserNotFoundException', 'User does not exist.');
  }
  if (!passwordMatches(user.password, password)) throw notAuthorized(BAD_CREDENTIALS);
  if (!user.enabled) throw notAuthorized('User is disabled.');
  if (user.status === 'UNCONFIRMED')
    throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  if (user.status === 'RESET_REQUIRED')
    throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  return user;
}

function challenge(
  state: SignInState,
  challengeName: string,
  parameters: Record<string, string>,
  ctx: OperationContext,
  extra: Pick<PendingChallenge, 'srp' | 'available' | 'otp' | 'webauthnChallenge'> = {},
) {
  const session = state.session ?? randomBytes(96).toString('base64url');
  ctx.store.challenges.set(session, {
    challengeName,
    poolId: state.pool.id,
    clientId: state.client.clientId,
    username: state.user.username,
    ...(state.deviceKey && { deviceKey: state.deviceKey }),
    ...(state.deviceProven && { deviceProven: true }),
    ...(state.mfaPassed && { mfaPassed: true }),
    ...(state.passwordless && { passwordless: true }),
    expiresAt: ctx.now() + CHALLENGE_TTL_MS,
    ...extra,
  });
  return {
    ChallengeName: challengeName,
    Session: session,
    ChallengeParameters: parameters,
    ...(extra.available && { AvailableChallenges: extra.available }),
  };
}

/** After the user is proven: any challenge still owed, else tokens. */
function nextStep(state: SignInState, ctx: OperationContext) {
  // Whatever proved the user (a password, a code, a passkey, a new password), a disabled one gets no further.
  if (!state.user.enabled) throw notAuthorized('User is disabled.');
  if (state.user.status === 'FORCE_CHANGE_PASSWORD') {
    return challenge(
      state,
      'NEW_PASSWORD_REQUIRED',
      {
        USER_ID_FOR_SRP: state.user.username,
        requiredAttributes: '[]',
        userAttributes: JSON.stringify(state.user.attributes),
      },
      ctx,
    );
  }
  // As Cognito orders it (and amazon-cognito-identity-js expects): MFA first, unless the sign-in names a
  // remembered device; then the device proves its secret (DEVICE_SRP_AUTH) before any token names it. A
  // remembered device may skip MFA only because that proof still follows.
  const device = state.deviceKey ? state.user.devices[state.deviceKey] : undefined;
  // A DEVICE_KEY that is not a confirmed device of this user (forgotten, another user's, invented) is refused
  // as soon as the password is proven, before MFA: amazon-cognito-identity-js (CognitoUser.authenticateUser)
  // and amplify-js (retryOnResourceNotFoundException) catch exactly this at PASSWORD_VERIFIER and answer the
  // same challenge again without the device, which real Cognito accepts (see `respond`).
  if (state.pool.deviceConfiguration && state.deviceKey && !device?.confirmed) {
    throw new StaleDeviceKey();
  }
  const provableDevice =
    state.pool.deviceConfiguration !== undefined &&
    device?.confirmed === true &&
    device.verifier !== undefined;
  const totp = state.user.totp;
  const mfaRequired =
    state.pool.mfaConfiguration === 'ON' ||
    (state.pool.mfaConfiguration === 'OPTIONAL' && totp?.enabled === true);
  // A remembered device stands in for MFA only when the pool says so: ChallengeRequiredOnNewDevice (API
  // reference, DeviceConfigurationType: "When true, a remembered device can sign in with device authentication
  // instead of SMS and time-based one-time password (TOTP) factors for multi-factor authentication").
  const rememberedDevice =
    provableDevice &&
    device?.remembered === 'remembered' &&
    state.pool.deviceConfiguration?.ChallengeRequiredOnNewDevice === true;
  // MFA follows a password only: a user with MFA is offered no passwordless first factor (availableChallenges).
  if (mfaRequired && !state.mfaPassed && !rememberedDevice && !state.passwordless) {
    // USER_ID_FOR_SRP names the user whatever they typed, also after USER_PASSWORD_AUTH (aws-amplify/amplify-js #7615).
    const userId = { USER_ID_FOR_SRP: state.user.username };
    if (totp?.enabled && totp.secret)
      return challenge(state, 'SOFTWARE_TOKEN_MFA', { FRIENDLY_DEVICE_NAME: 'TOTP device', ...userId }, ctx);
    return challenge(state, 'MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]', ...userId }, ctx);
  }
  if (provableDevice && !state.deviceProven) return challenge(state, 'DEVICE_SRP_AUTH', {}, ctx);
  return issueTokens(state, ctx);
}

/** Device SRP uses the device's verifier and salt as ConfirmDevice stored them: base64 of the hex bytes. */
function deviceVerifier(device: DeviceRecord | undefined) {
  if (!device?.verifier || !device.salt) return undefined;
  return {
    verifier: Buffer.from(device.verifier, 'base64').toString('hex'),
    salt: Buffer.from(device.salt, 'base64').toString('hex'),
  };
}

/**
 * Ends a sign-in with tokens. With device tracking on: a confirmed `DEVICE_KEY` of this user is used (and its
 * last sign-in updated), any other `DEVICE_KEY` is refused; without one, a new device is issued as
 * `NewDeviceMetadata`, pending until ConfirmDevice.
 */
function issueTokens(state: SignInState, ctx: OperationContext) {
  const { pool, client, user } = state;
  const now = ctx.now();
  let device: DeviceRecord | undefined;
  let isNew = false;
  if (pool.deviceConfiguration) {
    device = state.deviceKey ? user.devices[state.deviceKey] : undefined;
    if (device?.confirmed) {
      device.lastAuthenticatedAt = now;
      device.lastIp = ctx.sourceIp;
    } else {
      device = {
        key: `${pool.region}_${randomUUID()}`,
        groupKey: `-${randomString(9)}`,
        confirmed: false,
        remembered: 'not_remembered',
        createdAt: now,
        lastModifiedAt: now,
        lastAuthenticatedAt: now,
        lastIp: ctx.sourceIp,
      };
      user.devices[device.key] = device;
      isNew = true;
    }
  }
  const session: SessionRecord = {
    originJti: randomUUID(),
    clientId: client.clientId,
    refreshToken: newRefreshToken(),
    ...(device && { deviceKey: device.key }),
    authTime: Math.floor(now / 1000),
    expiresAt: now + refreshLifetimeMs(client),
  };
  user.sessions[session.originJti] = session;
  ctx.signedIn = {
    pool,
    user,
    clientId: client.clientId,
    sessionId: session.originJti,
    newDeviceKey: isNew ? device?.key : undefined,
  };
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      ...mintTokens(pool, client, user, session, now, true),
      ...(device &&
        isNew && { NewDeviceMetadata: { DeviceKey: device.key, DeviceGroupKey: device.groupKey } }),
    },
  };
}

/** Password flows: which API may start them (InitiateAuth or AdminInitiateAuth) and the client settings allowing them. */
const PASSWORD_FLOWS: Record<string, { admin: boolean; allowedBy: string[] }> = {
  USER_PASSWORD_AUTH: { admin: false, allowedBy: ['ALLOW_USER_PASSWORD_AUTH', 'USER_PASSWORD_AUTH'] },
  ADMIN_USER_PASSWORD_AUTH: {
    admin: true,
    allowedBy: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  },
  ADMIN_NO_SRP_AUTH: { admin: true, allowedBy: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'] },
};

function startSignIn(
  pool: PoolRecord,
  client: ClientRecord,
  flow: string,
  params: Record<string, string>,
  admin: boolean,
  ctx: OperationContext,
) {
  const password = PASSWORD_FLOWS[flow];
  if (password && password.admin === admin) {
    requireFlow(client, ...password.allowedBy);
    const user = passwordSignIn(pool, client, params);
    return nextStep({ pool, client, user, deviceKey: params.DEVICE_KEY }, ctx);
  }
  switch (flow) {
    case 'USER_AUTH':
      if (admin) break;
      requireFlow(client, 'ALLOW_USER_AUTH');
      return startUserAuth(pool, client, params, ctx);
    case 'USER_SRP_AUTH':
      requireFlow(client, 'ALLOW_USER_SRP_AUTH');
      return startSrp(pool, client, params, ctx);
    case 'REFRESH_TOKEN_AUTH':
    case 'REFRESH_TOKEN':
      requireFlow(
        client,
        'ALLOW_REFRESH_TOKEN_AUTH',
        'ADMIN_NO_SRP_AUTH',
        'USER_PASSWORD_AUTH',
        'CUSTOM_AUTH_FLOW_ONLY',
      );
      return refreshTokenAuth(pool, client, params, ctx, (username) =>
        checkSecretHash(client, username, params.SECRET_HASH),
      );
  }
  throw invalidParameter(`Initiate Auth method not supported: ${flow}`);
}

export function InitiateAuth(input: Input, ctx: OperationContext) {
  const { pool, client } = findClient(ctx, input.ClientId);
  return startSignIn(pool, client, input.AuthFlow, input.AuthParameters ?? {}, false, ctx);
}

export function AdminInitiateAuth(input: Input, ctx: OperationContext) {
  const pool = findPool(ctx, input.UserPoolId);
  const { client } = findClient(ctx, input.ClientId);
  if (!pool.clients[client.clientId]) throw invalidParameter('The client does not belong to this user pool.');
  return startSignIn(pool, client, input.AuthFlow, input.AuthParameters ?? {}, true, ctx);
}

/**
 * The user a sign-in names in `USERNAME` (a username, an alias, the `sub`), with its `SECRET_HASH` checked; an unknown
 * name is UserNotFoundException unless the client prevents user-existence errors (then undefined), an unconfirmed user
 * UserNotConfirmedException. What USER_SRP_AUTH and USER_AUTH both check first.
 */
function userStartingSignIn(
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
): { username: string; user: UserRecord | undefined } {
  const username = requireString(params.USERNAME, 'USERNAME');
  checkSecretHash(client, username, params.SECRET_HASH);
  const user = userNamed(pool, username);
  if (!user && client.preventUserExistenceErrors !== 'ENABLED')
    throw new CognitoError('UserNotFoundException', 'User does not exist.');
  if (user?.status === 'UNCONFIRMED')
    throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  return { username, user };
}

/** The `DEVICE_KEY` a request or an answer names, else the one the sign-in named before. */
const deviceKeyIn = (values: Record<string, string | null>, state: SignInState) =>
  typeof values.DEVICE_KEY === 'string' ? values.DEVICE_KEY : state.deviceKey;

/**
 * Choice-based sign-in (USER_AUTH), from the API reference (InitiateAuth's AuthParameters and ChallengeName,
 * RespondToAuthChallenge's ChallengeResponses) and what clients send (aws-amplify/amplify-js,
 * packages/auth/src/providers/cognito/utils/signInHelpers.ts, client/flows/userAuth/). `PREFERRED_CHALLENGE`, when this
 * user can take it, starts it at once (PASSWORD with `PASSWORD`, PASSWORD_SRP with `SRP_A` inline); otherwise
 * SELECT_CHALLENGE with the top-level `AvailableChallenges`. Ours, where no record says: a preferred challenge this
 * user cannot take is answered with SELECT_CHALLENGE (not refused); a user with nothing but EMAIL_OTP goes to it at
 * once (ksquare-mchavez/cognito-microservice records this answer from the service).
 */
function startUserAuth(
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
  ctx: OperationContext,
) {
  const { username, user: found } = userStartingSignIn(pool, client, params);
  if (found?.status === 'RESET_REQUIRED')
    throw new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
  // A disabled user signs in no way at all (as USER_PASSWORD_AUTH answers it).
  if (found && !found.enabled) throw notAuthorized('User is disabled.');
  // An unknown user (existence errors prevented) is offered what the pool offers anyone (a password, an email code),
  // and fails when answering, like a wrong password or a wrong code: ours.
  const user = found ?? ({ username, attributes: {}, devices: {} } as unknown as UserRecord);
  const available = found ? availableChallenges(pool, found) : strangerChallenges(pool);
  const state: SignInState = { pool, client, user, deviceKey: params.DEVICE_KEY };
  const preferred = params.PREFERRED_CHALLENGE;
  if (preferred && available.includes(preferred))
    return firstFactor(state, preferred, params, ctx, available);
  if (available.length === 1 && available[0] === 'EMAIL_OTP')
    return firstFactor(state, 'EMAIL_OTP', params, ctx, available);
  if (available.length === 0) throw notAuthorized(BAD_CREDENTIALS);
  return challenge(state, 'SELECT_CHALLENGE', {}, ctx, { available });
}

const passwordChallenges = (pool: PoolRecord) =>
  firstAuthFactors(pool).includes('PASSWORD') ? ['PASSWORD', 'PASSWORD_SRP'] : [];

/** What a name nobody has is offered, so that the answer does not tell it from a user's (no passkey: none is known). */
const strangerChallenges = (pool: PoolRecord) => [
  ...passwordChallenges(pool),
  ...(firstAuthFactors(pool).includes('EMAIL_OTP') ? ['EMAIL_OTP'] : []),
];

/**
 * What this user may start a USER_AUTH sign-in with: the pool's `AllowedFirstAuthFactors` that apply to them. A
 * password needs a password; an email code a verified email ("your users must have a verified email address",
 * Developer Guide, "Passwordless sign-in"); and "If a user has MFA configured, passwordless sign-in options will not
 * be available" (Amplify's docs; the Developer Guide offers MFA only to users "who have passwords as their primary
 * authentication factor").
 */
function availableChallenges(pool: PoolRecord, user: UserRecord): string[] {
  const allowed = firstAuthFactors(pool);
  const mfa =
    pool.mfaConfiguration === 'ON' || (pool.mfaConfiguration === 'OPTIONAL' && user.totp?.enabled === true);
  const available = user.password ? passwordChallenges(pool) : [];
  const email = user.attributes.email;
  if (!mfa && allowed.includes('EMAIL_OTP') && email && user.attributes.email_verified === 'true')
    available.push('EMAIL_OTP');
  // A passkey signs in only the user who registered one ("WEB_AUTHN only with a registered passkey").
  if (!mfa && allowed.includes('WEB_AUTHN') && (user.passkeys?.length ?? 0) > 0) available.push('WEB_AUTHN');
  return available;
}

/** Cognito's email sign-in code: eight digits, not configurable (as reported; the API reference does not say). */
const EMAIL_OTP_DIGITS = 8;

/** `m***@e***`, the form the service answers with (ksquare-mchavez/cognito-microservice records "m***@h***"). */
const maskedEmail = (email: string) => {
  const [local = '', domain = ''] = email.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
};

/** Starts the first factor the user chose (or preferred): its answer may come inline (a password, SRP_A). */
async function firstFactor(
  state: SignInState,
  factor: string,
  params: Record<string, string | null>,
  ctx: OperationContext,
  available: string[],
) {
  const withDevice = { ...state, deviceKey: deviceKeyIn(params, state) };
  switch (factor) {
    case 'PASSWORD': {
      const password = requireString(params.PASSWORD ?? undefined, 'PASSWORD');
      const user = ownUser(state.pool, state.user.username);
      if (!user || !passwordMatches(user.password, password)) throw notAuthorized(BAD_CREDENTIALS);
      return nextStep({ ...withDevice, user }, ctx);
    }
    case 'PASSWORD_SRP': {
      const a = requireString(params.SRP_A ?? undefined, 'SRP_A');
      const user = ownUser(state.pool, state.user.username);
      const verifier = user?.srp ?? unknownUser(state.pool, state.user.username).verifier;
      return srpChallenge({ ...withDevice, user: user ?? state.user }, 'PASSWORD_VERIFIER', verifier, a, ctx);
    }
    case 'EMAIL_OTP': {
      // A stranger is answered as a user would be, with a code sent nowhere (no answer can match it).
      const stranger = !ownUser(state.pool, state.user.username);
      const email = stranger ? state.user.username : state.user.attributes.email;
      if (!email) throw notAuthorized(BAD_CREDENTIALS);
      const code = String(randomInt(10 ** EMAIL_OTP_DIGITS)).padStart(EMAIL_OTP_DIGITS, '0');
      if (!stranger)
        ctx.deliver({ to: email, type: 'EMAIL_OTP', code, time: new Date(ctx.now()).toISOString() });
      return challenge(
        withDevice,
        'EMAIL_OTP',
        { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: maskedEmail(email) },
        ctx,
        { otp: code, available },
      );
    }
    case 'WEB_AUTHN': {
      // The browser's `navigator.credentials.get` takes these options; the passkey's answer comes in a WEB_AUTHN
      // response (CREDENTIAL). Ours: a CREDENTIAL sent inline with the choice is not taken, as it could sign no
      // challenge of this sign-in.
      const options = await requestOptions(state.pool, state.user);
      return challenge(
        withDevice,
        'WEB_AUTHN',
        { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
        ctx,
        { webauthnChallenge: options.challenge, available },
      );
    }
  }
  throw invalidParameter('The challenge is not available for this user.');
}

type ChallengeHandler = (
  state: SignInState,
  responses: Record<string, string | null>,
  ctx: OperationContext,
  pending: PendingChallenge,
) => unknown;

/** Cognito accepts a PASSWORD_CLAIM_SIGNATURE whose TIMESTAMP is within this much of its own clock. */
const TIMESTAMP_SKEW_MS = 5 * 60 * 1000;

/**
 * USER_SRP_AUTH, step one: the client's SRP_A against the user's verifier. An unknown user gets a
 * well-formed challenge anyway when the client prevents user-existence errors, and fails at the end.
 */
function startSrp(
  pool: PoolRecord,
  client: ClientRecord,
  params: Record<string, string>,
  ctx: OperationContext,
) {
  const a = requireString(params.SRP_A, 'SRP_A');
  const { username, user } = userStartingSignIn(pool, client, params);
  // The SRP identity is the user's username, whatever name the client typed (an alias, the email of a pool whose
  // usernames are UUIDs, another case): clients compute the claim with USER_ID_FOR_SRP and answer as USERNAME.
  const stranger = user ? undefined : unknownUser(pool, username);
  const userId = user?.username ?? stranger?.userId ?? username;
  const verifier = user?.srp ?? stranger?.verifier;
  if (!verifier) throw notAuthorized(BAD_CREDENTIALS);
  const state = {
    pool,
    client,
    user: user ?? ({ username: userId } as UserRecord),
    deviceKey: params.DEVICE_KEY,
  };
  return srpChallenge(state, 'PASSWORD_VERIFIER', verifier, a, ctx);
}

/**
 * The server's half of an SRP exchange against `verifier` (PASSWORD_VERIFIER: the user's, or a stranger's;
 * DEVICE_PASSWORD_VERIFIER: the device's), with the parameters the challenge names its user by.
 */
function srpChallenge(
  state: SignInState,
  challengeName: 'PASSWORD_VERIFIER' | 'DEVICE_PASSWORD_VERIFIER',
  verifier: { salt: string; verifier: string },
  a: string,
  ctx: OperationContext,
) {
  const session = serverSession(verifier.verifier);
  const secretBlock = randomBytes(64).toString('base64');
  const userId = state.user.username;
  const names: Record<string, string> =
    challengeName === 'PASSWORD_VERIFIER'
      ? { USER_ID_FOR_SRP: userId, USERNAME: userId }
      : { USERNAME: userId };
  return challenge(
    state,
    challengeName,
    { SALT: verifier.salt, SRP_B: session.B.toString(16), SECRET_BLOCK: secretBlock, ...names },
    ctx,
    { srp: { session, a, secretBlock } },
  );
}

/** Checks an SRP claim (user or device) against the exchange in flight. */
function claimValid(
  responses: Record<string, string | null>,
  ctx: OperationContext,
  srp: PendingChallenge['srp'],
  verifierHex: string | undefined,
  identity: { poolName: string; userId: string },
): boolean {
  const timestamp = parseTimestamp(requireString(responses.TIMESTAMP, 'TIMESTAMP'));
  const signature = requireString(responses.PASSWORD_CLAIM_SIGNATURE, 'PASSWORD_CLAIM_SIGNATURE');
  if (!srp || !verifierHex || responses.PASSWORD_CLAIM_SECRET_BLOCK !== srp.secretBlock) return false;
  if (Math.abs(timestamp - ctx.now()) > TIMESTAMP_SKEW_MS) return false;
  const key = sessionKey(verifierHex, srp.session, srp.a);
  return (
    key !== undefined &&
    signatureMatches(
      key,
      { ...identity, secretBlock: srp.secretBlock, timestamp: responses.TIMESTAMP ?? '' },
      signature,
    )
  );
}

const challengeHandlers: Record<string, ChallengeHandler> = {
  /** USER_AUTH: the first factor the user chose, with its answer inline where it has one. */
  SELECT_CHALLENGE: (state, responses, ctx, pending) => {
    const answer = requireString(responses.ANSWER, 'ANSWER');
    const available = pending.available ?? [];
    // Ours: no record shows the answer to a challenge that was not offered.
    if (!available.includes(answer)) throw invalidParameter('The challenge is not available for this user.');
    return firstFactor(state, answer, responses, ctx, available);
  },
  /**
   * The code the user received by email. A wrong code is CodeMismatchException (declared by RespondToAuthChallenge;
   * the message is the one recorded for MFA codes, aws-amplify/amplify-js #11069), and ends the session: whether the
   * service lets a session retry a code is in no record, so the stand-in takes the safer reading.
   */
  EMAIL_OTP: (state, responses, ctx, pending) => {
    const code = Buffer.from(requireString(responses.EMAIL_OTP_CODE, 'EMAIL_OTP_CODE'));
    const sent = Buffer.from(pending.otp ?? '');
    if (code.length !== sent.length || !timingSafeEqual(code, sent))
      throw new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');
    return nextStep({ ...state, deviceKey: deviceKeyIn(responses, state), passwordless: true }, ctx);
  },
  /** The passkey's answer: a PublicKeyCredential as JSON (`CREDENTIAL`), checked against this sign-in's challenge. */
  WEB_AUTHN: async (state, responses, ctx, pending) => {
    let credential: unknown;
    try {
      credential = JSON.parse(requireString(responses.CREDENTIAL, 'CREDENTIAL'));
    } catch (error) {
      if (error instanceof CognitoError) throw error;
      throw invalidParameter('CREDENTIAL is not valid JSON.');
    }
    await verifiedAssertion(state.pool, state.user, credential, pending.webauthnChallenge ?? '');
    return nextStep({ ...state, deviceKey: deviceKeyIn(responses, state), passwordless: true }, ctx);
  },
  /** The code from the user's authenticator app. */
  SOFTWARE_TOKEN_MFA: (state, responses, ctx) => {
    const code = requireString(responses.SOFTWARE_TOKEN_MFA_CODE, 'SOFTWARE_TOKEN_MFA_CODE');
    const secret = state.user.totp?.secret;
    if (!secret || !totpMatches(secret, code, ctx.now())) {
      throw new CognitoError('CodeMismatchException', 'Invalid code received for user');
    }
    return nextStep({ ...state, mfaPassed: true }, ctx);
  },
  /** The device starts its own SRP exchange with its key and SRP_A. */
  DEVICE_SRP_AUTH: (state, responses, ctx) => {
    const deviceKey = requireString(responses.DEVICE_KEY, 'DEVICE_KEY');
    const device = state.user.devices[deviceKey];
    const verifier = deviceVerifier(device);
    if (deviceKey !== state.deviceKey || !device?.confirmed || !verifier)
      throw resourceNotFound(DEVICE_NOT_FOUND);
    return srpChallenge(
      state,
      'DEVICE_PASSWORD_VERIFIER',
      verifier,
      requireString(responses.SRP_A, 'SRP_A'),
      ctx,
    );
  },
  /** The device's claim, signed with DeviceGroupKey in place of the pool name and DeviceKey in place of the user. */
  DEVICE_PASSWORD_VERIFIER: (state, responses, ctx, pending) => {
    const device = state.deviceKey ? state.user.devices[state.deviceKey] : undefined;
    const valid = claimValid(responses, ctx, pending.srp, deviceVerifier(device)?.verifier, {
      poolName: device?.groupKey ?? '',
      userId: state.deviceKey ?? '',
    });
    // Real Cognito's answer to a wrong device proof (aws/aws-sdk-net-extensions-cognito #73; the HTTP
    // exchange quoted in amazon-cognito-identity-dart-2 PR #10).
    if (!valid) throw notAuthorized(BAD_CREDENTIALS);
    return nextStep({ ...state, deviceProven: true }, ctx);
  },
  /** USER_SRP_AUTH, step two: the signature proves the client derived the same key, so knows the password. */
  PASSWORD_VERIFIER: (state, responses, ctx, pending) => {
    const valid = claimValid(responses, ctx, pending.srp, state.user.srp?.verifier, {
      poolName: poolName(state.pool),
      userId: state.user.username,
    });
    if (!valid) throw notAuthorized(BAD_CREDENTIALS);
    // amazon-cognito-identity-js retries with `"DEVICE_KEY": null`, amplify-js without the member: both mean
    // "no device", even if InitiateAuth named one.
    const deviceKey = 'DEVICE_KEY' in responses ? (responses.DEVICE_KEY ?? undefined) : state.deviceKey;
    return nextStep({ ...state, deviceKey }, ctx);
  },
  NEW_PASSWORD_REQUIRED: (state, responses, ctx) => {
    const password = requireString(responses.NEW_PASSWORD, 'NEW_PASSWORD');
    checkPasswordPolicy(state.pool, password);
    setPassword(state.pool, state.user, password);
    state.user.status = 'CONFIRMED';
    state.user.lastModifiedAt = ctx.now();
    return nextStep(state, ctx);
  },
};

async function respond(input: Input, ctx: OperationContext, poolId?: string) {
  const pending = ctx.store.challenges.get(input.Session ?? '');
  if (
    !pending ||
    pending.expiresAt <= ctx.now() ||
    pending.clientId !== input.ClientId ||
    (poolId && pending.poolId !== poolId)
  ) {
    throw notAuthorized('Invalid session for the user, session is expired.');
  }
  const session = String(input.Session);
  // Taken before anything is awaited (a passkey's check is asynchronous): two answers sent at once cannot both use it.
  ctx.store.challenges.delete(session);
  try {
    return await answerChallenge(input, ctx, pending, session);
  } catch (error) {
    // A session is answered once, right or wrong; the one exception is a first factor (PASSWORD_VERIFIER, and ours:
    // EMAIL_OTP) that was right while the device it named is no longer known: clients answer it again, unchanged
    // but for the device (see `nextStep`).
    if (
      error instanceof StaleDeviceKey &&
      (pending.challengeName === 'PASSWORD_VERIFIER' || pending.challengeName === 'EMAIL_OTP') &&
      !ctx.store.challenges.has(session)
    ) {
      ctx.store.challenges.set(session, pending);
    }
    throw error;
  }
}

function answerChallenge(input: Input, ctx: OperationContext, pending: PendingChallenge, session: string) {
  if (pending.challengeName !== input.ChallengeName)
    throw invalidParameter('Invalid challenge name for this session.');
  const { pool, client } = findClient(ctx, input.ClientId);
  // An unknown user's SRP challenge (user-existence errors prevented) fails here, like a wrong password.
  // A stranger's choice of first factor goes on as a user's would (and fails where a user's wrong answer would).
  const known = ownUser(pool, pending.username);
  const user =
    known ??
    (pending.challengeName === 'SELECT_CHALLENGE'
      ? ({ username: pending.username, attributes: {}, devices: {}, enabled: true } as unknown as UserRecord)
      : undefined);
  const handler = challengeHandlers[pending.challengeName];
  // A stranger's code was sent nowhere: any answer is a wrong code, as a user's wrong code is.
  if (!user && pending.otp !== undefined)
    throw new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');
  if (!user || !handler)
    throw notAuthorized(pending.srp || pending.available ? BAD_CREDENTIALS : 'Invalid session for the user.');
  const responses: Record<string, string | null> = input.ChallengeResponses ?? {};
  // USERNAME names the session's user: their username or an alias (amplify-js #7615 answered with an alias and was
  // accepted). Another user, or nobody, is refused like a wrong password: ours, no record shows the answer.
  const named = (name: string) => (known ? userNamed(pool, name) === known : name === pending.username);
  if (typeof responses.USERNAME === 'string' && !named(responses.USERNAME)) {
    throw notAuthorized(BAD_CREDENTIALS);
  }
  checkSecretHash(client, user.username, responses.SECRET_HASH);
  const state = {
    pool,
    client,
    user,
    deviceKey: pending.deviceKey,
    deviceProven: pending.deviceProven === true,
    mfaPassed: pending.mfaPassed === true,
    passwordless: pending.passwordless === true,
    session,
  };
  return handler(state, responses, ctx, pending);
}

export function RespondToAuthChallenge(input: Input, ctx: OperationContext) {
  return respond(input, ctx);
}

export function AdminRespondToAuthChallenge(input: Input, ctx: OperationContext) {
  findPool(ctx, input.UserPoolId);
  return respond(input, ctx, input.UserPoolId);
}
