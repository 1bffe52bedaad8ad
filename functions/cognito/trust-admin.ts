import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminGetUserCommand,
  AdminListDevicesCommand,
  AdminUpdateDeviceStatusCommand,
  type CognitoIdentityProviderClient,
  ResourceNotFoundException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Device } from '../devices/device.js';
import { toDevice } from './device-type.js';

/**
 * The trust functions' side of Cognito (the expiry and the check after a sign-in): admin calls for one user named by a
 * schedule, signed with the function role's credentials. Each function's role allows only the calls it makes (the
 * construct's Trust). `undefined` answers mean the user or the device is gone.
 */
export interface TrustAdmin {
  /** The user's `sub`, from Cognito (never from a schedule's input), or undefined when there is no such user. */
  subOf(userPoolId: string, username: string): Promise<string | undefined>;
  device(userPoolId: string, username: string, deviceKey: string): Promise<Device | undefined>;
  /** Every confirmed device of the user, remembered or not (at most `maxPages` pages of 60). */
  devices(userPoolId: string, username: string, maxPages: number): Promise<Device[]>;
  /** Forgets the device (its refresh tokens stop working); false when it was gone already. */
  forget(userPoolId: string, username: string, deviceKey: string): Promise<boolean>;
  notRemembered(userPoolId: string, username: string, deviceKey: string): Promise<void>;
}

const gone = (error: unknown) =>
  error instanceof ResourceNotFoundException || error instanceof UserNotFoundException;

export function createTrustAdmin(cognito: CognitoIdentityProviderClient): TrustAdmin {
  return {
    async subOf(userPoolId, username) {
      try {
        const user = await cognito.send(
          new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }),
        );
        return user.UserAttributes?.find((a) => a.Name === 'sub')?.Value;
      } catch (error) {
        if (gone(error)) return undefined;
        throw error;
      }
    },
    async device(userPoolId, username, deviceKey) {
      try {
        const { Device: device } = await cognito.send(
          new AdminGetDeviceCommand({ UserPoolId: userPoolId, Username: username, DeviceKey: deviceKey }),
        );
        return device ? toDevice(device, false) : undefined;
      } catch (error) {
        if (gone(error)) return undefined;
        throw error;
      }
    },
    async devices(userPoolId, username, maxPages) {
      const devices: Device[] = [];
      let token: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const output = await cognito.send(
          new AdminListDevicesCommand({
            UserPoolId: userPoolId,
            Username: username,
            Limit: 60,
            PaginationToken: token,
          }),
        );
        devices.push(...(output.Devices ?? []).map((d) => toDevice(d, false)));
        token = output.PaginationToken;
        if (!token) break;
      }
      return devices;
    },
    async forget(userPoolId, username, deviceKey) {
      try {
        await cognito.send(
          new AdminForgetDeviceCommand({ UserPoolId: userPoolId, Username: username, DeviceKey: deviceKey }),
        );
        return true;
      } catch (error) {
        if (gone(error)) return false;
        throw error;
      }
    },
    async notRemembered(userPoolId, username, deviceKey) {
      await cognito.send(
        new AdminUpdateDeviceStatusCommand({
          UserPoolId: userPoolId,
          Username: username,
          DeviceKey: deviceKey,
          DeviceRememberedStatus: 'not_remembered',
        }),
      );
    },
  };
}
