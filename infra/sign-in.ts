/**
 * What users type to sign in to a pool the stack creates, shared by the CDK stack and the local stack so both make the
 * same pool. Cognito fixes it when the pool is created: changing it on a deployed stack makes CloudFormation replace
 * the pool, and its users with it.
 *
 * - `username`: a username, or the user's verified email (an alias: `AliasAttributes: [email]`). The email signs the
 *   user in only once verified, and a username may not look like an email.
 * - `email`: the email is the username (`UsernameAttributes: [email]`), as Amplify Gen 2's `loginWith: { email: true }`
 *   makes pools. Cognito names each user with a UUID (their `sub`), which is what tokens and device owners carry; the
 *   email signs in whether or not it is verified.
 */
export const signInKinds = ['username', 'email'] as const;
export type SignInKind = (typeof signInKinds)[number];

/** CDK's `SignInAliases` for each kind. */
export const signInAliases = {
  username: { username: true, email: true },
  email: { email: true },
} as const satisfies Record<SignInKind, { username?: boolean; email?: boolean }>;

/** The same as Cognito's CreateUserPool members (what CDK synthesizes from {@link signInAliases}). */
export function signInAttributes(kind: SignInKind): {
  AliasAttributes?: 'email'[];
  UsernameAttributes?: 'email'[];
} {
  return kind === 'email' ? { UsernameAttributes: ['email'] } : { AliasAttributes: ['email'] };
}
