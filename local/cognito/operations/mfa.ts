import type { Input, OperationContext } from '../context.js';
import { CognitoError, invalidParameter } from '../errors.js';
import type { UserRecord } from '../state.js';
import { verifyAccessToken } from '../tokens.js';
import { newTotpSecret, totpMatches } from '../totp.js';

/** TOTP (software token) MFA: associate a secret, verify a first code, then enable it as a preference. */

function signedInUser(input: Input, ctx: OperationContext): UserRecord {
  if (typeof input.AccessToken !== 'string') {
    // Cognito also associates during an MFA_SETUP challenge (with Session); the stand-in does not yet.
    throw invalidParameter('The stand-in associates software tokens for signed-in users (AccessToken) only.');
  }
  return verifyAccessToken(ctx.store.data.pools, input.AccessToken, ctx.now()).user;
}

export function AssociateSoftwareToken(input: Input, ctx: OperationContext) {
  const user = signedInUser(input, ctx);
  const secret = newTotpSecret();
  user.totp = { ...user.totp, pendingSecret: secret };
  return { SecretCode: secret };
}

export function VerifySoftwareToken(input: Input, ctx: OperationContext) {
  const user = signedInUser(input, ctx);
  const secret = user.totp?.pendingSecret;
  if (!secret)
    throw new CognitoError('SoftwareTokenMFANotFoundException', 'Software token MFA is not associated.');
  if (!totpMatches(secret, input.UserCode, ctx.now())) {
    throw new CognitoError('EnableSoftwareTokenMFAException', 'Code mismatch');
  }
  user.totp = { ...user.totp, secret, pendingSecret: undefined };
  return { Status: 'SUCCESS' };
}

export function SetUserMFAPreference(input: Input, ctx: OperationContext) {
  const user = signedInUser(input, ctx);
  const settings = input.SoftwareTokenMfaSettings as
    | { Enabled?: boolean; PreferredMfa?: boolean }
    | undefined;
  if (settings?.Enabled && !user.totp?.secret) {
    throw invalidParameter('User has not verified software token mfa');
  }
  if (settings)
    user.totp = {
      ...user.totp,
      enabled: settings.Enabled === true,
      preferred: settings.PreferredMfa === true,
    };
  return {};
}
