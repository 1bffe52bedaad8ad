import type { Device, DevicePage, DeviceStatus, DeviceVerifier } from './device.js';

/**
 * The port to Cognito's self-service device API. Every call acts as the user who owns `accessToken`,
 * so Cognito itself enforces that users only touch their own devices.
 * Implementations throw {@link ApiError}s, never SDK exceptions.
 */
export interface DeviceDirectory {
  confirm(
    accessToken: string,
    request: { deviceKey: string; deviceName?: string | undefined; verifier?: DeviceVerifier | undefined },
  ): Promise<{ userConfirmationNecessary: boolean }>;
  setStatus(accessToken: string, deviceKey: string, status: DeviceStatus): Promise<void>;
  get(accessToken: string, deviceKey: string): Promise<Device>;
  list(
    accessToken: string,
    page: { limit?: number | undefined; pageToken?: string | undefined },
  ): Promise<DevicePage>;
  forget(accessToken: string, deviceKey: string): Promise<void>;
}
