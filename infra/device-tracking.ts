/**
 * Device tracking as one typed value, shared by the CDK stack and the local stack so both configure the
 * user pool identically.
 * - `always`: every device is tracked and remembered once confirmed.
 * - `opt-in`: devices are tracked; the user chooses to remember one ("remember this device").
 * - `off`: no device tracking; ConfirmDevice and friends fail with InvalidUserPoolConfiguration.
 */
export const deviceTrackingModes = ['always', 'opt-in', 'off'] as const;
export type DeviceTrackingMode = (typeof deviceTrackingModes)[number];

/** Cognito's `DeviceConfigurationType`. */
export interface DeviceConfiguration {
  readonly challengeRequiredOnNewDevice: boolean;
  readonly deviceOnlyRememberedOnUserPrompt: boolean;
}

export function deviceConfiguration(mode: DeviceTrackingMode): DeviceConfiguration | undefined {
  switch (mode) {
    case 'always':
      return { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: false };
    case 'opt-in':
      return { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true };
    case 'off':
      return undefined;
  }
}
