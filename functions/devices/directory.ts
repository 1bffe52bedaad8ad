import type { Device, DevicePage, DeviceStatus, DeviceVerifier } from './device.js';

/**
 * Whose devices a call is about: the verified caller. Token-authorized calls act as the user who owns
 * `accessToken`, so Cognito itself enforces that users only touch their own devices; the full device view's
 * admin calls name `username`, taken from the same verified token.
 */
export interface DeviceOwner {
  /** The verified access token. Never log it. */
  readonly accessToken: string;
  readonly username: string;
  /**
   * Fires when the request has been answered without waiting for this work (Middy's early timeout): calls in
   * flight are aborted and none is started, so nothing goes on calling Cognito after the answer.
   */
  readonly signal?: AbortSignal | undefined;
}

/** Which devices `get`, `list` and `forget` reach (the stage's `fullDeviceView`). */
export type DeviceVisibility = 'remembered' | 'all';

/**
 * The port to Cognito's device API for one caller's own devices.
 * Implementations throw {@link ApiError}s, never SDK exceptions.
 */
export interface DeviceDirectory {
  confirm(
    owner: DeviceOwner,
    request: { deviceKey: string; deviceName?: string | undefined; verifier?: DeviceVerifier | undefined },
  ): Promise<{ userConfirmationNecessary: boolean }>;
  setStatus(owner: DeviceOwner, deviceKey: string, status: DeviceStatus): Promise<void>;
  get(owner: DeviceOwner, deviceKey: string): Promise<Device>;
  list(
    owner: DeviceOwner,
    page: { limit?: number | undefined; pageToken?: string | undefined },
  ): Promise<DevicePage>;
  /** @param known the device's status as a listing gave it, which may save a call */
  forget(owner: DeviceOwner, deviceKey: string, known?: { status: DeviceStatus | null }): Promise<void>;
  /**
   * Ends every session of the owner (GlobalSignOut with the owner's own token): all refresh tokens are revoked,
   * this sign-in's included, and Cognito refuses their access tokens from then on. Devices are not touched.
   */
  signOutEverywhere(owner: DeviceOwner): Promise<void>;
}
