import { fetchAuthSession, signOut } from 'aws-amplify/auth';
import { DeviceBffClient } from 'cognito-device-bff-client';

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

// "Sign out everywhere": forget the other devices, end every session, then clear Amplify's own. Forgetting is
// paced and shared by every user, so it gets a few calls at most and may fail: the sessions end whatever it managed.
export async function signOutEverywhere(bff: DeviceBffClient): Promise<void> {
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
      await signOut();
    }
  }
}
