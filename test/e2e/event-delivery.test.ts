// Routes: POST /devices, PUT /devices/{deviceKey}/status. Flow: device events delivered off the request path when
// the bus hangs or refuses, through the retry queue to the dead-letter queue; names read after the answer.
import { ConfirmDeviceCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDeviceSecretVerifier } from '../../client/index.js';
import { EVENTS_DEAD_LETTER_QUEUE, EVENTS_RETRY_QUEUE, type LocalStack } from '../../local/stack.js';
import { call, cognitoClient, signIn, startTestStack } from '../support/local-stack.js';

/**
 * Events off the request path: a change is answered without waiting for EventBridge, and its events reach the bus
 * afterwards through CloudWatch Logs' subscription and the retry queue; while the bus does not answer or refuses,
 * they wait, and once it takes them again each is delivered (none lost); a bus that refuses longer than the retry
 * queue keeps them leaves them in its dead-letter queue.
 */
let stack: LocalStack;

beforeAll(async () => {
  // A retry queue that gives up after 4 receives a second apart (deployed: a minute apart, for 12 hours).
  stack = await startTestStack('opt-in', { eventRetry: { visibilityTimeoutMs: 1_000, maxReceiveCount: 4 } });
});
afterAll(async () => {
  await stack?.close();
});

/** A device confirmed and remembered through the BFF: two changes, two events; each answer's time. */
async function confirmAndRemember(username: string) {
  const session = await signIn(stack, username);
  const key = session.newDevice?.DeviceKey ?? '';
  const times: number[] = [];
  const timed = async (method: string, path: string, json: unknown, status: number) => {
    const started = performance.now();
    const answer = await call(stack, method, path, { token: session.accessToken, json });
    times.push(performance.now() - started);
    expect(answer.status).toBe(status);
  };
  await timed('POST', '/devices', { deviceKey: key, deviceName: username }, 201);
  await timed('PUT', `/devices/${key}/status`, { status: 'remembered' }, 200);
  return { key, times };
}

const delivered = (key: string) =>
  stack.events.events
    .filter((e) => e.detail.deviceKey === key)
    .map((e) => e.detailType)
    .sort();

it('a bus that does not answer for seconds neither slows a change nor loses its events', async () => {
  const calls = stack.events.calls;
  stack.events.hang = true;
  const hangs = 4_000;
  const released = new Promise((resolve) => setTimeout(resolve, hangs)).then(() => {
    stack.events.hang = false;
  });
  const devices = [];
  for (const name of ['hung-1', 'hung-2', 'hung-3']) devices.push(await confirmAndRemember(name));
  // Every change was answered while the bus answered nothing (its calls were made, and still hang).
  expect(stack.events.hang).toBe(true);
  for (const { times } of devices) for (const time of times) expect(time).toBeLessThan(hangs / 2);
  await released;
  expect(stack.events.calls).toBeGreaterThan(calls);
  await stack.eventsDelivered(30_000);
  for (const { key } of devices) expect(delivered(key)).toEqual(['Device confirmed', 'Device remembered']);
  expect(stack.sqs.bodies(EVENTS_DEAD_LETTER_QUEUE)).toEqual([]);
});

it('a bus that refuses for a while: the events wait in the retry queue, and each arrives once it takes them', async () => {
  stack.events.refuse = 'ThrottlingException';
  let device: Awaited<ReturnType<typeof confirmAndRemember>>;
  try {
    device = await confirmAndRemember('throttled');
    await expect(stack.eventsDelivered(1_500)).rejects.toThrow(/still holds/);
    expect(stack.sqs.bodies(EVENTS_RETRY_QUEUE).length).toBeGreaterThan(0);
    expect(delivered(device.key)).toEqual([]);
  } finally {
    stack.events.refuse = undefined;
  }
  await stack.eventsDelivered();
  expect(delivered(device.key)).toEqual(['Device confirmed', 'Device remembered']);
});

it('a bus that refuses longer than the retry queue keeps them: its dead-letter queue keeps them', async () => {
  stack.events.refuse = 'AccessDeniedException';
  try {
    const { key } = await confirmAndRemember('dead-lettered');
    const kept = async () =>
      stack.sqs
        .bodies(EVENTS_DEAD_LETTER_QUEUE)
        .map((body) => JSON.parse(body) as { type: string; detail: { deviceKey: string } })
        .filter((event) => event.detail.deviceKey === key)
        .map((event) => event.type)
        .sort();
    const deadline = Date.now() + 20_000;
    while ((await kept()).length < 2 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await kept()).toEqual(['Device confirmed', 'Device remembered']);
    expect(stack.sqs.bodies(EVENTS_RETRY_QUEUE)).toEqual([]);
    expect(delivered(key)).toEqual([]);
  } finally {
    stack.events.refuse = undefined;
  }
});

it("the device's name is read after the answer: a change makes its one Cognito call, and a name Cognito throttles arrives later", async () => {
  // Confirmed by the app's sign-in library, straight at Cognito (as Amplify does): the delivery has not met it.
  const session = await signIn(stack, 'named-later');
  const meta = session.newDevice;
  if (!meta) throw new Error('expected a new device');
  const { devicePassword: _secret, ...verifier } = createDeviceSecretVerifier(
    meta.DeviceKey,
    meta.DeviceGroupKey,
  );
  await cognitoClient(stack).send(
    new ConfirmDeviceCommand({
      AccessToken: session.accessToken,
      DeviceKey: meta.DeviceKey,
      DeviceName: 'Work laptop',
      DeviceSecretVerifierConfig: { PasswordVerifier: verifier.passwordVerifier, Salt: verifier.salt },
    }),
  );
  const key = meta.DeviceKey;
  const operations: string[] = [];
  const stop = stack.cognito.onCall((operation) => operations.push(operation));
  stack.cognito.faults.inject({ kind: 'throttle', operation: 'AdminGetDevice', times: 2 });
  try {
    const answer = await call(stack, 'PUT', `/devices/${key}/status`, {
      token: session.accessToken,
      json: { status: 'remembered' },
    });
    expect(answer.status).toBe(200);
    // The request's own call only; the name is read by the delivery (throttled twice, then answered).
    expect(operations).toEqual(['UpdateDeviceStatus']);
    await stack.eventsDelivered(15_000);
    expect(operations.filter((o) => o === 'AdminGetDevice')).toHaveLength(3);
    // Met once, its name is known: the next change of that device asks Cognito nothing more.
    await call(stack, 'PUT', `/devices/${key}/status`, {
      token: session.accessToken,
      json: { status: 'not_remembered' },
    });
    await stack.eventsDelivered();
    expect(operations.filter((o) => o === 'AdminGetDevice')).toHaveLength(3);
  } finally {
    stop();
    stack.cognito.faults.clear();
  }
  expect(
    stack.events.events
      .filter((e) => e.detail.deviceKey === key)
      .map((e) => [e.detailType, e.detail.deviceName]),
  ).toEqual([
    ['Device remembered', 'Work laptop'],
    ['Device no longer remembered', 'Work laptop'],
  ]);
});
