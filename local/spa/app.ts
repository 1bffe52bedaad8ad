import {
  CognitoAuthError,
  CognitoSignIn,
  createDeviceSecretVerifier,
  type Device,
  DeviceBffClient,
  DeviceBffError,
  NotFoundError,
  type RememberedDevice,
  type SignInStep,
  type Tokens,
} from '../../client/index.js';

/**
 * The demo SPA. Sign-in goes to Cognito with the app client of `client/` (SRP, TOTP, the remembered device's
 * proof); every device operation goes through the BFF. Tokens live in memory only: a reload signs the user
 * out. The device secret is the one thing kept in localStorage, and only for a remembered device, because
 * proving that device at the next sign-in (to skip MFA) needs it.
 */
interface Config {
  apiUrl: string;
  cognitoUrl: string;
  userPoolId: string;
  clientId: string;
}

const config = (await (await fetch('/config.json')).json()) as Config;
const cognito = new CognitoSignIn({
  userPoolId: config.userPoolId,
  clientId: config.clientId,
  endpoint: config.cognitoUrl,
});
let tokens: Tokens | undefined;
let username = '';
let pending: Extract<SignInStep, { kind: 'totpRequired' }> | undefined;
/** A device Cognito issued at this sign-in, not confirmed yet: confirmed only if the user remembers it. */
let newDevice: { deviceKey: string; deviceGroupKey: string } | undefined;
const bff = new DeviceBffClient({ baseUrl: config.apiUrl, accessToken: () => tokens?.accessToken ?? '' });

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const storageKey = () => `cognito-device-bff:device:${username}`;
const storedDevice = (): RememberedDevice | undefined => {
  const raw = localStorage.getItem(storageKey());
  return raw ? (JSON.parse(raw) as RememberedDevice) : undefined;
};
/** The device this sign-in is on, as its access token names it (display only; the BFF verifies tokens). */
const currentDevice = (): string | undefined => {
  const payload = tokens?.accessToken.split('.')[1];
  if (!payload) return undefined;
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).device_key;
};

function show(view: 'sign-in' | 'mfa' | 'devices') {
  for (const id of ['sign-in', 'mfa', 'devices']) $(id).hidden = id !== view;
  $('who').hidden = view !== 'devices';
  $('sign-out').hidden = view !== 'devices';
}

function showError(error: unknown) {
  const box = $('error');
  box.textContent =
    error instanceof DeviceBffError
      ? error.problem.detail
      : error instanceof CognitoAuthError
        ? error.message
        : error instanceof TypeError
          ? 'The server could not be reached. Check your connection and try again.'
          : 'Something went wrong. Please try again.';
  box.hidden = false;
}

/** Runs a user action: clears the last error, disables the button while it runs, shows any failure. */
async function act(button: HTMLButtonElement | null, work: () => Promise<void>) {
  $('error').hidden = true;
  if (button) button.disabled = true;
  try {
    await work();
  } catch (error) {
    showError(error);
  } finally {
    if (button) button.disabled = false;
  }
}

async function finish(step: SignInStep) {
  if (step.kind === 'totpRequired') {
    pending = step;
    show('mfa');
    $<HTMLInputElement>('mfa-code').focus();
    return;
  }
  pending = undefined;
  tokens = step.tokens;
  if (step.deviceRefused) localStorage.removeItem(storageKey());
  newDevice = step.newDevice;
  $('remember-prompt').hidden = newDevice === undefined;
  $('who').textContent = `Signed in as ${username}`;
  show('devices');
  await render();
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act($('sign-in-button'), async () => {
    username = $<HTMLInputElement>('username').value.trim();
    const password = $<HTMLInputElement>('password').value;
    await finish(await cognito.signIn({ username, password, device: storedDevice() }));
    $<HTMLInputElement>('password').value = '';
  });
});

$('mfa-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(null, async () => {
    const input = $<HTMLInputElement>('mfa-code');
    if (!pending) throw new Error('no sign-in in progress');
    const step = await pending.answer(input.value.trim());
    input.value = '';
    await finish(step);
  });
});

$('remember-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act($('remember'), async () => {
    if (!newDevice) return;
    const { devicePassword, ...verifier } = createDeviceSecretVerifier(
      newDevice.deviceKey,
      newDevice.deviceGroupKey,
    );
    const name = $<HTMLInputElement>('device-name').value.trim();
    // Without a name the BFF names the device from this browser's User-Agent ("Chrome on macOS").
    const { userConfirmationNecessary } = await bff.confirmDevice({
      deviceKey: newDevice.deviceKey,
      ...(name && { deviceName: name }),
      deviceSecretVerifierConfig: verifier,
    });
    if (userConfirmationNecessary) await bff.setDeviceStatus(newDevice.deviceKey, 'remembered');
    localStorage.setItem(storageKey(), JSON.stringify({ ...newDevice, devicePassword }));
    newDevice = undefined;
    $('remember-prompt').hidden = true;
    await render();
  });
});

$('remember-again').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const mine = currentDevice();
    if (mine) await bff.setDeviceStatus(mine, 'remembered');
    await render();
  });
});

$('forget-others').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const result = $('forget-others-result');
    let total = 0;
    // The BFF paces itself and answers before its deadline: call again until nothing else is left.
    for (;;) {
      const step = await bff.forgetOtherDevices();
      total += step.forgotten;
      result.textContent = step.complete
        ? `Signed out ${total} other device${total === 1 ? '' : 's'}.`
        : `Signed out ${total} so far, ${step.remaining} to go…`;
      result.hidden = false;
      if (step.complete) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await render();
  });
});

$('not-now').addEventListener('click', () => {
  $('remember-prompt').hidden = true;
});

$('sign-out').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const refreshToken = tokens?.refreshToken;
    tokens = undefined;
    newDevice = undefined;
    $('device-list').replaceChildren();
    show('sign-in');
    if (refreshToken) await cognito.signOut(refreshToken);
  });
});

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
function ago(iso: string | null): string {
  if (!iso) return 'never';
  const seconds = (Date.parse(iso) - Date.now()) / 1000;
  for (const [unit, size] of [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ] as const) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

async function render() {
  $('loading').hidden = false;
  $('empty').hidden = true;
  try {
    const { devices } = await bff.listDevices();
    const mine = currentDevice();
    $('device-list').replaceChildren(...devices.map((d) => deviceCard(d, d.current)));
    $('empty').hidden = devices.length > 0;
    const remembered = devices.some((d) => d.current);
    // This device, confirmed earlier but not remembered now (the user stopped remembering it).
    $('this-device').hidden = remembered || newDevice !== undefined || mine === undefined || !storedDevice();
  } finally {
    $('loading').hidden = true;
  }
}

function deviceCard(device: Device, isThisDevice: boolean): HTMLElement {
  const card = ($<HTMLTemplateElement>('device-template').content.firstElementChild as HTMLElement).cloneNode(
    true,
  ) as HTMLElement;
  const part = <T extends HTMLElement>(selector: string) => card.querySelector(selector) as T;
  card.dataset.deviceKey = device.deviceKey;
  part('.device-name').textContent = device.name ?? 'Unnamed device';
  part('.this-device').hidden = !isThisDevice;
  part('.device-status').textContent = device.status === 'not_remembered' ? 'Not remembered' : 'Remembered';
  const when = part<HTMLTimeElement>('.device-when');
  when.textContent = ago(device.lastAuthenticatedAt);
  if (device.lastAuthenticatedAt) {
    when.dateTime = device.lastAuthenticatedAt;
    when.title = new Date(device.lastAuthenticatedAt).toLocaleString();
  }
  part('.device-ip').textContent = device.lastIpUsed ? ` from ${device.lastIpUsed}` : '';
  // A toggle: the token API lists remembered devices only, but a full view may list others too.
  const toggle = part<HTMLButtonElement>('.stop-remembering');
  const remembered = device.status !== 'not_remembered';
  toggle.textContent = remembered ? 'Stop remembering' : 'Remember';
  toggle.addEventListener('click', (event) => {
    void act(event.currentTarget as HTMLButtonElement, async () => {
      await bff.setDeviceStatus(device.deviceKey, remembered ? 'not_remembered' : 'remembered');
      await render();
    });
  });
  part('.forget').addEventListener('click', () => confirmForget(device, isThisDevice));
  return card;
}

function confirmForget(device: Device, isThisDevice: boolean) {
  const dialog = $<HTMLDialogElement>('confirm-forget');
  $('forget-name').textContent = device.name ?? 'this unnamed device';
  $('forget-warning').textContent = isThisDevice
    ? 'This is the device you are using now. Your next sign-in here will ask for the code from your authenticator app.'
    : 'Its next sign-in will ask for the code from your authenticator app, and it can no longer refresh its session.';
  dialog.onclose = () => {
    if (dialog.returnValue !== 'forget') return;
    void act(null, async () => {
      try {
        await bff.forgetDevice(device.deviceKey);
      } catch (error) {
        // Already gone (forgotten elsewhere): the list below shows the truth either way.
        if (!(error instanceof NotFoundError)) throw error;
      }
      if (isThisDevice) localStorage.removeItem(storageKey());
      await render();
    });
  };
  dialog.returnValue = '';
  dialog.showModal();
}
