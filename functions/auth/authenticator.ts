import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwksValidationError,
  JwkValidationError,
  JwtBaseError,
  JwtExpiredError,
  JwtInvalidIssuerError,
  JwtInvalidScopeError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  ParameterValidationError,
} from 'aws-jwt-verify/error';
import { InsufficientScopeError, UnauthorizedError, UpstreamError } from '../errors.js';
import { type AccessTokenVerifier, REQUIRED_SCOPE } from './verifier.js';

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  readonly sub: string;
  readonly username: string;
  readonly clientId: string;
  /** The verified token itself: Cognito's device operations act as this user. Never log it. */
  readonly accessToken: string;
  /**
   * The device this sign-in is on: the verified token's `device_key` claim (AWS docs, "Using the access
   * token"). Undefined when the token names none (a pool without device tracking). Never taken from a header.
   */
  readonly deviceKey: string | undefined;
  /** When the token expires (seconds since the epoch, its `exp`). */
  readonly expiresAt: number;
}

export interface Authenticator {
  /** Resolves the caller from the raw `Authorization` header, or throws a 401/403 {@link ApiError}. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /**
   * Remembers, until it expires, that Cognito refused this principal's token (revoked by a sign-out, or its user
   * gone): later requests with it are refused here, costing Cognito nothing, admin calls included.
   */
  refused(principal: Principal, error: UnauthorizedError): void;
}

/** Tokens Cognito refused, remembered per process (least recently refused out first), each until its `exp`. */
const REFUSED_TOKENS = 1_000;

/**
 * `Bearer`, in any case, one or more spaces (RFC 6750 §2.1, RFC 9110 §11.1), then a JWT exactly as Cognito issues
 * one: three unpadded base64url parts. aws-jwt-verify would also take `=` padding, and RFC 6750's b64token allows
 * it, but each such variant of one token is another key for a rate limit that counts raw headers (the edge's WAF):
 * a token in any other form is refused before any verification work.
 */
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
/**
 * Whether the JWT's signature (already base64url characters: {@link BEARER}) is written as base64url writes it. Its
 * last character carries bits that decoding drops (an RS256 signature's 256 bytes leave 4), so 16 strings decode to
 * the same signature and would all verify: each another key for the edge's per-token rate rule and for the
 * refused-token memory. Only the one encoding is taken: the dropped bits zero, and no length decoding cannot end
 * (4n + 1). The same answer as decoding and encoding again, without two copies of the signature on every request.
 */
export function canonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1);
  const rest = signature.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = BASE64URL.indexOf(signature.charAt(signature.length - 1));
  // Two characters left over carry 12 bits for one byte (4 dropped); three carry 18 for two (2 dropped).
  return last >= 0 && (last & (rest === 2 ? 0b1111 : 0b11)) === 0;
}
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Cognito access tokens are ~1 KiB; anything far beyond is refused before any parsing. */
const MAX_TOKEN_LENGTH = 8_192;

export function createAuthenticator(
  verifier: AccessTokenVerifier,
  clientIds: readonly string[],
): Authenticator {
  const refusedTokens = new Map<string, { expiresAt: number; error: UnauthorizedError }>();
  return {
    refused(principal, error) {
      refusedTokens.delete(principal.accessToken);
      refusedTokens.set(principal.accessToken, { expiresAt: principal.expiresAt, error });
      if (refusedTokens.size > REFUSED_TOKENS)
        refusedTokens.delete(refusedTokens.keys().next().value as string);
    },
    async authenticate(authorization) {
      // RFC 6750 §3.1: no credentials, a bare "Bearer" or another scheme (Basic…) get no error code.
      if (authorization === undefined || !/^\s*Bearer\s+\S/i.test(authorization)) {
        throw new UnauthorizedError({
          code: 'missing_token',
          detail: 'An access token is required',
          tokenPresented: false,
        });
      }
      // No white space around the value: HTTP parsers strip it before WAF and API Gateway see a header, so a value
      // that still has some did not come the way the edge counts it (one WAF key per token).
      const token =
        authorization.length > MAX_TOKEN_LENGTH + 64 ? undefined : BEARER.exec(authorization)?.[1];
      if (token === undefined || token.length > MAX_TOKEN_LENGTH || !canonicalSignature(token)) {
        throw invalidToken(
          'The Authorization header must be "Bearer <access token>", the token as Cognito issued it',
        );
      }
      const refusal = refusedTokens.get(token);
      if (refusal && refusal.expiresAt * 1000 > Date.now()) {
        throw new UnauthorizedError({
          code: refusal.error.code,
          detail: refusal.error.message,
          tokenPresented: true,
          reason: 'refused by Cognito before (remembered)',
        });
      }
      try {
        const payload = await verifier.verify(token);
        return {
          sub: payload.sub,
          username: payload.username,
          clientId: payload.client_id,
          accessToken: token,
          deviceKey: typeof payload.device_key === 'string' ? payload.device_key : undefined,
          expiresAt: payload.exp,
        };
      } catch (error) {
        throw fromVerifyError(error, clientIds);
      }
    },
  };
}

function isAllowedAccessToken(payload: unknown, clientIds: readonly string[]): boolean {
  if (typeof payload !== 'object' || payload === null) return false;
  const { token_use: use, client_id: client } = payload as Record<string, unknown>;
  return use === 'access' && typeof client === 'string' && clientIds.includes(client);
}

function invalidToken(detail: string, cause?: unknown): UnauthorizedError {
  return new UnauthorizedError({
    code: 'invalid_token',
    detail,
    tokenPresented: true,
    cause,
    ...(cause instanceof Error && { reason: cause.message }),
  });
}

/**
 * Fixed details per failure class. aws-jwt-verify's own messages quote the token's claims (an attacker's
 * `kid` or a 2 KB `iss`) and our configuration (the accepted client ids), so they go to the log as `reason`
 * and never into an answer.
 */
const details: ReadonlyArray<readonly [abstract new (...args: never[]) => JwtBaseError, string]> = [
  [JwtExpiredError, 'The access token has expired'],
  [JwtNotBeforeError, 'The access token is not valid yet'],
  [JwtInvalidIssuerError, 'The access token was not issued by the expected user pool'],
  // At verification time this is the issuer the verifier was not configured for ("issuer not configured").
  [ParameterValidationError, 'The access token was not issued by the expected user pool'],
  [CognitoJwtInvalidClientIdError, 'The access token was issued to an app client this API does not accept'],
  [CognitoJwtInvalidTokenUseError, 'Only access tokens are accepted (this token has another token use)'],
  [
    JwtInvalidScopeError,
    'Only access tokens of an accepted app client, with the required scope, are accepted',
  ],
  [JwtInvalidSignatureError, 'The access token signature is not valid'],
  [JwtInvalidSignatureAlgorithmError, 'The access token signature is not valid'],
  [JwtWithoutValidKidError, 'The access token signature is not valid'],
  [KidNotFoundInJwksError, 'The access token signature is not valid'],
  [JwtParseError, 'The access token is malformed'],
];

/**
 * aws-jwt-verify's errors → ours. It checks `scope` before `token_use` and `client_id`, so a scope failure is
 * a 403 only for an access token of an allowed client; an ID token or a foreign client's token (which also
 * lack the scope) are 401.
 */
function fromVerifyError(error: unknown, clientIds: readonly string[]) {
  if (error instanceof JwtInvalidScopeError && isAllowedAccessToken(error.rawJwt?.payload, clientIds)) {
    return new InsufficientScopeError({
      code: 'insufficient_scope',
      detail: `The access token lacks the scope ${REQUIRED_SCOPE}`,
      requiredScope: REQUIRED_SCOPE,
      cause: error,
    });
  }
  // The pool's key set could not be loaded: our problem, not the caller's.
  if (
    error instanceof FetchError ||
    error instanceof JwksValidationError ||
    error instanceof JwkValidationError
  ) {
    return new UpstreamError({
      code: 'jwks_unavailable',
      detail: 'Could not load the user pool JWKS',
      cause: error,
    });
  }
  if (error instanceof JwtBaseError) {
    const detail = details.find(([cls]) => error instanceof cls)?.[1] ?? 'The access token is not valid';
    return invalidToken(detail, error);
  }
  throw error;
}
