import type { Stack } from 'aws-cdk-lib';
import type { CfnUserPool, IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { DeviceBff, DeviceTrackingMode, DeviceTrackingPresets } from 'cdk-cognito-device-bff';

// What Amplify Gen 2's `defineBackend` returns, as far as the BFF needs it.
export interface AmplifyBackend {
  createStack(name: string): Stack;
  readonly auth: {
    readonly resources: {
      readonly userPool: IUserPool;
      readonly userPoolClient: IUserPoolClient;
      readonly cfnResources: { readonly cfnUserPool: CfnUserPool };
    };
  };
}

// amplify/device-bff.ts, called from amplify/backend.ts with the backend of `defineBackend({ auth })`.
export function addDeviceBff(backend: AmplifyBackend): DeviceBff {
  const { userPool, userPoolClient, cfnResources } = backend.auth.resources;
  // Gen 2 creates pools without device tracking: turn it on. `opt-in`: the app asks "remember this device?", and a
  // remembered device skips the MFA code (so give the auth resource MFA, or there is nothing to skip).
  const tracking = DeviceTrackingPresets.deviceTracking(DeviceTrackingMode.OPT_IN);
  cfnResources.cfnUserPool.deviceConfiguration = {
    challengeRequiredOnNewDevice: tracking?.challengeRequiredOnNewDevice,
    deviceOnlyRememberedOnUserPrompt: tracking?.deviceOnlyRememberedOnUserPrompt,
  };
  return new DeviceBff(backend.createStack('device-bff'), 'DeviceBff', {
    userPool,
    userPoolClients: [userPoolClient],
  });
}
