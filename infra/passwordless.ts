/**
 * Passwordless first factors for a pool the stack creates (stage setting `passwordless`), shared by the stack and the
 * local stack: beside the password, which always stays (CDK refuses to turn it off: "The password authentication
 * cannot be disabled"), users may sign in with a code sent to their verified email (`email_otp`) or a passkey
 * (`passkey`). Both are Cognito's choice-based sign-in (USER_AUTH), which needs the Essentials plan or higher.
 */
export const passwordlessFactors = ['email_otp', 'passkey'] as const;
export type PasswordlessFactor = (typeof passwordlessFactors)[number];

/** Cognito's `AuthFactorType` for each, after PASSWORD. */
export function allowedFirstAuthFactors(
  factors: readonly PasswordlessFactor[],
): Array<'PASSWORD' | 'EMAIL_OTP' | 'WEB_AUTHN'> {
  return [
    'PASSWORD',
    ...(factors.includes('email_otp') ? (['EMAIL_OTP'] as const) : []),
    ...(factors.includes('passkey') ? (['WEB_AUTHN'] as const) : []),
  ];
}
