import {
  AdminUpdateDeviceStatusCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../cognito/client.js';
import { targetRuntime } from '../target-runtime.js';
import { makeTrustExpiry } from '../trust/expiry.js';

/** The target of the trust schedules: sets the device `not_remembered` and says so. */
const { log, events, cognito: client } = targetRuntime(process.env);
const cognito = createCognitoClient(client);
export const handler = makeTrustExpiry({
  notRemembered: async (input) => {
    try {
      await cognito.send(
        new AdminUpdateDeviceStatusCommand({
          UserPoolId: input.userPoolId,
          Username: input.username,
          DeviceKey: input.deviceKey,
          DeviceRememberedStatus: 'not_remembered',
        }),
      );
      return 'done';
    } catch (error) {
      // Forgotten meanwhile, or its user deleted: nothing is trusted any more.
      if (error instanceof ResourceNotFoundException) return 'gone';
      if ((error as { name?: string }).name === 'UserNotFoundException') return 'gone';
      throw error;
    }
  },
  events,
  log,
});
