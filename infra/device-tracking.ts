import type { DeviceTracking } from 'aws-cdk-lib/aws-cognito';

/**
 * How a user pool tracks devices. Cognito has two switches (`DeviceConfiguration`), so there are four ways to track
 * devices, and `OFF`; the Cognito console asks the same two questions: "Remember user devices: Always / User opt-in /
 * Don't remember" and "Allow users to bypass MFA for trusted devices: Yes / No". Whatever the mode, a pool that
 * requires MFA still asks it on a device that is not confirmed or not remembered.
 */
export enum DeviceTrackingMode {
  /** Every device the app confirms is remembered at once, and skips the MFA code. */
  ALWAYS = 'always',
  /** Devices are tracked at sign-in; the user chooses to remember one, and only remembered devices skip MFA. */
  OPT_IN = 'opt-in',
  /** Like `ALWAYS`, but MFA is asked on every sign-in: remembering a device only lists it. */
  ALWAYS_MFA_EVERY_SIGN_IN = 'always-mfa-every-sign-in',
  /** Like `OPT_IN`, but MFA is asked on every sign-in. */
  OPT_IN_MFA_EVERY_SIGN_IN = 'opt-in-mfa-every-sign-in',
  /**
   * No device tracking: sign-ins return no device key, and the device operations fail (the API answers 500
   * `invalid_user_pool_configuration`, which raises the `Misconfigured` alarm).
   */
  OFF = 'off',
}

/**
 * A mode by its name, as the stage config and the local stack write it (`'opt-in'`). Device tracking as one typed
 * value, shared by the CDK stack and the local stack so both configure the user pool
 * identically. CloudFormation's `DeviceConfiguration` has two switches, so there are four ways to track devices, and
 * `off`. The Cognito console asks the same two questions: "Remember user devices: Always / User opt-in / Don't
 * remember" and "Allow users to bypass MFA for trusted devices: Yes / No" (lgallard/terraform-aws-cognito-user-pool
 * #124 lists the console's choices against the two properties).
 *
 * - `always`: every device the app confirms is remembered at once; a remembered device signs in without the MFA
 *   code. The app shows no "remember this device?" prompt.
 * - `opt-in`: devices are confirmed (tracked) at sign-in; the user chooses to remember one ("remember this
 *   device?", `PUT /devices/{key}/status`). Only remembered devices skip the MFA code.
 * - `always-mfa-every-sign-in`: like `always`, but MFA is asked on every sign-in; remembering a device only lists it
 *   (a user sees and forgets their devices, and each device's last sign-in).
 * - `opt-in-mfa-every-sign-in`: like `opt-in`, but MFA is asked on every sign-in.
 * - `off`: no device tracking; sign-ins return no device key, and ConfirmDevice and the other device operations fail
 *   with InvalidUserPoolConfigurationException (the BFF answers 500
 *   `invalid_user_pool_configuration` and counts it as `Misconfigured`, which raises an alarm).
 *
 * Whatever the mode, a pool that requires MFA still asks it on a device that is not confirmed or not remembered
 * (the API reference, DeviceConfigurationType).
 */
export type DeviceTrackingModeName = `${DeviceTrackingMode}`;
export const deviceTrackingModes = Object.values(DeviceTrackingMode) as [
  DeviceTrackingModeName,
  ...DeviceTrackingModeName[],
];

const configurations: Record<Exclude<DeviceTrackingModeName, 'off'>, DeviceTracking> = {
  always: { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: false },
  'opt-in': { challengeRequiredOnNewDevice: true, deviceOnlyRememberedOnUserPrompt: true },
  'always-mfa-every-sign-in': {
    challengeRequiredOnNewDevice: false,
    deviceOnlyRememberedOnUserPrompt: false,
  },
  'opt-in-mfa-every-sign-in': { challengeRequiredOnNewDevice: false, deviceOnlyRememberedOnUserPrompt: true },
};

export function deviceConfiguration(mode: DeviceTrackingModeName): DeviceTracking | undefined {
  return mode === 'off' ? undefined : configurations[mode];
}

/** The pool's device settings for each {@link DeviceTrackingMode}, for a pool made or changed outside the construct. */
export class DeviceTrackingPresets {
  /**
   * The `deviceTracking` of a `UserPool` that tracks devices as `mode` says (for a `CfnUserPool`, its
   * `deviceConfiguration`, field by field); none for `OFF`.
   */
  static deviceTracking(mode: DeviceTrackingMode): DeviceTracking | undefined {
    return deviceConfiguration(mode);
  }

  private constructor() {}
}
