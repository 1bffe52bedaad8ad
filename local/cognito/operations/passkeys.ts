import { epochSeconds, firstAuthFactors, type Input, type OperationContext } from '../context.js';
import { CognitoError, invalidParameter, resourceNotFound } from '../errors.js';
import type { PoolRecord } from '../state.js';
import { verifyAccessToken } from '../tokens.js';
import {
  creationOptions,
  MAX_PASSKEYS,
  REGISTRATION_TIMEOUT_MS,
  relyingParty,
  verifiedRegistration,
} from '../webauthn.js';

/**
 * The user's own passkeys, with their access token (API reference: StartWebAuthnRegistration,
 * CompleteWebAuthnRegistration, ListWebAuthnCredentials, DeleteWebAuthnCredential). Registration is two calls: the
 * options for the browser, then its credential, checked for real (local/cognito/webauthn.ts).
 */

/** "The passkey feature isn't enabled for the user pool": WEB_AUTHN is not among its first factors. */
function requirePasskeys(pool: PoolRecord): void {
  if (!firstAuthFactors(pool).includes('WEB_AUTHN')) {
    throw new CognitoError('WebAuthnNotEnabledException', 'Passkeys are not enabled for this user pool.');
  }
}

export async function StartWebAuthnRegistration(input: Input, ctx: OperationContext) {
  const { pool, user, claims } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  requirePasskeys(pool);
  relyingParty(pool);
  if ((user.passkeys?.length ?? 0) >= MAX_PASSKEYS) {
    throw new CognitoError('LimitExceededException', 'The user has the most passkeys allowed.');
  }
  const options = await creationOptions(pool, user);
  user.passkeyRegistration = {
    challenge: options.challenge,
    clientId: String(claims.client_id),
    expiresAt: ctx.now() + REGISTRATION_TIMEOUT_MS,
  };
  return { CredentialCreationOptions: options };
}

export async function CompleteWebAuthnRegistration(input: Input, ctx: OperationContext) {
  const { pool, user, claims } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  requirePasskeys(pool);
  const pending = user.passkeyRegistration;
  if (!pending || pending.expiresAt <= ctx.now()) {
    throw new CognitoError(
      'WebAuthnChallengeNotFoundException',
      'The challenge from StartWebAuthnRegistration was not found or has expired.',
    );
  }
  if (pending.clientId !== claims.client_id) {
    throw new CognitoError(
      'WebAuthnClientMismatchException',
      'The access token is for a different client than the one that started the registration.',
    );
  }
  // The challenge is used once, whatever the answer.
  delete user.passkeyRegistration;
  const passkey = await verifiedRegistration(pool, input.Credential, pending.challenge, ctx.now());
  // Ours: no record shows the answer to a passkey registered twice.
  if (user.passkeys?.some((p) => p.credentialId === passkey.credentialId))
    throw invalidParameter('This passkey is already registered.');
  user.passkeys = [...(user.passkeys ?? []), passkey];
  return {};
}

export function ListWebAuthnCredentials(input: Input, ctx: OperationContext) {
  const { user } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  const all = user.passkeys ?? [];
  const start = input.NextToken === undefined ? 0 : Number.parseInt(String(input.NextToken), 36);
  if (!Number.isInteger(start) || start < 0 || start > all.length)
    throw invalidParameter('Invalid pagination token.');
  const limit = Math.min(Number(input.MaxResults ?? 20) || 20, 20);
  const page = all.slice(start, start + limit);
  return {
    Credentials: page.map((p) => ({
      CredentialId: p.credentialId,
      // Ours: the service names passkeys itself; no record shows how.
      FriendlyCredentialName: p.attachment === 'cross-platform' ? 'Security key' : 'Passkey',
      RelyingPartyId: p.rpId,
      ...(p.attachment && { AuthenticatorAttachment: p.attachment }),
      AuthenticatorTransports: p.transports,
      CreatedAt: epochSeconds(p.createdAt),
    })),
    ...(start + limit < all.length && { NextToken: (start + limit).toString(36) }),
  };
}

export function DeleteWebAuthnCredential(input: Input, ctx: OperationContext) {
  const { user } = verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now());
  const kept = (user.passkeys ?? []).filter((p) => p.credentialId !== input.CredentialId);
  if (kept.length === (user.passkeys ?? []).length) throw resourceNotFound('The passkey does not exist.');
  user.passkeys = kept;
  return {};
}
