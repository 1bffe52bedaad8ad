import {
  CognitoAuthError,
  CognitoSignIn,
  type ConfirmedDevice,
  type Device,
  DeviceBffClient,
  DeviceBffError,
  type EmailCodeStep,
  NotFoundError,
  type Passkey,
  type SignInStep,
  type Tokens,
} from '../../client/index.js';
import type { SpaConfig } from './server.js';

/**
 * The demo SPA. Sign-in goes to Cognito with the app client of `client/` (SRP, TOTP, the device's proof, refresh
 * with GetTokensFromRefreshToken); every device operation goes through the BFF. As the AWS libraries do, every
 * new device is confirmed right after the sign-in that created it (Cognito will not refresh a sign-in whose new
 * device was never confirmed); "remember this device?" is only the choice of its remembered status.
 *
 * Tokens live in memory only: a reload signs the user out. The device's key and secret are the one thing kept in
 * localStorage: the next sign-in here names the device (so this browser stays one device), and a remembered one
 * proves the secret to skip MFA.
 */
const config = (await (await fetch('/config.json')).json()) as SpaConfig;
const cognito = new CognitoSignIn({
  userPoolId: config.userPoolId,
  clientId: config.clientId,
  endpoint: config.cognitoUrl,
});
let tokens: Tokens | undefined;
/** When the access token expires (ms since the epoch); it is refreshed a minute before. */
let expiresAt = 0;
/** The user's username in the pool (a UUID where the email is the username), and the name they signed in with. */
let username = '';
let signedInAs = '';
let pending: Extract<SignInStep, { kind: 'totpRequired' }> | undefined;
let emailStep: EmailCodeStep | undefined;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
// A pool whose users sign in with their email has no usernames to type.
if (config.signInWith === 'email') $('username-label').textContent = 'Email';
// Keyed by the username Cognito names, never by what was typed: the email, the username and other capitals are one
// user on one device.
const storageKey = (user = username) => `cognito-device-bff:device:${user}`;
/**
 * The user's username in the pool for a name they typed here before (an email in a pool of UUIDs, another case):
 * Cognito names the user only after a code or a passkey, so the device is looked up by what they type.
 */
const aliasKey = (typed: string) => `cognito-device-bff:username:${typed.trim().toLowerCase()}`;
const deviceOfTyped = (typed: string) => storedDevice(localStorage.getItem(aliasKey(typed)) ?? typed);
const storedDevice = (user: string): ConfirmedDevice | undefined => {
  const raw = localStorage.getItem(storageKey(user));
  return raw ? (JSON.parse(raw) as ConfirmedDevice) : undefined;
};
/** The email the ID token names, to say who is signed in whatever they typed (display only). */
const emailOf = (idToken: string): string | undefined => {
  const payload = idToken.split('.')[1];
  if (!payload) return undefined;
  const email = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).email;
  return typeof email === 'string' ? email : undefined;
};
/** The device this sign-in is on, as its access token names it (display only; the BFF verifies tokens). */
const currentDevice = (): string | undefined => {
  const payload = tokens?.accessToken.split('.')[1];
  if (!payload) return undefined;
  return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).device_key;
};

function keep(fresh: Tokens) {
  tokens = fresh;
  expiresAt = Date.now() + fresh.expiresInSeconds * 1000;
}

/** The access token for the next BFF call, refreshed (with this device's key) when it is about to expire. */
async function accessToken(): Promise<string> {
  if (!tokens) return '';
  if (Date.now() > expiresAt - 60_000) {
    keep(await cognito.refresh({ refreshToken: tokens.refreshToken, deviceKey: currentDevice() }));
  }
  return tokens.accessToken;
}
const bff = new DeviceBffClient({ baseUrl: config.apiUrl, accessToken });

function show(view: 'sign-in' | 'mfa' | 'email-code' | 'devices') {
  for (const id of ['sign-in', 'mfa', 'email-code', 'devices']) $(id).hidden = id !== view;
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
        : error instanceof DOMException && error.name === 'NotAllowedError'
          ? 'No passkey was used: it was cancelled, or timed out.'
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
  emailStep = undefined;
  keep(step.tokens);
  username = step.username;
  // What they typed names this user here from now on: the next sign-in without a password finds this device.
  localStorage.setItem(aliasKey(signedInAs), step.username);
  if (step.deviceRefused) localStorage.removeItem(storageKey());
  let askToRemember = false;
  if (step.newDevice) {
    // Confirmed now, whatever the user answers below: unconfirmed, this sign-in could not refresh. Without a
    // name the BFF names the device from this browser's User-Agent ("Chrome on macOS").
    const { device, userConfirmationNecessary } = await bff.confirmNewDevice(step.newDevice);
    localStorage.setItem(storageKey(), JSON.stringify(device));
    askToRemember = userConfirmationNecessary;
  }
  $('remember-prompt').hidden = !askToRemember;
  $('notice').hidden = true;
  $('who').textContent = `Signed in as ${emailOf(step.tokens.idToken) ?? signedInAs}`;
  show('devices');
  await render();
}

$('sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act($('sign-in-button'), async () => {
    signedInAs = $<HTMLInputElement>('username').value.trim();
    const password = $<HTMLInputElement>('password').value;
    await finish(await cognito.signIn({ username: signedInAs, password, device: storedDevice }));
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

// Without a password, where the pool allows it: a code by email, or a passkey (WebAuthn's JSON helpers, 2024+).
const passwordless = new Set(config.passwordless ?? []);
const passkeysHere =
  passwordless.has('passkey') &&
  typeof (globalThis.PublicKeyCredential as { parseCreationOptionsFromJSON?: unknown } | undefined)
    ?.parseCreationOptionsFromJSON === 'function';
$('email-code-button').hidden = !passwordless.has('email_otp');
$('passkey-button').hidden = !passkeysHere;
$('passwordless').hidden = !passwordless.has('email_otp') && !passkeysHere;

/** The name typed in the sign-in form, or none (then the field says so). */
function typedName(): string | undefined {
  const input = $<HTMLInputElement>('username');
  const name = input.value.trim();
  if (!name) input.reportValidity();
  return name || undefined;
}

$('email-code-button').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const name = typedName();
    if (!name) return;
    signedInAs = name;
    emailStep = await cognito.signInWithEmailCode({ username: name, device: deviceOfTyped });
    $('email-code-destination').textContent = emailStep.destination;
    show('email-code');
    $<HTMLInputElement>('email-code-input').focus();
  });
});

$('email-code-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void act(null, async () => {
    const input = $<HTMLInputElement>('email-code-input');
    if (!emailStep) throw new Error('no sign-in in progress');
    const step = emailStep;
    emailStep = undefined;
    try {
      await finish(await step.answer(input.value.trim()));
    } catch (error) {
      // A wrong code ends that sign-in: back to the start, to ask for a new one.
      show('sign-in');
      throw error;
    } finally {
      input.value = '';
    }
  });
});

$('passkey-button').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const name = typedName();
    if (!name) return;
    signedInAs = name;
    await finish(await cognito.signInWithPasskey({ username: name, device: deviceOfTyped }));
  });
});

/** The user's passkeys, on a pool that has them; "Add a passkey" creates one with this browser or phone. */
async function renderPasskeys() {
  $('passkeys').hidden = !passkeysHere;
  if (!passkeysHere) return;
  const { passkeys } = await bff.listPasskeys();
  $('no-passkeys').hidden = passkeys.length > 0;
  $('passkey-list').replaceChildren(
    ...passkeys.map((passkey) => {
      const li = document.createElement('li');
      const what = document.createElement('div');
      const name = document.createElement('strong');
      name.textContent = passkey.name;
      const when = document.createElement('div');
      when.className = 'passkey-when';
      when.textContent = `Added ${ago(passkey.createdAt)}`;
      what.append(name, when);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'danger';
      remove.textContent = 'Remove';
      remove.addEventListener('click', () => confirmRemovePasskey(passkey, passkeys.length === 1));
      li.append(what, remove);
      return li;
    }),
  );
}

$('add-passkey').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const options = await bff.startPasskeyRegistration();
    const webauthn = PublicKeyCredential as typeof PublicKeyCredential & {
      parseCreationOptionsFromJSON(json: unknown): PublicKeyCredentialCreationOptions;
    };
    const credential = (await navigator.credentials.create({
      publicKey: webauthn.parseCreationOptionsFromJSON(options),
    })) as (Credential & { toJSON(): Record<string, unknown> }) | null;
    if (!credential) return;
    await bff.addPasskey(credential.toJSON());
    await renderPasskeys();
    await renderActivity();
  });
});

function confirmRemovePasskey(passkey: Passkey, last: boolean) {
  $('remove-passkey-warning').textContent = last
    ? `This is your last passkey: from now on you sign in with your password${
        passwordless.has('email_otp') ? ' or a code sent to your email' : ''
      }.`
    : 'It will no longer sign you in. Your other passkeys still will.';
  confirmThen('confirm-remove-passkey', 'remove', null, async () => {
    await unlessGone(bff.removePasskey(passkey.credentialId));
    await renderPasskeys();
  });
}

/** Opens a confirmation dialog; when the user confirms with `value`, runs `work` as a user action. */
function confirmThen(id: string, value: string, button: HTMLButtonElement | null, work: () => Promise<void>) {
  const dialog = $<HTMLDialogElement>(id);
  dialog.onclose = () => {
    if (dialog.returnValue === value) void act(button, work);
  };
  dialog.returnValue = '';
  dialog.showModal();
}

/** A removal whose thing is already gone (removed elsewhere) is done: the list shown next tells the truth either way. */
async function unlessGone(removal: Promise<void>): Promise<void> {
  try {
    await removal;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** "Remember this device?": the device is confirmed already; remembering is its status. */
async function rememberThisDevice() {
  const mine = currentDevice();
  if (mine) await bff.setDeviceStatus(mine, 'remembered');
  $('remember-prompt').hidden = true;
  await render();
}
$('remember').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, rememberThisDevice);
});
$('remember-again').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, rememberThisDevice);
});

$('not-now').addEventListener('click', () => {
  $('remember-prompt').hidden = true;
});

/** At most this many calls: forgetting is paced by the server and its route throttle is shared by every user. */
const FORGET_CALLS = 10;
/**
 * Forgets the other devices, calling again until the BFF says nothing else is left, for {@link FORGET_CALLS} calls
 * at most; returns how many it forgot and whether that was all.
 */
async function forgetOthers(progress: (text: string) => void): Promise<{ total: number; complete: boolean }> {
  let total = 0;
  for (let call = 1; ; call++) {
    const step = await bff.forgetOtherDevices();
    total += step.forgotten;
    if (step.complete || call === FORGET_CALLS) return { total, complete: step.complete };
    progress(`Forgot ${total} so far, ${step.remaining} to go…`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

$('forget-others').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const result = $('forget-others-result');
    const say = (text: string) => {
      result.textContent = text;
      result.hidden = false;
    };
    const { total, complete } = await forgetOthers(say);
    say(
      !complete
        ? `Forgot ${plural(total, 'other device')}; some are left: try again in a minute.`
        : total === 0
          ? 'No other remembered device to forget.'
          : `Forgot ${plural(total, 'other device')}: each asks for your code at its next sign-in.`,
    );
    await render();
  });
});

$('sign-out-everywhere').addEventListener('click', () => {
  confirmThen('confirm-sign-out-everywhere', 'sign-out', $('sign-out-everywhere'), async () => {
    const result = $('forget-others-result');
    // Ending the sessions must not depend on forgetting: a throttled or failed forget still signs out everywhere.
    const forgotten = await forgetOthers((text) => {
      result.textContent = text;
      result.hidden = false;
    }).catch(() => ({ total: 0, complete: false }));
    await bff.signOutEverywhere();
    signedOut();
    const notice = $('notice');
    notice.textContent =
      `Signed out everywhere${forgotten.total > 0 ? ` and forgot ${plural(forgotten.total, 'other device')}` : ''}. ` +
      (forgotten.complete ? '' : 'Some other devices stay remembered: forget them after you sign in. ') +
      'Sign in again to continue.';
    notice.hidden = false;
  });
});

/** Back to the sign-in page, forgetting this session's tokens (never the device's key and secret). */
function signedOut() {
  tokens = undefined;
  clearTimeout(activityTimer);
  expiresAt = 0;
  $('device-list').replaceChildren();
  $('remember-prompt').hidden = true;
  $('forget-others-result').hidden = true;
  show('sign-in');
}

$('sign-out').addEventListener('click', (event) => {
  void act(event.currentTarget as HTMLButtonElement, async () => {
    const refreshToken = tokens?.refreshToken;
    signedOut();
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
    // This device is confirmed but not remembered (the user said "not now", or stopped remembering it).
    $('this-device').hidden = remembered || !$('remember-prompt').hidden || mine === undefined;
  } finally {
    $('loading').hidden = true;
  }
  await renderPasskeys();
  await renderActivity();
}

/** What the local stack's bus saw for this user (local/spa/activity.ts); absent outside `npm start`. */
interface ActivityItem {
  readonly type: string;
  readonly deviceName: string | null;
  readonly count?: number;
  readonly time: string;
}

function describeActivity({ type, deviceName, count }: ActivityItem): string | undefined {
  const name = deviceName ?? 'an unnamed device';
  switch (type) {
    case 'New device sign-in':
      return `New sign-in on ${deviceName ?? 'a new device'}`;
    case 'Device remembered':
      return `${name} remembered`;
    case 'Device no longer remembered':
      return `${name} no longer remembered`;
    case 'Device forgotten':
      return `${name} forgotten`;
    case 'Other devices forgotten':
      return `${plural(count ?? 0, 'other device')} forgotten`;
    case 'Signed out everywhere':
      return 'Signed out everywhere';
    case 'Device trust expired':
      return `${name}: trust ended, the code is asked again`;
    case 'Passkey added':
      return `Passkey added on ${deviceName ?? 'a device'}`;
    case 'Passkey removed':
      return 'Passkey removed';
    default:
      return undefined;
  }
}

/**
 * Events reach the bus after the response to a change (they are delivered off the request path, usually within a
 * second or two), so the list looks again every few seconds while the signed-in page is in view.
 */
const ACTIVITY_REFRESH_MS = 3_000;
let activityTimer: ReturnType<typeof setTimeout> | undefined;
function refreshActivityLater() {
  clearTimeout(activityTimer);
  activityTimer = setTimeout(() => {
    if (!tokens || $('devices').hidden || document.hidden) return refreshActivityLater();
    void renderActivity();
  }, ACTIVITY_REFRESH_MS);
}

async function renderActivity() {
  refreshActivityLater();
  const response = await fetch('/activity', {
    headers: { authorization: `Bearer ${await accessToken()}` },
  }).catch(() => undefined);
  if (!response?.ok) return;
  const items = (await response.json()) as ActivityItem[];
  const lines = items.flatMap((item) => {
    const text = describeActivity(item);
    if (!text) return [];
    const li = document.createElement('li');
    const what = document.createElement('span');
    what.textContent = text;
    const when = document.createElement('time');
    when.dateTime = item.time;
    when.title = new Date(item.time).toLocaleString();
    when.textContent = ago(item.time);
    li.append(what, when);
    return [li];
  });
  $('activity-list').replaceChildren(...lines);
  $('activity').hidden = lines.length === 0;
}

function deviceCard(device: Device, isThisDevice: boolean): HTMLElement {
  const card = ($<HTMLTemplateElement>('device-template').content.firstElementChild as HTMLElement).cloneNode(
    true,
  ) as HTMLElement;
  const part = <T extends HTMLElement>(selector: string) => card.querySelector(selector) as T;
  card.dataset.deviceKey = device.deviceKey;
  part('.device-name').textContent = device.displayName ?? 'Unnamed device';
  part('.this-device').hidden = !isThisDevice;
  part('.device-status').textContent = device.status === 'not_remembered' ? 'Not remembered' : 'Remembered';
  const when = part<HTMLTimeElement>('.device-when');
  when.textContent = ago(device.lastAuthenticatedAt);
  if (device.lastAuthenticatedAt) {
    when.dateTime = device.lastAuthenticatedAt;
    when.title = new Date(device.lastAuthenticatedAt).toLocaleString();
  }
  part('.device-ip').textContent = device.lastIpUsed ? ` from ${device.lastIpUsed}` : '';
  // On a stage that limits trust (rememberFor): when this device's code-free sign-ins end.
  if (device.trustEndsAt) {
    const ends = part<HTMLTimeElement>('.device-trust-ends');
    ends.textContent = new Date(device.trustEndsAt).toLocaleDateString('en', {
      month: 'short',
      day: 'numeric',
    });
    ends.dateTime = device.trustEndsAt;
    ends.title = new Date(device.trustEndsAt).toLocaleString();
    part('.device-trust').hidden = false;
  } else if (device.trustEndsAtUnknown) {
    // Never a blank where a date belongs: say it could not be read.
    part('.device-trust').textContent = 'When sign-ins without your code end cannot be shown right now';
    part('.device-trust').hidden = false;
  }
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
  $('forget-name').textContent = device.displayName ?? 'this unnamed device';
  $('forget-warning').textContent = isThisDevice
    ? 'This is the device you are using now. Your next sign-in here will ask for the code from your authenticator app.'
    : 'Its next sign-in will ask for the code from your authenticator app, and it can no longer refresh its session.';
  confirmThen('confirm-forget', 'forget', null, async () => {
    await unlessGone(bff.forgetDevice(device.deviceKey));
    // Its key and secret are of no use any more: the next sign-in here gets a new device.
    if (isThisDevice) localStorage.removeItem(storageKey());
    await render();
  });
}
