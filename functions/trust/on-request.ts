import type { Principal } from '../auth/authenticator.js';
import type { Device } from '../devices/device.js';
import type { DeviceDirectory } from '../devices/directory.js';
import { displayName } from '../devices/names/display-name.js';
import type { DeviceChange } from '../events/device-event.js';
import type { Log } from '../observability.js';
import { MAX_TRUSTED_DEVICES, trustEnd } from './ends.js';
import type { TrustSchedules } from './schedules.js';

/** Remembered devices whose trust a request reads at most at once (each one GetSchedule, unless cached). */
const READ_CONCURRENCY = 5;
/** Devices found remembered without a record that one request writes down at most; the rest at a later read. */
const RECORDS_PER_REQUEST = 5;

export interface TrustOnRead {
  /** The end of trust of each remembered device that has one, by key. */
  readonly ends: Map<string, Date>;
  /** Remembered devices whose trust has ended: the action retires them (see {@link retire}). */
  readonly ended: Device[];
  /** Some ends could not be read (the scheduler failed or was slow, or the page had more than the limit). */
  readonly unavailable: boolean;
}

/**
 * What a read (GET /devices, GET /devices/{deviceKey}) learns of the remembered devices' trust: when it ends, and which
 * devices are past it. A device found remembered without a record (remembered straight at Cognito) is written down
 * now, from its last change at the latest. The cost is bounded whatever the user did: one GetSchedule per remembered
 * device (none once this process has read it), at most {@link MAX_TRUSTED_DEVICES} of them, a few records written. A
 * scheduler that fails leaves the dates out and says so (`unavailable`); it never fails the read.
 */
export async function trustOnRead(
  trust: TrustSchedules | undefined,
  principal: Principal,
  devices: readonly Device[],
  log: Log,
): Promise<TrustOnRead> {
  const ends = new Map<string, Date>();
  const ended: Device[] = [];
  const remembered = devices.filter((d) => d.status === 'remembered');
  if (!trust || remembered.length === 0) return { ends, ended, unavailable: false };
  const read = remembered.slice(0, MAX_TRUSTED_DEVICES);
  let unavailable = read.length < remembered.length;
  let records = 0;
  const now = Date.now();
  const one = async (device: Device) => {
    try {
      let recordedAt = await trust.recordedAt(principal, device.deviceKey);
      if (recordedAt === undefined) {
        const end = trustEnd(trust.rememberForSeconds, undefined, device.lastModifiedAt);
        if (end.getTime() <= now) {
          ended.push(device);
          return;
        }
        if (records >= RECORDS_PER_REQUEST) {
          ends.set(device.deviceKey, end);
          return;
        }
        records++;
        recordedAt = await trust.record(principal, {
          deviceKey: device.deviceKey,
          deviceName: displayName(device.name),
          lastModifiedAt: device.lastModifiedAt,
        });
      }
      const end = trustEnd(trust.rememberForSeconds, recordedAt, device.lastModifiedAt);
      if (end.getTime() <= now) ended.push(device);
      else ends.set(device.deviceKey, end);
    } catch (error) {
      unavailable = true;
      log.warn('trust not read; the device is answered without its end of trust', { error });
    }
  };
  for (let i = 0; i < read.length; i += READ_CONCURRENCY) {
    await Promise.all(read.slice(i, i + READ_CONCURRENCY).map(one));
  }
  return { ends, ended, unavailable };
}

/**
 * Retires devices whose trust has ended, as the expiry would have: each is forgotten (with the caller's own token:
 * its refresh tokens stop working and its next sign-in asks for MFA and makes a new device), then its record goes.
 * Returns the changes to publish, `Device trust expired`, and the keys retired.
 */
export async function retire(
  trust: TrustSchedules | undefined,
  principal: Principal,
  directory: DeviceDirectory,
  devices: ReadonlyArray<Pick<Device, 'deviceKey' | 'name' | 'status'>>,
  log: Log,
): Promise<{ changes: DeviceChange[]; retired: Set<string> }> {
  const changes: DeviceChange[] = [];
  const retired = new Set<string>();
  for (const device of devices) {
    try {
      await directory.forget(principal, device.deviceKey, { status: device.status });
    } catch (error) {
      log.warn('a device past its trust was not forgotten; its expiry or the next read retires it', {
        error,
      });
      continue;
    }
    retired.add(device.deviceKey);
    changes.push({
      type: 'Device trust expired',
      deviceKey: device.deviceKey,
      deviceName: displayName(device.name),
    });
    await endTrust(trust, principal, [device.deviceKey], log);
  }
  return { changes, retired };
}

/**
 * A forgotten device's record goes with it. A failure there does not fail the change the user asked for: the record
 * fires anyway, and the expiry finds the device gone.
 */
export async function endTrust(
  trust: TrustSchedules | undefined,
  principal: Principal,
  deviceKeys: readonly string[],
  log: Log,
): Promise<void> {
  if (!trust) return;
  for (const deviceKey of deviceKeys) {
    try {
      await trust.forget(principal, deviceKey);
    } catch (error) {
      log.warn('trust schedule not deleted; its expiry will find the device gone', { error });
    }
  }
}
