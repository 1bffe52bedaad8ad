import { AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../cognito/client.js';
import { displayName } from '../devices/names/display-name.js';
import { targetRuntime } from '../target-runtime.js';
import { makeTrustCheck } from '../trust/check.js';
import { trustFromEnv } from '../trust/settings.js';

/** The target of the checks after sign-ins: starts the trust of remembered devices this API did not see remembered. */
const { log, cognito: client } = targetRuntime(process.env);
const trust = trustFromEnv(process.env);
if (!trust) throw new Error('Invalid environment: REMEMBER_FOR_SECONDS is required by the trust check');
const cognito = createCognitoClient(client);
export const handler = makeTrustCheck({
  rememberedDevices: async (input) => {
    const remembered: Array<{ deviceKey: string; deviceName: string | null }> = [];
    let token: string | undefined;
    do {
      const page = await cognito.send(
        new AdminListDevicesCommand({
          UserPoolId: input.userPoolId,
          Username: input.username,
          Limit: 60,
          PaginationToken: token,
        }),
      );
      for (const device of page.Devices ?? []) {
        const attribute = (name: string) => device.DeviceAttributes?.find((a) => a.Name === name)?.Value;
        if (device.DeviceKey && attribute('dev:device_remembered_status') === 'remembered') {
          remembered.push({
            deviceKey: device.DeviceKey,
            deviceName: displayName(attribute('device_name') ?? null),
          });
        }
      }
      token = page.PaginationToken;
    } while (token);
    return remembered;
  },
  trust,
  log,
});
