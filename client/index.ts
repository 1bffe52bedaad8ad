import { createDeviceSecretVerifier } from './device-verifier.js';
import { type DeviceBffError, errorFor, type Problem } from './errors.js';
import type { ConfirmedDevice } from './sign-in.js';

export * from './device-verifier.js';
export * from './errors.js';
export * from './sign-in.js';

export type DeviceStatus = 'remembered' | 'not_remembered';

export interface Device {
  readonly deviceKey: string;
  /**
   * The name as Cognito has it: what the app or its sign-in library wrote (a raw User-Agent, an Android model
   * code…). Show `displayName` instead: this one may hold control or bidirectional-override characters.
   */
  readonly name: string | null;
  /** `name` made readable and safe to show: "Chrome on macOS", "Samsung Galaxy S23", "Alice's iPhone"; null when unnamed. */
  readonly displayName: string | null;
  readonly status: DeviceStatus | null;
  readonly createdAt: string | null;
  readonly lastModifiedAt: string | null;
  readonly lastAuthenticatedAt: string | null;
  readonly lastIpUsed: string | null;
  /** The device this sign-in is on (from the verified access token, never from a header). */
  readonly current: boolean;
  /**
   * When this remembered device stops being trusted, on a stage that limits trust (`rememberFor`): it is then
   * forgotten, and its next sign-in asks for MFA; null otherwise. Set when the device is first remembered: remembering
   * it again never moves it.
   */
  readonly trustEndsAt: string | null;
  /** The end of this remembered device's trust could not be read just now (so `trustEndsAt` is null). */
  readonly trustEndsAtUnknown: boolean;
  /** The Cognito device attributes the BFF passes on (an allow-list; `device_name` etc. are also above). */
  readonly attributes: Readonly<{
    device_status?: string;
    device_name?: string;
    'dev:device_remembered_status'?: DeviceStatus;
    last_ip_used?: string;
  }>;
}

/** One of the user's passkeys. */
export interface Passkey {
  readonly credentialId: string;
  /** The name Cognito gives it. */
  readonly name: string;
  /** The domain it signs in to. */
  readonly relyingPartyId: string;
  /** `platform` (built into the device) or `cross-platform` (a security key, a phone), when the browser said. */
  readonly authenticatorAttachment: string | null;
  readonly transports: readonly string[];
  readonly createdAt: string | null;
}

export interface DevicePage {
  readonly devices: readonly Device[];
  readonly nextCursor: string | null;
}

export interface DeviceBffClientOptions {
  /** The API's base URL (the stack's `ApiUrl`, or `http://127.0.0.1:3000` for `npm start`). */
  readonly baseUrl: string;
  /** The current Cognito access token; called before every request, so it may refresh. */
  readonly accessToken: () => string | Promise<string>;
  /** Defaults to the global `fetch` (browsers, React Native, Node ≥ 18). */
  readonly fetch?: typeof fetch;
}

/**
 * A typed client for the device BFF: one method per route, problem+json answers thrown as
 * {@link DeviceBffError} subclasses. No dependencies beyond `fetch`.
 */
export class DeviceBffClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly options: DeviceBffClientOptions) {
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * Confirms the new device of the sign-in that just happened, as the AWS libraries do at every sign-in: Cognito
   * refuses to refresh a sign-in whose new device was never confirmed. Creates the device secret, sends only its
   * verifier, and returns the device to keep (with the secret: store it securely, for this device's next sign-in)
   * and whether the user chooses to remember it (`userConfirmationNecessary`, an `opt-in` pool: ask "remember
   * this device?", and on yes call `setDeviceStatus(deviceKey, 'remembered')`).
   *
   * Apps that sign in with Amplify or amazon-cognito-identity-js never call this: those libraries confirm
   * the device themselves.
   */
  async confirmNewDevice(
    newDevice: { deviceKey: string; deviceGroupKey: string },
    options: { deviceName?: string } = {},
  ): Promise<{ device: ConfirmedDevice; userConfirmationNecessary: boolean }> {
    const { devicePassword, ...verifier } = createDeviceSecretVerifier(
      newDevice.deviceKey,
      newDevice.deviceGroupKey,
    );
    const { userConfirmationNecessary } = await this.confirmDevice({
      deviceKey: newDevice.deviceKey,
      ...(options.deviceName !== undefined && { deviceName: options.deviceName }),
      deviceSecretVerifierConfig: verifier,
    });
    return { device: { ...newDevice, devicePassword }, userConfirmationNecessary };
  }

  /** Confirms (tracks) the device of the current sign-in. Send the verifier from `createDeviceSecretVerifier`. */
  confirmDevice(input: {
    deviceKey: string;
    deviceName?: string;
    deviceSecretVerifierConfig?: { passwordVerifier: string; salt: string };
  }): Promise<{ deviceKey: string; userConfirmationNecessary: boolean }> {
    return this.request('POST', '/devices', input);
  }

  setDeviceStatus(
    deviceKey: string,
    status: DeviceStatus,
  ): Promise<{ deviceKey: string; status: DeviceStatus; trustEndsAt: string | null }> {
    return this.request('PUT', `/devices/${encodeURIComponent(deviceKey)}/status`, { status });
  }

  listDevices(page: { limit?: number; cursor?: string } = {}): Promise<DevicePage> {
    // Built by hand: React Native's URLSearchParams has no `set` or `size`.
    const query = [
      ...(page.limit !== undefined ? [`limit=${page.limit}`] : []),
      ...(page.cursor !== undefined ? [`cursor=${encodeURIComponent(page.cursor)}`] : []),
    ].join('&');
    return this.request('GET', `/devices${query ? `?${query}` : ''}`);
  }

  getDevice(deviceKey: string): Promise<Device> {
    return this.request('GET', `/devices/${encodeURIComponent(deviceKey)}`);
  }

  /**
   * Forgets every other device of the user (all but this sign-in's): each must pass MFA again at its next
   * sign-in, and its sessions can no longer refresh (their access tokens still work until they expire, within
   * the hour). It reaches the devices Cognito's token API lists: remembered ones, or every confirmed device on a
   * stage with the full device view. It ends no session without a device: for that, {@link signOutEverywhere}.
   * Call again until `complete` (the server paces itself under Cognito's quotas).
   */
  forgetOtherDevices(): Promise<{
    forgotten: number;
    remaining: number;
    complete: boolean;
    keptDeviceKey: string | null;
  }> {
    return this.request('POST', '/devices/forget-others');
  }

  /**
   * Ends every session of the user, this one included (Cognito GlobalSignOut): every refresh token is revoked
   * and every access token refused. Devices are kept: drop this app's tokens and sign in again; a remembered
   * device skips MFA there. To make other devices pass MFA again too, call {@link forgetOtherDevices} first
   * (it needs this session).
   */
  signOutEverywhere(): Promise<{ signedOut: 'everywhere'; next: 'sign_in' }> {
    return this.request('POST', '/sign-out-everywhere');
  }

  async forgetDevice(deviceKey: string): Promise<void> {
    await this.request('DELETE', `/devices/${encodeURIComponent(deviceKey)}`);
  }

  /** The user's passkeys (on a pool that allows them). */
  listPasskeys(): Promise<{ passkeys: Passkey[] }> {
    return this.request('GET', '/passkeys');
  }

  /**
   * Adds a passkey, in two steps: this one gets the options to create it with. In a browser:
   * `navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options) })`, then
   * {@link addPasskey} with the credential's `toJSON()`; on iOS and Android, the platform's passkey API takes the same
   * JSON. The options are valid for a few minutes.
   */
  async startPasskeyRegistration(): Promise<Record<string, unknown>> {
    return (await this.request<{ options: Record<string, unknown> }>('POST', '/passkeys/registrations'))
      .options;
  }

  /** Adds the passkey the browser or platform created from {@link startPasskeyRegistration}'s options. */
  addPasskey(credential: Record<string, unknown>): Promise<{ credentialId: string | null }> {
    return this.request('POST', '/passkeys', { credential });
  }

  /** Removes one of the user's passkeys: it signs in no more. Keep at least one way to sign in. */
  async removePasskey(credentialId: string): Promise<void> {
    await this.request('DELETE', `/passkeys/${encodeURIComponent(credentialId)}`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${await this.options.accessToken()}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(`${this.options.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (response.ok) return (response.status === 204 ? undefined : await response.json()) as T;
    throw await toError(response);
  }
}

async function toError(response: Response): Promise<DeviceBffError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const text = await response.text();
  let problem: Problem;
  try {
    const parsed = JSON.parse(text) as Partial<Problem> & { message?: string };
    problem =
      typeof parsed.code === 'string'
        ? (parsed as Problem)
        : gatewayProblem(response.status, parsed.message ?? response.statusText);
  } catch {
    problem = gatewayProblem(response.status, response.statusText);
  }
  return errorFor(problem, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

/** API Gateway's own answers, in the shape of the BFF's. */
function gatewayProblem(status: number, message: string): Problem {
  return { type: 'about:blank', title: message, status, detail: message, code: `gateway_${status}` };
}
