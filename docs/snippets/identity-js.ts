import type { CognitoUser } from 'amazon-cognito-identity-js';
import { DeviceBffClient } from 'cognito-device-bff-client';

// amazon-cognito-identity-js confirmed this device at sign-in (authenticateUser) and keeps its secret:
// never call POST /devices. `user` is the signed-in CognitoUser.
export const deviceBff = (apiUrl: string, user: CognitoUser) =>
  new DeviceBffClient({
    baseUrl: apiUrl,
    accessToken: () => user.getSignInUserSession()?.getAccessToken().getJwtToken() ?? '',
  });

// This sign-in's device: the access token's `device_key` claim.
export const thisDeviceKey = (user: CognitoUser): string | undefined =>
  user.getSignInUserSession()?.getAccessToken().decodePayload().device_key;

// "Remember this device?" → yes.
export async function rememberThisDevice(bff: DeviceBffClient, user: CognitoUser): Promise<void> {
  const deviceKey = thisDeviceKey(user);
  if (deviceKey) await bff.setDeviceStatus(deviceKey, 'remembered');
}

// "Sign out everywhere": forget the other devices (a few calls at most: forgetting is paced and may fail), end
// every session whatever it managed, then clear the library's own tokens.
export async function signOutEverywhere(bff: DeviceBffClient, user: CognitoUser): Promise<void> {
  try {
    for (let call = 0; call < 5 && !(await bff.forgetOtherDevices()).complete; call++) {
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } catch {
    // Throttled or failed: the devices left stay remembered; every session still ends below.
  } finally {
    try {
      await bff.signOutEverywhere();
    } finally {
      user.signOut();
    }
  }
}
