import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../../functions/auth/authenticator.js';
import {
  type ForgetOthersLimits,
  makeForgetOtherDevices,
} from '../../../../functions/devices/actions/forget-other-devices.js';
import type { Device } from '../../../../functions/devices/device.js';
import type { DeviceDirectory, DeviceOwner } from '../../../../functions/devices/directory.js';
import { UpstreamTimeoutError } from '../../../../functions/errors.js';
import { createRouteHandler } from '../../../../functions/http/route-handler.js';
import { routes } from '../../../../functions/routes.js';
import { httpEvent } from '../../../support/events.js';
import { sampleDevice } from '../../../support/fake-directory.js';
import { FakePasskeyDirectory } from '../../../support/fake-passkeys.js';
import { createTestVerifier } from '../../../support/harness.js';
import { RecordingLog, RecordingMetrics } from '../../../support/recording-log.js';
import { KEY, routeHarness } from '../../../support/route-harness.js';
import { accessClaims, CLIENT_ID, createSigningKey, signRs256 } from '../../../support/tokens.js';

/** For the route's own answers, through the API's route handler. */
const h = routeHarness();

const key = createSigningKey();
const CURRENT = 'eu-west-1_00000000-0000-4000-8000-000000000000';
const token = signRs256(key, accessClaims({ device_key: CURRENT }));
const keyOf = (i: number) => `eu-west-1_${String(i).padStart(8, '0')}-0000-4000-8000-000000000001`;

/**
 * A user's devices behind the DeviceDirectory port, paged by 60 like Cognito, answering after `delayMs`, refusing
 * to start a call once the caller's signal fired and stopping one in flight when it fires (as the Cognito adapter
 * does with the SDK's abort signal). Records every call.
 */
class PagedDirectory implements DeviceDirectory {
  readonly calls: Array<{ method: string; at: number }> = [];
  devices: string[];
  /** Pagination token handed out whatever the page: a Cognito that repeats itself. */
  repeatToken: string | undefined;

  constructor(
    count: number,
    private readonly delayMs = 0,
  ) {
    this.devices = [CURRENT, ...Array.from({ length: count }, (_, i) => keyOf(i))];
  }

  private async step(method: string, owner: DeviceOwner) {
    if (owner.signal?.aborted) throw new UpstreamTimeoutError({ code: 'timeout', detail: 'answered' });
    this.calls.push({ method, at: performance.now() });
    if (this.delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, this.delayMs);
        owner.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new UpstreamTimeoutError({ code: 'timeout', detail: 'aborted' }));
        });
      });
    }
  }

  count(method: string) {
    return this.calls.filter((c) => c.method === method).length;
  }

  async list(owner: DeviceOwner, page: { limit?: number; pageToken?: string }) {
    await this.step('list', owner);
    const start = this.repeatToken ? 0 : Number(page.pageToken ?? 0);
    const slice = this.devices.slice(start, start + (page.limit ?? 60));
    const more = start + (page.limit ?? 60) < this.devices.length;
    return {
      devices: slice.map((deviceKey): Device => ({ ...sampleDevice, deviceKey })),
      nextPageToken: this.repeatToken ?? (more ? String(start + (page.limit ?? 60)) : null),
    };
  }

  async forget(owner: DeviceOwner, deviceKey: string) {
    await this.step('forget', owner);
    this.devices = this.devices.filter((d) => d !== deviceKey);
  }

  async confirm(): Promise<never> {
    throw new Error('not used');
  }
  async setStatus(): Promise<never> {
    throw new Error('not used');
  }
  async get(): Promise<never> {
    throw new Error('not used');
  }
  async signOutEverywhere(): Promise<never> {
    throw new Error('not used');
  }
}

const LIMITS: ForgetOthersLimits = { ratePerSecond: 1_000, maxForgets: 10, maxPages: 3, budgetMs: 4_000 };

/** The route's real Middy handler; `remainingMs` is the Lambda deadline the context reports. */
async function forgetOthers(directory: DeviceDirectory, limits = LIMITS, remainingMs = 10_000) {
  const handler = createRouteHandler(routes.forgetOtherDevices, makeForgetOtherDevices(limits), {
    authenticator: createAuthenticator(createTestVerifier(key), [CLIENT_ID]),
    directory,
    passkeys: new FakePasskeyDirectory(),
    log: new RecordingLog(),
    metrics: new RecordingMetrics(),
  });
  const deadline = Date.now() + remainingMs;
  const started = performance.now();
  const res = await handler(
    httpEvent({
      method: 'POST',
      path: '/devices/forget-others',
      headers: { authorization: `Bearer ${token}` },
    }),
    { getRemainingTimeInMillis: () => deadline - Date.now() } as Context,
  );
  return {
    res,
    body: JSON.parse(String(res.body)),
    ms: performance.now() - started,
    answeredAt: performance.now(),
  };
}

describe('forget-others: one call costs Cognito a bounded amount, whatever the user has', () => {
  it('3,000 devices: one page listed, 10 forgotten, one page checked; incomplete, with a lower bound of what remains', async () => {
    const directory = new PagedDirectory(3_000);
    const { res, body } = await forgetOthers(directory);
    expect(res.statusCode).toBe(200);
    // The check's page holds this device and 59 others: at least 59 remain.
    expect(body).toEqual({ forgotten: 10, remaining: 59, complete: false, keptDeviceKey: CURRENT });
    expect(directory.count('list')).toBe(2);
    expect(directory.count('forget')).toBe(10);
  });

  it('never lists more than maxPages pages to find devices to forget', async () => {
    const directory = new PagedDirectory(3_000);
    await forgetOthers(directory, { ...LIMITS, maxForgets: 1_000 });
    // 3 pages to find them, then the one-page check.
    expect(directory.count('list')).toBe(4);
    expect(directory.count('forget')).toBe(179);
  });

  it('a pagination token Cognito repeats ends the listing instead of paging forever', async () => {
    const directory = new PagedDirectory(0);
    directory.repeatToken = 'same-token';
    const { body } = await forgetOthers(directory, { ...LIMITS, maxPages: 50 });
    expect(body).toMatchObject({ forgotten: 0, complete: false });
    expect(directory.count('list')).toBe(3);
  });

  it('stays within its time budget and answers complete: false, not 504', async () => {
    const directory = new PagedDirectory(3_000, 100);
    const { res, body, ms } = await forgetOthers(directory, {
      ...LIMITS,
      maxForgets: 1_000,
      budgetMs: 1_500,
    });
    expect(res.statusCode).toBe(200);
    expect(body.complete).toBe(false);
    expect(ms).toBeLessThan(1_500 + 200);
  });

  it('the budget holds for a Cognito call in flight too: a slow call is stopped, not waited for', async () => {
    // Every call takes 3 s: the search's list finishes, the first forget is stopped at the check's reserve, and
    // the check itself at the end of the budget. With the full view a forget is two calls, so this is its worst case.
    const directory = new PagedDirectory(100, 3_000);
    const { res, body, ms } = await forgetOthers(directory, { ...LIMITS, budgetMs: 4_000 });
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ forgotten: 0, complete: false });
    expect(body.remaining).toBeGreaterThan(0);
    expect(ms).toBeLessThan(4_000 + 300);
    expect(directory.calls.map((c) => c.method)).toEqual(['list', 'forget', 'list']);
  });

  it('near the Lambda deadline: its calls stop in time, it answers 200 before Middy would 504, nothing starts after', async () => {
    const directory = new PagedDirectory(3_000, 2_000);
    const { res, body, ms, answeredAt } = await forgetOthers(
      directory,
      { ...LIMITS, maxForgets: 1_000, budgetMs: 60_000 },
      1_200,
    );
    // The Lambda deadline (less Middy's 500 ms margin) bounds the budget: the search's list is stopped before the
    // check's reserve, the check before the deadline.
    expect(res.statusCode).toBe(200);
    expect(body).toMatchObject({ forgotten: 0, complete: false });
    expect(ms).toBeLessThan(1_200 - 400);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(directory.calls.filter((c) => c.at > answeredAt)).toEqual([]);
    expect(directory.calls.map((c) => c.method)).toEqual(['list', 'list']);
  });
});

describe('POST /devices/forget-others', () => {
  const other = { ...sampleDevice, deviceKey: 'eu-west-1_11111111-2222-4333-8444-555555555555' };
  const forgetEvent = (token: string) =>
    httpEvent({
      method: 'POST',
      path: '/devices/forget-others',
      headers: { authorization: `Bearer ${token}` },
    });

  it('forgets every device but the one the verified token names, and counts again what remains', async () => {
    h.directory.page = { devices: [sampleDevice, other], nextPageToken: null };
    const res = await h.invoke(
      'forgetOtherDevices',
      forgetEvent(signRs256(h.key, accessClaims({ device_key: KEY }))),
    );
    expect(h.directory.calls.filter((c) => c.method === 'forget').map((c) => c.args)).toEqual([
      [other.deviceKey],
    ]);
    // The fake still lists both afterwards: the answer says so instead of claiming success.
    expect(JSON.parse(String(res.body))).toEqual({
      forgotten: 1,
      remaining: 1,
      complete: false,
      keptDeviceKey: KEY,
    });
  });

  it('a token naming no device keeps none: every listed device is another', async () => {
    h.directory.page = { devices: [sampleDevice, other], nextPageToken: null };
    const res = await h.invoke('forgetOtherDevices', forgetEvent(h.token));
    expect(h.directory.calls.filter((c) => c.method === 'forget').map((c) => c.args)).toEqual([
      [KEY],
      [other.deviceKey],
    ]);
    expect(JSON.parse(String(res.body))).toMatchObject({ forgotten: 2, keptDeviceKey: null });
  });
});
