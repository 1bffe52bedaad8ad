import { AwsServiceError, awsJsonClient } from '../aws/signed-request.js';
import { displayName } from '../devices/names/display-name.js';
import type { DeviceNames } from '../events/delivery.js';

interface AdminGetDeviceOutput {
  Device?: { DeviceAttributes?: Array<{ Name?: string; Value?: string }> };
}

/** How the delivery's reads appear in CloudTrail (and to the local stand-in): apart from the API's calls. */
export const DEVICE_NAMES_USER_AGENT = 'cognito-device-bff/event-delivery';

/** The user or the device is not there (any more). */
const GONE = new Set(['ResourceNotFoundException', 'UserNotFoundException']);

/**
 * The Cognito adapter of the delivery's {@link DeviceNames}: AdminGetDevice (JSON 1.1, SigV4 with the delivery role's credentials, which may make only this call, on this pool).
 * `Username` may be the user's `sub` (the operation's reference: "this value must be the sub of a local user or the
 * username of a user from a third-party IdP" when it is not an alias), which is what an event knows of the user.
 */
export function createDeviceNames(settings: {
  readonly region: string;
  readonly userPoolId: string;
  /** Local stack only: where the Cognito stand-in listens. */
  readonly endpoint?: string | undefined;
  readonly timeoutMs: number;
}): DeviceNames {
  const client = awsJsonClient({
    service: 'cognito-idp',
    region: settings.region,
    endpoint: settings.endpoint,
    contentType: 'application/x-amz-json-1.1',
    timeoutMs: settings.timeoutMs,
    userAgent: DEVICE_NAMES_USER_AGENT,
  });
  return {
    async name(sub, deviceKey) {
      try {
        const output = await client.call<AdminGetDeviceOutput>({
          method: 'POST',
          path: '/',
          headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminGetDevice' },
          body: { UserPoolId: settings.userPoolId, Username: sub, DeviceKey: deviceKey },
        });
        const attribute = output.Device?.DeviceAttributes?.find((a) => a.Name === 'device_name');
        return displayName(attribute?.Value);
      } catch (error) {
        if (error instanceof AwsServiceError && GONE.has(error.type)) return null;
        throw error;
      }
    },
  };
}
