import type { CognitoUser } from 'amazon-cognito-identity-js';
import { DeviceBffClient } from '../../client/index.js';

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
