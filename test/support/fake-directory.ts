import type { Device, DevicePage, DeviceStatus } from '../../functions/devices/device.js';
import type { DeviceDirectory, DeviceOwner } from '../../functions/devices/directory.js';

type Call = { method: keyof DeviceDirectory; accessToken: string; username: string; args: unknown[] };

export const sampleDevice: Device = {
  deviceKey: 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  name: 'Chrome on macOS',
  status: 'remembered',
  createdAt: '2026-11-01T10:00:00.000Z',
  lastModifiedAt: '2026-11-02T10:00:00.000Z',
  lastAuthenticatedAt: '2026-11-03T10:00:00.000Z',
  lastIpUsed: '203.0.113.7',
  attributes: {
    device_name: 'Chrome on macOS',
    'dev:device_remembered_status': 'remembered',
    device_status: 'valid',
    last_ip_used: '203.0.113.7',
  },
};

/**
 * A typed fake of the Cognito port: records calls and answers canned results, or throws `failWith`.
 * Tests assert on `calls` to prove what did (or did not) reach Cognito.
 */
export class FakeDeviceDirectory implements DeviceDirectory {
  readonly calls: Call[] = [];
  failWith: unknown;
  userConfirmationNecessary = false;
  device: Device = sampleDevice;
  page: DevicePage = { devices: [sampleDevice], nextPageToken: null };

  private record(method: keyof DeviceDirectory, owner: DeviceOwner, ...args: unknown[]) {
    this.calls.push({ method, accessToken: owner.accessToken, username: owner.username, args });
    if (this.failWith !== undefined) throw this.failWith;
  }

  async confirm(owner: DeviceOwner, request: Parameters<DeviceDirectory['confirm']>[1]) {
    this.record('confirm', owner, request);
    return { userConfirmationNecessary: this.userConfirmationNecessary };
  }
  async setStatus(owner: DeviceOwner, deviceKey: string, status: DeviceStatus) {
    this.record('setStatus', owner, deviceKey, status);
  }
  async get(owner: DeviceOwner, deviceKey: string) {
    this.record('get', owner, deviceKey);
    return this.device;
  }
  async list(owner: DeviceOwner, page: Parameters<DeviceDirectory['list']>[1]) {
    this.record('list', owner, page);
    return this.page;
  }
  async forget(owner: DeviceOwner, deviceKey: string) {
    this.record('forget', owner, deviceKey);
  }
  async signOutEverywhere(owner: DeviceOwner) {
    this.record('signOutEverywhere', owner);
  }
}

/** A secret whose values never change (tests and benchmarks that do not exercise rotation). */
export const fixedSecret = (...values: string[]) => ({
  values: async () => values,
  valuesFresh: async () => values,
});
