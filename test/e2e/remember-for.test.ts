import { UpdateDeviceStatusCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CognitoSignIn, type ConfirmedDevice, DeviceBffClient, type SignInStep } from '../../client/index.js';
import { checkName } from '../../functions/trust/checks.js';
import { scheduleName } from '../../functions/trust/schedules.js';
import { totpCode } from '../../local/cognito/totp.js';
import { localStageConfig } from '../../local/settings.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { cognitoClient, createTotpUser, PASSWORD } from '../support/local-stack.js';

/**
 * `rememberFor` end to end on the local stack, with a 3-second trust: a remembered device goes back to not
 * remembered on time (the scheduler's stand-in fires its schedule, the trust-expiry function un-remembers it),
 * whether or not the app is open, and MFA is asked again; remembering again renews it; a device remembered without
 * the BFF gets its end of trust from the check after the sign-in.
 */
const TRUST_SECONDS = 3;
const GROUP = 'cognito-device-bff-dev';
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
  const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => tokens.accessToken });
  const { tokens } = step;
  return { ...step, askedForMfa, bff };
}

/** Waits, polling, until `check` holds (the scheduler fires within its second). */
async function until(check: () => Promise<boolean> | boolean, timeoutMs = (TRUST_SECONDS + 4) * 1_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('rememberFor', () => {
  let device: ConfirmedDevice;

  it('remembering starts the trust: its end is answered and listed, and the device skips MFA meanwhile', async () => {
    const first = await signedIn();
    expect(first.askedForMfa).toBe(true);
    if (!first.newDevice) throw new Error('expected a new device');
    ({ device } = await first.bff.confirmNewDevice(first.newDevice));
    const before = Date.now();
    const remembered = await first.bff.setDeviceStatus(device.deviceKey, 'remembered');
    const ends = Date.parse(String((remembered as { trustEndsAt?: string }).trustEndsAt));
    expect(ends - before).toBeGreaterThan((TRUST_SECONDS - 1) * 1_000);
    expect(ends - before).toBeLessThanOrEqual((TRUST_SECONDS + 1) * 1_000);
    expect((await first.bff.listDevices()).devices).toEqual([
      expect.objectContaining({
        deviceKey: device.deviceKey,
        status: 'remembered',
        trustEndsAt: new Date(ends).toISOString(),
      }),
    ]);
    expect(stack.scheduler.pending(GROUP)).toContain(scheduleName(sub, device.deviceKey));
    expect((await signedIn(device)).askedForMfa).toBe(false);
  });

  it('when the trust ends, the device is not remembered any more and MFA is asked again, the app closed all along', async () => {
    await until(() => !stack.scheduler.pending(GROUP).includes(scheduleName(sub, device.deviceKey)));
    const expired = stack.events.events.filter((e) => e.detailType === 'Device trust expired');
    expect(expired.map((e) => e.detail)).toEqual([
      expect.objectContaining({ sub, deviceKey: device.deviceKey, sourceIp: null, userAgent: null }),
    ]);
    const again = await signedIn(device);
    expect(again.askedForMfa).toBe(true);
    expect(again.newDevice).toBeUndefined();
    // Remembering again renews it.
    const renewed = await again.bff.setDeviceStatus(device.deviceKey, 'remembered');
    expect(Date.parse(String((renewed as { trustEndsAt?: string }).trustEndsAt))).toBeGreaterThan(Date.now());
    // Stopping remembering ends the schedule with it.
    await again.bff.setDeviceStatus(device.deviceKey, 'not_remembered');
    expect(stack.scheduler.pending(GROUP)).not.toContain(scheduleName(sub, device.deviceKey));
  });

  it('a device remembered without the BFF (straight to Cognito with the token) loses its trust too', async () => {
    const session = await signedIn(device);
    // As an app calling Cognito itself would (Amplify's rememberDevice), or anyone holding the token.
    await cognitoClient(stack).send(
      new UpdateDeviceStatusCommand({
        AccessToken: session.tokens.accessToken,
        DeviceKey: device.deviceKey,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    // The next sign-in on it skips MFA, and its trigger schedules the check that finds the device.
    const trusted = await signedIn(device);
    expect(trusted.askedForMfa).toBe(false);
    expect(stack.scheduler.pending(GROUP)).toContain(checkName(sub));
    await until(() => stack.scheduler.pending(GROUP).includes(scheduleName(sub, device.deviceKey)));
    await until(() => !stack.scheduler.pending(GROUP).includes(scheduleName(sub, device.deviceKey)));
    expect((await signedIn(device)).askedForMfa).toBe(true);
  });

  it('forgetting a remembered device deletes its schedule', async () => {
    const session = await signedIn(device);
    await session.bff.setDeviceStatus(device.deviceKey, 'remembered');
    expect(stack.scheduler.pending(GROUP)).toContain(scheduleName(sub, device.deviceKey));
    await session.bff.forgetDevice(device.deviceKey);
    expect(stack.scheduler.pending(GROUP)).not.toContain(scheduleName(sub, device.deviceKey));
  });
});
