import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { DeviceBffClient } from '../../client/index.js';

// Amplify confirmed this device at sign-in and keeps its secret: never call POST /devices.
// The BFF client asks Amplify for the access token before every call, so Amplify refreshes it when due.
export const deviceBff = (apiUrl: string) =>
  new DeviceBffClient({
    baseUrl: apiUrl,
    accessToken: async () => (await fetchAuthSession()).tokens?.accessToken.toString() ?? '',
  });

// This sign-in's device: the access token's `device_key` claim.
export async function thisDeviceKey(): Promise<string | undefined> {
  const { tokens } = await fetchAuthSession();
  return tokens?.accessToken.payload.device_key as string | undefined;
}

// "Remember this device?" → yes.
export async function rememberThisDevice(bff: DeviceBffClient): Promise<void> {
  const deviceKey = await thisDeviceKey();
  if (deviceKey) await bff.setDeviceStatus(deviceKey, 'remembered');
}

// "Sign out everywhere": forget the other devices, end every session, then clear Amplify's own.
export async function signOutEverywhere(bff: DeviceBffClient): Promise<void> {
  while (!(await bff.forgetOtherDevices()).complete) await new Promise((r) => setTimeout(r, 1_000));
  await bff.signOutEverywhere();
  await signOut();
}
