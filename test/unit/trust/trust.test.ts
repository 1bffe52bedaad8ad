// functions/trust: the rule of when trust ends, the expiry and the check after a sign-in, with typed fakes of their
// ports (Cognito's admin calls, the records in EventBridge Scheduler, the event bus).
import { describe, expect, it } from 'vitest';
import type { TrustAdmin } from '../../../functions/cognito/trust-admin.js';
import type { Device } from '../../../functions/devices/device.js';
import type { DeviceEvent, EventPublisher } from '../../../functions/events/device-event.js';
import { flexibleWindowMinutes, MAX_TRUSTED_DEVICES, trustEnd } from '../../../functions/trust/ends.js';
import { makeTrustExpiry } from '../../../functions/trust/expiry.js';
import {
  scheduleName,
  type TrustOwner,
  type TrustRecordList,
  type TrustSchedules,
} from '../../../functions/trust/schedules.js';
import { makeTrustCheck } from '../../../functions/trust/sign-in-check.js';
import { RecordingLog } from '../../support/recording-log.js';

const DAY = 86_400;
const NOW = Date.parse('2026-12-04T12:00:00Z');
const POOL = 'eu-west-1_Pool12345';
const iso = (ms: number) => new Date(ms).toISOString();

describe('trustEnd', () => {
  it('is rememberFor after the earlier of the record and the device’s last change', () => {
    expect(trustEnd(DAY, NOW, iso(NOW + 5_000)).toISOString()).toBe(iso(NOW + DAY * 1_000));
    expect(trustEnd(DAY, NOW, iso(NOW - 3_600_000)).toISOString()).toBe(iso(NOW - 3_600_000 + DAY * 1_000));
    expect(trustEnd(DAY, undefined, iso(NOW)).toISOString()).toBe(iso(NOW + DAY * 1_000));
    expect(trustEnd(DAY, NOW, null).toISOString()).toBe(iso(NOW + DAY * 1_000));
  });

  it('spreads expiries over a tenth of the trust, at most 15 minutes, none below 10 minutes', () => {
    expect(flexibleWindowMinutes(30 * DAY)).toBe(15);
    expect(flexibleWindowMinutes(3_600)).toBe(6);
    expect(flexibleWindowMinutes(599)).toBe(0);
  });
});

/** Cognito as the trust functions see it: one user, their devices, and what was done to them. */
class FakeAdmin implements TrustAdmin {
  readonly users = new Map<string, { sub: string; devices: Map<string, Device> }>();
  readonly forgotten: string[] = [];
  readonly unremembered: string[] = [];
  async subOf(_pool: string, username: string) {
    return this.users.get(username)?.sub;
  }
  async device(_pool: string, username: string, key: string) {
    return this.users.get(username)?.devices.get(key);
  }
  async devices(_pool: string, username: string) {
    return [...(this.users.get(username)?.devices.values() ?? [])];
  }
  async forget(_pool: string, username: string, key: string) {
    const had = this.users.get(username)?.devices.delete(key) ?? false;
    if (had) this.forgotten.push(key);
    return had;
  }
  async notRemembered(_pool: string, username: string, key: string) {
    const device = this.users.get(username)?.devices.get(key);
    if (device) this.users.get(username)?.devices.set(key, { ...device, status: 'not_remembered' });
    this.unremembered.push(key);
  }
}

/** Records of trust, by schedule name: when each was written down. */
class FakeRecords implements TrustSchedules, TrustRecordList {
  readonly rememberForSeconds = DAY;
  readonly records = new Map<string, number>();
  async recordedAt(owner: TrustOwner, key: string) {
    return this.records.get(scheduleName(owner.sub, key));
  }
  async record(owner: TrustOwner, device: { deviceKey: string }) {
    const name = scheduleName(owner.sub, device.deviceKey);
    const at = this.records.get(name) ?? NOW;
    this.records.set(name, at);
    return at;
  }
  async forget(owner: TrustOwner, key: string) {
    this.records.delete(scheduleName(owner.sub, key));
  }
  async forgetNamed(name: string) {
    this.records.delete(name);
  }
  async list(owner: TrustOwner) {
    return new Map(
      [...this.records].filter(([name]) => name.startsWith(scheduleName(owner.sub, '').slice(0, 23))),
    );
  }
}

class RecordingEvents implements EventPublisher {
  readonly published: DeviceEvent[] = [];
  async publish(events: readonly DeviceEvent[]) {
    this.published.push(...events);
  }
}

const device = (key: string, overrides: Partial<Device> = {}): Device => ({
  deviceKey: key,
  name: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  status: 'remembered',
  createdAt: iso(NOW - 40 * DAY * 1_000),
  lastModifiedAt: iso(NOW - 40 * DAY * 1_000),
  lastAuthenticatedAt: iso(NOW - DAY * 1_000),
  lastIpUsed: null,
  attributes: {},
  ...overrides,
});

function world() {
  const cognito = new FakeAdmin();
  const trust = new FakeRecords();
  const events = new RecordingEvents();
  const log = new RecordingLog();
  cognito.users.set('ada', { sub: 'sub-ada', devices: new Map() });
  const add = (d: Device) => cognito.users.get('ada')?.devices.set(d.deviceKey, d);
  return { cognito, trust, events, log, add };
}

describe('the trust expiry', () => {
  const input = (key: string, sub = 'sub-ada') => ({
    userPoolId: POOL,
    username: 'ada',
    sub,
    deviceKey: key,
    deviceName: 'forged name',
  });

  it('forgets a device whose trust is over, deletes its record and says so, with Cognito’s name for it', async () => {
    const w = world();
    w.add(device('k1'));
    w.trust.records.set(scheduleName('sub-ada', 'k1'), NOW - 31 * DAY * 1_000);
    await makeTrustExpiry({ ...w, now: () => NOW })(input('k1'));
    expect(w.cognito.forgotten).toEqual(['k1']);
    expect(w.trust.records.size).toBe(0);
    expect(w.events.published).toEqual([
      expect.objectContaining({
        type: 'Device trust expired',
        detail: expect.objectContaining({ sub: 'sub-ada', deviceKey: 'k1', deviceName: 'Chrome on macOS' }),
      }),
    ]);
  });

  it('leaves alone a schedule whose input Cognito does not confirm: another sub, no record, trust not over', async () => {
    const w = world();
    w.add(device('k1', { lastModifiedAt: iso(NOW - 1_000) }));
    const expiry = makeTrustExpiry({ ...w, now: () => NOW });
    // Naming another user's sub, as a forged schedule would.
    w.trust.records.set(scheduleName('sub-ada', 'k1'), NOW - 31 * DAY * 1_000);
    await expiry(input('k1', 'sub-mallory'));
    // No record under the real user's name.
    w.trust.records.clear();
    await expiry(input('k1'));
    // A record made now: its trust ends in a day.
    w.trust.records.set(scheduleName('sub-ada', 'k1'), NOW);
    await expiry(input('k1'));
    expect(w.cognito.forgotten).toEqual([]);
    expect(w.events.published).toEqual([]);
    expect(w.log.entries.map((e) => e.extra.outcome)).toEqual(['not this user', 'no record', 'not yet']);
    // Nothing the input said was logged.
    expect(w.log.text()).not.toMatch(/sub-mallory|forged name|"ada"/);
  });

  it('a device already gone: its record goes, nothing is forgotten or published', async () => {
    const w = world();
    w.trust.records.set(scheduleName('sub-ada', 'gone'), NOW - 31 * DAY * 1_000);
    await makeTrustExpiry({ ...w, now: () => NOW })(input('gone'));
    expect(w.trust.records.size).toBe(0);
    expect(w.cognito.forgotten).toEqual([]);
    expect(w.events.published).toEqual([]);
  });
});

describe('the check after a sign-in', () => {
  const run = (w: ReturnType<typeof world>, sub = 'sub-ada') =>
    makeTrustCheck({ ...w, now: () => NOW })({ userPoolId: POOL, username: 'ada', sub });

  it('writes down the trust of a device remembered without the API, and retires one past it', async () => {
    const w = world();
    w.add(device('fresh', { lastModifiedAt: iso(NOW - 60_000) }));
    w.add(device('old'));
    await run(w);
    expect([...w.trust.records.keys()]).toEqual([scheduleName('sub-ada', 'fresh')]);
    expect(w.cognito.forgotten).toEqual(['old']);
    expect(w.events.published.map((e) => [e.type, e.detail.deviceKey])).toEqual([
      ['Device trust expired', 'old'],
    ]);
  });

  it(`keeps at most ${MAX_TRUSTED_DEVICES} remembered, those signed in longest ago no longer remembered`, async () => {
    const w = world();
    for (let i = 0; i < MAX_TRUSTED_DEVICES + 3; i++) {
      w.add(
        device(`k${i}`, { lastModifiedAt: iso(NOW - 60_000), lastAuthenticatedAt: iso(NOW - i * 3_600_000) }),
      );
    }
    await run(w);
    expect(w.cognito.unremembered.sort()).toEqual(
      [`k${MAX_TRUSTED_DEVICES}`, `k${MAX_TRUSTED_DEVICES + 1}`, `k${MAX_TRUSTED_DEVICES + 2}`].sort(),
    );
    expect(w.trust.records.size).toBe(MAX_TRUSTED_DEVICES);
  });

  it('deletes the records of devices that are gone, so they never fire', async () => {
    const w = world();
    w.add(device('kept', { lastModifiedAt: iso(NOW - 60_000) }));
    w.trust.records.set(scheduleName('sub-ada', 'kept'), NOW - 60_000);
    for (let i = 0; i < 5; i++) w.trust.records.set(scheduleName('sub-ada', `forgotten-elsewhere-${i}`), NOW);
    await run(w);
    expect([...w.trust.records.keys()]).toEqual([scheduleName('sub-ada', 'kept')]);
  });

  it('does nothing for a sub Cognito does not give that user', async () => {
    const w = world();
    w.add(device('old'));
    await run(w, 'sub-mallory');
    expect(w.cognito.forgotten).toEqual([]);
    expect(w.trust.records.size).toBe(0);
  });
});
