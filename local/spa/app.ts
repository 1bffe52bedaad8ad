import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { type Device, DeviceBffClient } from '../../client/index.js';

/** The demo SPA: SRP sign-in straight to Cognito (amazon-cognito-identity-js), devices through the BFF. */
interface Config {
  apiUrl: string;
  cognitoUrl: string;
  userPoolId: string;
  clientId: string;
}

const config = (await (await fetch('/config.json')).json()) as Config;
const pool = new CognitoUserPool({
  UserPoolId: config.userPoolId,
  ClientId: config.clientId,
  endpoint: config.cognitoUrl,
});
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let user: CognitoUser | undefined;
let session: CognitoUserSession | undefined;
const bff = new DeviceBffClient({
  baseUrl: config.apiUrl,
  accessToken: () => session?.getAccessToken().getJwtToken() ?? '',
});

const status = (text: string) => {
  $('status').textContent = text;
};
const show = (section: 'sign-in' | 'mfa' | 'devices') => {
  for (const id of ['sign-in', 'mfa', 'devices']) $(id).hidden = id !== section;
};
const currentDevice = () => session?.getAccessToken().decodePayload().device_key as string | undefined;

const callbacks = {
  onSuccess: (signedIn: CognitoUserSession, userConfirmationNecessary?: boolean) => {
    session = signedIn;
    $('remember-prompt').hidden = userConfirmationNecessary !== true;
    status(`Signed in as ${signedIn.getAccessToken().decodePayload().username}`);
    show('devices');
    void render();
  },
  onFailure: (error: Error) => status(`Sign-in failed: ${error.message}`),
  totpRequired: () => show('mfa'),
};

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const username = $<HTMLInputElement>('username').value;
  user = new CognitoUser({ Username: username, Pool: pool });
  user.authenticateUser(
    new AuthenticationDetails({ Username: username, Password: $<HTMLInputElement>('password').value }),
    callbacks,
  );
});

$('mfa-form').addEventListener('submit', (event) => {
  event.preventDefault();
  user?.sendMFACode($<HTMLInputElement>('mfa-code').value, callbacks, 'SOFTWARE_TOKEN_MFA');
});

$('remember').addEventListener('click', async () => {
  const key = currentDevice();
  if (!key) return;
  await bff.setDeviceStatus(key, 'remembered');
  $('remember-prompt').hidden = true;
  await render();
});

$('sign-out').addEventListener('click', () => {
  user?.globalSignOut({
    onSuccess: () => {
      session = undefined;
      $('device-list').replaceChildren();
      status('Signed out');
      show('sign-in');
    },
    onFailure: (error: Error) => status(`Sign-out failed: ${error.message}`),
  });
});

async function render() {
  const { devices } = await bff.listDevices({ limit: 60 });
  $('device-list').replaceChildren(...devices.map(deviceItem));
}

function deviceItem(device: Device): HTMLLIElement {
  const item = document.createElement('li');
  item.dataset.deviceKey = device.deviceKey;
  const when = device.lastAuthenticatedAt ? new Date(device.lastAuthenticatedAt).toLocaleString() : 'never';
  item.innerHTML = `<span class="device-name"></span> — <span class="device-status"></span> — last sign-in <span class="device-when"></span>
    ${device.deviceKey === currentDevice() ? ' (this device)' : ''}
    <button type="button" class="forget">Forget</button>`;
  (item.querySelector('.device-name') as HTMLElement).textContent = device.name ?? 'Unnamed device';
  (item.querySelector('.device-status') as HTMLElement).textContent = device.status ?? 'unknown';
  (item.querySelector('.device-when') as HTMLElement).textContent = when;
  item.querySelector('.forget')?.addEventListener('click', async () => {
    await bff.forgetDevice(device.deviceKey);
    await render();
  });
  return item;
}
