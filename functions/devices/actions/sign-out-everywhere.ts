import type { Action } from '../../http/route-handler.js';

/**
 * Sign out everywhere: GlobalSignOut with the caller's own token. Every session of the user ends, this one
 * included, so the answer tells the app to sign in again (on a remembered device that sign-in skips MFA: devices
 * are not touched). Forgetting devices does not do this: a device that was never remembered, or a sign-in
 * without a device, keeps refreshing until its refresh token is revoked.
 */
export const signOutEverywhere: Action = async ({ principal, directory }) => {
  await directory.signOutEverywhere(principal);
  return {
    status: 200,
    body: { signedOut: 'everywhere', next: 'sign_in' },
    changes: [{ type: 'Signed out everywhere', deviceKey: principal.deviceKey ?? null, deviceName: null }],
  };
};
