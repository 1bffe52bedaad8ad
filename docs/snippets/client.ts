import { CognitoSignIn, type ConfirmedDevice, DeviceBffClient } from 'cognito-device-bff-client';

/**
 * Where the app keeps this device's key and secret for each user (the Keychain, Android's Keystore, or IndexedDB),
 * keyed by the user's username in the pool that `signIn` names: never by what the user typed, so their username,
 * their email and the email in other capitals are one remembered device.
 */
export interface DeviceStore {
  load(username: string): Promise<ConfirmedDevice | undefined>;
  save(username: string, device: ConfirmedDevice | undefined): Promise<void>;
}

export interface Settings {
  readonly apiUrl: string;
  readonly userPoolId: string;
  readonly clientId: string;
  /** Only to sign in against a stand-in (the local stack); Cognito's regional endpoint otherwise. */
  readonly cognitoEndpoint?: string;
}

// Signs in with SRP, naming this device when it has one: a remembered device is not asked for the MFA code.
// A new device is confirmed at once (else Cognito will not refresh this sign-in), and remembered when the
// user said "remember this device".
export async function signIn(
  settings: Settings,
  // `username`: what the user typed, a username or an email.
  credentials: { username: string; password: string; totp: () => Promise<string> },
  store: DeviceStore,
  rememberThisDevice: boolean,
): Promise<{ bff: DeviceBffClient; askedForMfa: boolean }> {
  const cognito = new CognitoSignIn({
    userPoolId: settings.userPoolId,
    clientId: settings.clientId,
    ...(settings.cognitoEndpoint && { endpoint: settings.cognitoEndpoint }),
  });
  const { username, password } = credentials;
  let step = await cognito.signIn({ username, password, device: (user) => store.load(user) });
  let askedForMfa = false;
  while (step.kind === 'totpRequired') {
    askedForMfa = true;
    step = await step.answer(await credentials.totp());
  }
  const { tokens, newDevice, deviceRefused, username: user } = step;
  if (deviceRefused) await store.save(user, undefined);
  const bff = new DeviceBffClient({ baseUrl: settings.apiUrl, accessToken: () => tokens.accessToken });
  if (newDevice) {
    const { device, userConfirmationNecessary } = await bff.confirmNewDevice(newDevice, {
      deviceName: 'My phone',
    });
    await store.save(user, device);
    if (userConfirmationNecessary && rememberThisDevice)
      await bff.setDeviceStatus(device.deviceKey, 'remembered');
  }
  return { bff, askedForMfa };
}
