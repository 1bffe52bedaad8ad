// Routes: PUT /devices/{deviceKey}/status, GET /devices, GET /devices/{deviceKey}, DELETE /devices/{deviceKey}, with
// `rememberFor`. Flows: a trust that ends on time and cannot be stretched; the trust expiry and the check after a
// sign-in, run by the scheduler's stand-in.
import {
  GetTokensFromRefreshTokenCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoSignIn, type ConfirmedDevice, DeviceBffClient, type SignInStep } from '../../client/index.js';
import { MAX_TRUSTED_DEVICES } from '../../functions/trust/ends.js';
import { scheduleName } from '../../functions/trust/schedules.js';
import { totpCode } from '../../local/cognito/totp.js';
import { invoke } from '../../local/functions.js';
import { localStageConfig } from '../../local/settings.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { cognitoClient, createTotpUser, PASSWORD } from '../support/local-stack.js';

const TRUST_SECONDS = 3;
const GROUP = 'cognito-device-bff-dev';
const EXPIRY_ARN = 'arn:aws:lambda:eu-west-1:000000000000:function:cognito-device-bff-trust-expiry';
let stack: LocalStack;
let signIn: CognitoSignIn;
let secret = '';
let sub = '';

beforeAll(async () => {
  stack = await startLocalStack({
    config: {
      ...localStageConfig({}),
      deviceTracking: 'opt-in',
      mfa: 'optional',
      rememberFor: `${TRUST_SECONDS}s`,
    },
    region: 'eu-west-1',
    logLevel: 'SILENT',
    functionEnv: { TRUST_CHECK_DELAY_SECONDS: '1' },
  });
  // The scheduler retries a throttled expiry sooner here than the service's back-off, so bursts end within a test.
  stack.scheduler.retryBaseMs = 200;
  ({ secret, sub } = await createTotpUser(stack, 'trusting'));
  signIn = new CognitoSignIn({
    userPoolId: stack.userPoolId,
    clientId: stack.clients.spa,
    endpoint: stack.cognito.url,
  });
});
afterAll(async () => {
  await stack?.close();
});

async function signedIn(device?: ConfirmedDevice) {
  let step: SignInStep = await signIn.signIn({ username: 'trusting', password: PASSWORD, device });
  let askedForMfa = false;
  while (step.kind === 'totpRequired') {
    askedForMfa = true;
    step = await step.answer(totpCode(secret, Date.now()));
  }
  const { tokens } = step;
  const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => tokens.accessToken });
  return { ...step, askedForMfa, bff };
}

/** A new device of the user, confirmed through the BFF (not remembered). */
async function newDevice() {
  const session = await signedIn();
  if (!session.newDevice) throw new Error('expected a new device');
  const { device } = await session.bff.confirmNewDevice(session.newDevice);
  return { session, device };
}

/** Waits, polling, until `check` holds. */
async function until(check: () => Promise<boolean> | boolean, timeoutMs = (TRUST_SECONDS + 5) * 1_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const pending = (deviceKey: string) => stack.scheduler.pending(GROUP).includes(scheduleName(sub, deviceKey));
const expired = () =>
  stack.events.events.filter((e) => e.detailType === 'Device trust expired').map((e) => e.detail.deviceKey);
const endOf = (answer: unknown) => String((answer as { trustEndsAt?: string }).trustEndsAt);

describe('rememberFor: a trust that ends on time', () => {
  it('remembering starts it once: its end is answered and listed, and never moves however often it is remembered', async () => {
    const { session, device } = await newDevice();
    const first = endOf(await session.bff.setDeviceStatus(device.deviceKey, 'remembered'));
    expect(Date.parse(first) - Date.now()).toBeGreaterThan((TRUST_SECONDS - 1) * 1_000);
    expect(pending(device.deviceKey)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // Again, and after stopping: the same end (the review stretched it by remembering every few seconds).
    expect(endOf(await session.bff.setDeviceStatus(device.deviceKey, 'remembered'))).toBe(first);
    await session.bff.setDeviceStatus(device.deviceKey, 'not_remembered');
    expect(endOf(await session.bff.setDeviceStatus(device.deviceKey, 'remembered'))).toBe(first);
    expect((await session.bff.listDevices()).devices).toEqual([
      expect.objectContaining({ deviceKey: device.deviceKey, status: 'remembered', trustEndsAt: first }),
    ]);
    expect((await signedIn(device)).askedForMfa).toBe(false);
  });

  it('when it ends the device is forgotten: its sessions stop refreshing, an old token cannot remember it again, MFA is asked', async () => {
    const { session, device } = await newDevice();
    await session.bff.setDeviceStatus(device.deviceKey, 'remembered');
    const trusted = await signedIn(device);
    expect(trusted.askedForMfa).toBe(false);
    await until(() => expired().includes(device.deviceKey));
    expect(pending(device.deviceKey)).toBe(false);
    const cognito = cognitoClient(stack);
    // The session that sign-in started cannot refresh any more (the device is gone).
    await expect(
      cognito.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: stack.clients.spa,
          RefreshToken: trusted.tokens.refreshToken,
          DeviceKey: device.deviceKey,
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // Its access token, older than the end, cannot give it a new period straight at Cognito.
    await expect(
      cognito.send(
        new UpdateDeviceStatusCommand({
          AccessToken: trusted.tokens.accessToken,
          DeviceKey: device.deviceKey,
          DeviceRememberedStatus: 'remembered',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    // The next sign-in on it: the device is refused, MFA is asked, a new device is made.
    const again = await signedIn(device);
    expect(again.deviceRefused).toBe(true);
    expect(again.askedForMfa).toBe(true);
    expect(again.newDevice?.deviceKey).not.toBe(device.deviceKey);
  });

  it('a device remembered straight at Cognito gets its trust from the check after the sign-in, from its last change', async () => {
    const { session, device } = await newDevice();
    await cognitoClient(stack).send(
      new UpdateDeviceStatusCommand({
        AccessToken: session.tokens.accessToken,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const rememberedAt = Date.now();
    // The next sign-in on it skips MFA (Cognito knows nothing of rememberFor); its trigger schedules the check.
    expect((await signedIn(device)).askedForMfa).toBe(false);
    await until(() => pending(device.deviceKey));
    await until(() => expired().includes(device.deviceKey));
    expect(Date.now() - rememberedAt).toBeLessThan((TRUST_SECONDS + 3) * 1_000);
  });

  it('a remembered device whose record was lost is not given a new period: the read retires it once its time is up', async () => {
    const { session, device } = await newDevice();
    const first = endOf(await session.bff.setDeviceStatus(device.deviceKey, 'remembered'));
    // The record goes (say a leaked role deleted it), and the expiry with it: what the reads do then.
    await stack.scheduler.deleteSchedule(GROUP, scheduleName(sub, device.deviceKey));
    const listed = (await session.bff.listDevices()).devices.find((d) => d.deviceKey === device.deviceKey);
    expect(Date.parse(listed?.trustEndsAt ?? '')).toBeLessThanOrEqual(Date.parse(first));
    await stack.scheduler.deleteSchedule(GROUP, scheduleName(sub, device.deviceKey));
    await new Promise((resolve) => setTimeout(resolve, Date.parse(first) - Date.now() + 200));
    await expect(session.bff.getDevice(device.deviceKey)).rejects.toMatchObject({ status: 404 });
    await until(() => expired().includes(device.deviceKey));
    expect((await session.bff.listDevices()).devices.map((d) => d.deviceKey)).not.toContain(device.deviceKey);
  });

  it('remembering a device whose trust ended while its expiry was failing retires it: 409 trust_ended', async () => {
    stack.scheduler.registerTarget(EXPIRY_ARN, async () => {
      throw new Error('the expiry is down');
    });
    stack.scheduler.retryBaseMs = 60_000;
    try {
      const { session, device } = await newDevice();
      const first = endOf(await session.bff.setDeviceStatus(device.deviceKey, 'remembered'));
      await session.bff.setDeviceStatus(device.deviceKey, 'not_remembered');
      await new Promise((resolve) => setTimeout(resolve, Date.parse(first) - Date.now() + 200));
      await expect(session.bff.setDeviceStatus(device.deviceKey, 'remembered')).rejects.toMatchObject({
        status: 409,
        code: 'trust_ended',
      });
      await until(() => expired().includes(device.deviceKey));
      await expect(
        cognitoClient(stack).send(
          new UpdateDeviceStatusCommand({
            AccessToken: session.tokens.accessToken,
            DeviceKey: device.deviceKey,
            DeviceRememberedStatus: 'remembered',
          }),
        ),
      ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      stack.scheduler.retryBaseMs = 200;
      stack.scheduler.registerTarget(EXPIRY_ARN, invoke('trust-expiry'), { concurrency: 1 });
    }
  });

  it('forgetting a device deletes its record', async () => {
    const { session, device } = await newDevice();
    await session.bff.setDeviceStatus(device.deviceKey, 'remembered');
    expect(pending(device.deviceKey)).toBe(true);
    await session.bff.forgetDevice(device.deviceKey);
    expect(pending(device.deviceKey)).toBe(false);
  });
});

describe('rememberFor: bounded', () => {
  it(`at most ${MAX_TRUSTED_DEVICES} remembered devices a user: one more is 409 too_many_remembered_devices`, async () => {
    const sessions: Array<Awaited<ReturnType<typeof newDevice>>> = [];
    for (let i = 0; i < MAX_TRUSTED_DEVICES + 1; i++) sessions.push(await newDevice());
    // All at once, well within the trust's seconds.
    await Promise.all(
      sessions
        .slice(0, MAX_TRUSTED_DEVICES)
        .map(({ session, device }) => session.bff.setDeviceStatus(device.deviceKey, 'remembered')),
    );
    const last = sessions.at(-1);
    await expect(
      last?.session.bff.setDeviceStatus(last.device.deviceKey, 'remembered'),
    ).rejects.toMatchObject({
      status: 409,
      code: 'too_many_remembered_devices',
    });
    // They all end together: the expiry retires them one at a time, and none is left behind.
    await until(
      () =>
        sessions.slice(0, MAX_TRUSTED_DEVICES).every(({ device }) => expired().includes(device.deviceKey)),
      30_000,
    );
  });

  it('a scheduler that does not answer leaves the date out and says so; the list itself is answered', async () => {
    const { session, device } = await newDevice();
    // Remembered straight at Cognito: no record yet, so the read has to ask the scheduler.
    await cognitoClient(stack).send(
      new UpdateDeviceStatusCommand({
        AccessToken: session.tokens.accessToken,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    stack.scheduler.failing = true;
    try {
      const listed = await session.bff.listDevices();
      expect(listed.devices.find((d) => d.deviceKey === device.deviceKey)).toMatchObject({
        status: 'remembered',
        trustEndsAt: null,
        trustEndsAtUnknown: true,
      });
    } finally {
      stack.scheduler.failing = false;
    }
    // Back up: the next read writes the record down.
    const listed = await session.bff.listDevices();
    expect(listed.devices.find((d) => d.deviceKey === device.deviceKey)).toMatchObject({
      trustEndsAt: expect.any(String),
      trustEndsAtUnknown: false,
    });
  });
});
