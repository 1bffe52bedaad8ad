import type { AttributeType, DeviceType } from '@aws-sdk/client-cognito-identity-provider';
import {
  type Device,
  type DeviceAttributes,
  type DeviceStatus,
  deviceStatuses,
  publicDeviceAttributes,
} from '../devices/device.js';
import { UpstreamError } from '../errors.js';

export function malformed(detail: string): UpstreamError {
  return new UpstreamError({ code: 'upstream_error', detail });
}

const isPublic = (name: string | undefined): name is keyof DeviceAttributes =>
  (publicDeviceAttributes as readonly (string | undefined)[]).includes(name);

/** Only the {@link publicDeviceAttributes}, whatever else Cognito sends. */
function attributeMap(attributes: readonly AttributeType[] | undefined): DeviceAttributes {
  const map: { -readonly [K in keyof DeviceAttributes]: string } = {};
  for (const { Name, Value } of attributes ?? []) if (isPublic(Name)) map[Name] = Value ?? '';
  return map;
}

function isStatus(value: string | undefined): value is DeviceStatus {
  return (deviceStatuses as readonly (string | undefined)[]).includes(value);
}

/**
 * Cognito's DeviceType → our Device; attribute names are Cognito's (`device_name`, `dev:device_remembered_status`, ...).
 * @param rememberedOnly the answer came from a token-authorized GetDevice/ListDevices, which return remembered
 *   devices only (AWSMobileClientTest.testRememberDevice), so a missing `dev:device_remembered_status` (as in
 *   the ListDevices answer recorded in amplify-js PR #12171) means `remembered`
 */
export function toDevice(device: DeviceType, rememberedOnly: boolean): Device {
  if (!device.DeviceKey) throw malformed('Device without DeviceKey');
  const attributes = attributeMap(device.DeviceAttributes);
  const status = attributes['dev:device_remembered_status'];
  return {
    deviceKey: device.DeviceKey,
    name: attributes.device_name ?? null,
    status: isStatus(status) ? status : rememberedOnly ? 'remembered' : null,
    createdAt: device.DeviceCreateDate?.toISOString() ?? null,
    lastModifiedAt: device.DeviceLastModifiedDate?.toISOString() ?? null,
    lastAuthenticatedAt: device.DeviceLastAuthenticatedDate?.toISOString() ?? null,
    lastIpUsed: attributes.last_ip_used ?? null,
    attributes,
  };
}
