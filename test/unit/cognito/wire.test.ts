import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { CognitoDeviceDirectory } from '../../../functions/cognito/device-directory.js';
import {
  deviceDoesNotExist,
  getDeviceAwsCli,
  incorrectUsernameOrPassword,
  invalidDeviceKey,
  listDevicesAmplify12171,
  listDevicesAwsCli,
} from '../../fixtures/cognito-responses.js';
import { type CannedAnswer, cannedTransport } from '../../support/canned-transport.js';

// No aws-sdk-client-mock here: it would replace `send` on every client. These go through the real SDK.
const TOKEN = 'header.payload.signature';
const OWNER = { accessToken: TOKEN, username: 'alice' };
const KEY = 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

describe("real Cognito's answers, through the SDK's own deserializer", () => {
  /** A directory whose client gets `body` from the wire, as Cognito would send it. */
  const overTheWire = (body: string, status = 200, byOperation: Record<string, CannedAnswer> = {}) =>
    CognitoDeviceDirectory.create(
      new CognitoIdentityProviderClient({
        region: 'us-west-2',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        requestHandler: cannedTransport(body, status, byOperation),
        maxAttempts: 1,
      }),
      1_000,
    );
  /** A confirmation's first calls, for a device that is not confirmed yet: "Device does not exist." to both. */
  const notConfirmedYet: Record<string, CannedAnswer> = {
    GetDevice: [deviceDoesNotExist, 400],
    UpdateDeviceStatus: [deviceDoesNotExist, 400],
  };
  const AWS_CLI_KEY = 'us-west-2_a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
  const awsCliDevice = {
    deviceKey: AWS_CLI_KEY,
    name: 'MyDevice',
    status: 'remembered',
    createdAt: '2024-05-07T16:52:22.022Z',
    lastModifiedAt: '2024-08-09T20:00:51.167Z',
    lastAuthenticatedAt: '2024-05-07T16:52:22.000Z',
    lastIpUsed: '192.0.2.1',
    attributes: {
      device_status: 'valid',
      device_name: 'MyDevice',
      'dev:device_remembered_status': 'remembered',
      last_ip_used: '192.0.2.1',
    },
  };

  it('GetDevice (AWS CLI example): only allow-listed attributes, never the account id in dev:device_arn', async () => {
    const device = await overTheWire(getDeviceAwsCli).get(OWNER, AWS_CLI_KEY);
    expect(device).toEqual(awsCliDevice);
    expect(JSON.stringify(device)).not.toMatch(/123456789012|diego|device_arn|device_owner|device_sdk/);
  });

  it('ListDevices (AWS CLI example): the same allow-list', async () => {
    await expect(overTheWire(listDevicesAwsCli).list(OWNER, {})).resolves.toEqual({
      devices: [awsCliDevice],
      nextPageToken: null,
    });
  });

  it('ListDevices without dev:device_remembered_status (amplify-js PR #12171): listed, so remembered', async () => {
    await expect(overTheWire(listDevicesAmplify12171).list(OWNER, {})).resolves.toEqual({
      devices: [
        {
          deviceKey: 'us-east-1_a06d88eb-434b-b3a5',
          name: null,
          status: 'remembered',
          createdAt: '2023-10-03T20:26:44.956Z',
          lastModifiedAt: '2023-10-03T20:42:09.693Z',
          lastAuthenticatedAt: '2023-10-03T20:42:09.000Z',
          lastIpUsed: '2601:600:8380:b0:986e:dc07:42:68b2',
          attributes: { device_status: 'valid', last_ip_used: '2601:600:8380:b0:986e:dc07:42:68b2' },
        },
      ],
      nextPageToken: null,
    });
  });

  it('ConfirmDevice "Invalid device key given." (boto/boto3 #4059) → 400 stale_device_key with what to do', async () => {
    const error = await overTheWire(invalidDeviceKey, 400, notConfirmedYet)
      .confirm(OWNER, { deviceKey: KEY })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ status: 400, code: 'stale_device_key' });
    expect((error as Error).message).toMatch(/sign in again/i);
    expect((error as Error).message).not.toMatch(/Invalid device key given/);
  });

  it('ConfirmDevice ResourceNotFoundException (in the model, never seen): the same stale_device_key', async () => {
    await expect(
      overTheWire(deviceDoesNotExist, 400, notConfirmedYet).confirm(OWNER, { deviceKey: KEY }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'stale_device_key',
    });
  });

  it('ConfirmDevice with any other InvalidParameterException stays invalid_parameter', async () => {
    const other = '{"__type":"InvalidParameterException","message":"Something else is wrong."}';
    await expect(
      overTheWire(other, 400, notConfirmedYet).confirm(OWNER, { deviceKey: KEY }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'invalid_parameter',
    });
  });

  it('"Device does not exist." → 404 device_not_found; GetDevice says only remembered devices are shown', async () => {
    const get = await overTheWire(deviceDoesNotExist, 400)
      .get(OWNER, KEY)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(get).toMatchObject({ status: 404, code: 'device_not_found' });
    expect((get as Error).message).toMatch(/remembered/);
    for (const failing of [
      overTheWire(deviceDoesNotExist, 400).setStatus(OWNER, KEY, 'remembered'),
      overTheWire(deviceDoesNotExist, 400).forget(OWNER, KEY),
    ]) {
      await expect(failing).rejects.toMatchObject({ status: 404, code: 'device_not_found' });
    }
  });

  it('a token Cognito refuses ("Incorrect username or password." wording) is a 401', async () => {
    await expect(overTheWire(incorrectUsernameOrPassword, 400).list(OWNER, {})).rejects.toMatchObject({
      status: 401,
      code: 'not_authorized',
    });
  });
});
