// Routes: every device route, through the client package's DeviceBffClient. Flow: typed results and problem errors;
// the client's device verifier proves the device at a later sign-in (DEVICE_SRP_AUTH).
import {
  AuthenticationDetails,
  CognitoUser,
  CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  ConflictError,
  createDeviceSecretVerifier,
  DeviceBffClient,
  InvalidRequestError,
  NotFoundError,
  StaleDeviceKeyError,
  UnauthenticatedError,
} from '../../client/index.js';
import type { LocalStack } from '../../local/stack.js';
import { onApiCall, PASSWORD, type SignedIn, signIn, startTestStack } from '../support/local-stack.js';

let stack: LocalStack;
let user: SignedIn;
let client: DeviceBffClient;

beforeAll(async () => {
  stack = await startTestStack('opt-in');
  user = await signIn(stack, 'client-user');
  client = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => user.accessToken });
});
afterAll(async () => {
  await stack?.close();
});

it('runs every route with typed results and typed problem errors', async () => {
  const metadata = user.newDevice;
  if (!metadata) throw new Error('expected NewDeviceMetadata');
  const secret = createDeviceSecretVerifier(metadata.DeviceKey, metadata.DeviceGroupKey);
  const { devicePassword: _kept, ...verifier } = secret;
  await expect(
    client.confirmDevice({
      deviceKey: metadata.DeviceKey,
      deviceName: 'Client test',
      deviceSecretVerifierConfig: verifier,
    }),
  ).resolves.toEqual({ deviceKey: metadata.DeviceKey, userConfirmationNecessary: true });
  await expect(client.setDeviceStatus(metadata.DeviceKey, 'remembered')).resolves.toEqual({
    deviceKey: metadata.DeviceKey,
    status: 'remembered',
    // This stage does not limit trust (rememberFor).
    trustEndsAt: null,
  });
  expect(await client.getDevice(metadata.DeviceKey)).toMatchObject({
    name: 'Client test',
    status: 'remembered',
  });
  expect((await client.listDevices({ limit: 5 })).devices.map((d) => d.deviceKey)).toEqual([
    metadata.DeviceKey,
  ]);

  const invalid = await client.confirmDevice({ deviceKey: 'nope' }).catch((e: unknown) => e);
  expect(invalid).toBeInstanceOf(InvalidRequestError);
  expect(invalid).toMatchObject({
    status: 400,
    code: 'invalid_request',
    problem: { invalidParams: [{ name: '/deviceKey' }] },
  });

  const renamed = await client
    .confirmDevice({ deviceKey: metadata.DeviceKey, deviceName: 'Renamed' })
    .catch((e: unknown) => e);
  expect(renamed).toBeInstanceOf(ConflictError);
  expect(renamed).toMatchObject({ status: 409, code: 'device_key_exists' });

  await client.forgetDevice(metadata.DeviceKey);
  const stale = await client.confirmDevice({ deviceKey: metadata.DeviceKey }).catch((e: unknown) => e);
  expect(stale).toBeInstanceOf(StaleDeviceKeyError);
  expect(stale).toBeInstanceOf(InvalidRequestError);
  expect(stale).toMatchObject({ status: 400, code: 'stale_device_key' });
  const gone = await client.getDevice(metadata.DeviceKey).catch((e: unknown) => e);
  expect(gone).toBeInstanceOf(NotFoundError);
  expect(gone).toMatchObject({ status: 404, code: 'device_not_found' });

  const anonymous = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => 'not-a-token' });
  await expect(anonymous.listDevices()).rejects.toBeInstanceOf(UnauthenticatedError);
});

it('its device verifier signs the device in later with DEVICE_SRP_AUTH', async () => {
  const fresh = await signIn(stack, 'client-user');
  const metadata = fresh.newDevice;
  if (!metadata) throw new Error('expected NewDeviceMetadata');
  const secret = createDeviceSecretVerifier(metadata.DeviceKey, metadata.DeviceGroupKey);
  const bff = new DeviceBffClient({ baseUrl: stack.api.url, accessToken: () => fresh.accessToken });
  await bff.confirmDevice({
    deviceKey: metadata.DeviceKey,
    deviceSecretVerifierConfig: { passwordVerifier: secret.passwordVerifier, salt: secret.salt },
  });

  // amazon-cognito-identity-js keeps a device in its storage under these keys; give it ours.
  const prefix = `CognitoIdentityServiceProvider.${stack.clients.spa}.client-user`;
  const memory = new Map<string, string>([
    [`${prefix}.deviceKey`, metadata.DeviceKey],
    [`${prefix}.deviceGroupKey`, metadata.DeviceGroupKey],
    [`${prefix}.randomPasswordKey`, secret.devicePassword],
  ]);
  const storage = {
    getItem: (k: string) => memory.get(k) ?? null,
    setItem: (k: string, v: string) => void memory.set(k, v),
    removeItem: (k: string) => void memory.delete(k),
    clear: () => memory.clear(),
  };
  const pool = new CognitoUserPool({
    UserPoolId: stack.userPoolId,
    ClientId: stack.clients.spa,
    endpoint: stack.cognito.url,
    Storage: storage,
  });
  const cognitoUser = new CognitoUser({ Username: 'client-user', Pool: pool, Storage: storage });
  const calls: string[] = [];
  const stop = onApiCall(stack, (op) => calls.push(op));
  const session = await new Promise<CognitoUserSession>((resolve, reject) =>
    cognitoUser.authenticateUser(new AuthenticationDetails({ Username: 'client-user', Password: PASSWORD }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
  stop();
  expect(calls).toEqual([
    'InitiateAuth',
    'RespondToAuthChallenge',
    'RespondToAuthChallenge',
    'RespondToAuthChallenge',
  ]);
  expect(session.getAccessToken().decodePayload().device_key).toBe(metadata.DeviceKey);
});
