import {
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminListDevicesCommand,
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  ConfirmDeviceCommand,
  DeviceKeyExistsException,
  ForgetDeviceCommand,
  GetDeviceCommand,
  ListDevicesCommand,
  NotAuthorizedException,
  ResourceNotFoundException,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoDeviceDirectory } from '../../../functions/cognito/device-directory.js';
import { loadConfig } from '../../../functions/config.js';

const POOL = 'eu-west-1_AbC123';
const OWNER = { accessToken: 'header.payload.signature', username: 'alice' };
const KEY = 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER = 'eu-west-1_1f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const cognito = mockClient(CognitoIdentityProviderClient);
const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
const fullView = CognitoDeviceDirectory.create(client, 1_000, { userPoolId: POOL });

const notFound = (attempts = 1) =>
  new ResourceNotFoundException({ message: 'Device does not exist.', $metadata: { attempts } });
const revoked = () => new NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} });
/** An error AWS answers outside the Cognito model (IAM, signing), as the SDK surfaces it. */
const awsError = (name: string) =>
  new CognitoIdentityProviderServiceException({ name, $fault: 'client', message: name, $metadata: {} });
const notRemembered = {
  DeviceKey: KEY,
  DeviceAttributes: [
    { Name: 'device_name', Value: 'Unknown laptop' },
    { Name: 'dev:device_remembered_status', Value: 'not_remembered' },
    { Name: 'dev:device_arn', Value: 'arn:aws:cognito-idp:eu-west-1:123456789012:owner/alice/device/x' },
  ],
};

beforeEach(() => {
  cognito.reset();
  // The token check every admin call is paired with; a test that refuses the token overrides it.
  cognito.on(ListDevicesCommand).resolves({ Devices: [] });
});

describe('full device view: get', () => {
  it('a device the token API finds costs one token call and no admin call', async () => {
    cognito.on(GetDeviceCommand).resolves({ Device: { DeviceKey: KEY } });
    await expect(fullView.get(OWNER, KEY)).resolves.toMatchObject({ deviceKey: KEY, status: 'remembered' });
    expect(cognito.commandCalls(AdminGetDeviceCommand)).toHaveLength(0);
  });

  it("one it cannot see is read with AdminGetDevice for the token's own username, allow-listed", async () => {
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(AdminGetDeviceCommand).resolves({ Device: notRemembered });
    const device = await fullView.get(OWNER, KEY);
    expect(device).toMatchObject({ deviceKey: KEY, name: 'Unknown laptop', status: 'not_remembered' });
    expect(JSON.stringify(device)).not.toMatch(/123456789012|device_arn/);
    expect(cognito.commandCalls(AdminGetDeviceCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'alice', DeviceKey: KEY },
    ]);
  });

  it('an admin answer without a remembered status leaves the status unknown rather than guessing', async () => {
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(AdminGetDeviceCommand).resolves({ Device: { DeviceKey: KEY } });
    await expect(fullView.get(OWNER, KEY)).resolves.toMatchObject({ status: null });
  });

  it('not found by either is 404; a revoked token is 401 and no admin call is made', async () => {
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(AdminGetDeviceCommand).rejects(notFound());
    await expect(fullView.get(OWNER, KEY)).rejects.toMatchObject({ status: 404, code: 'device_not_found' });
    cognito.reset();
    cognito.on(GetDeviceCommand).rejects(revoked());
    await expect(fullView.get(OWNER, KEY)).rejects.toMatchObject({ status: 401 });
    expect(cognito.commandCalls(AdminGetDeviceCommand)).toHaveLength(0);
  });

  it("the admin answer is not returned for a revoked token, even if Cognito's GetDevice said not found first", async () => {
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(ListDevicesCommand).rejects(revoked());
    cognito.on(AdminGetDeviceCommand).resolves({ Device: notRemembered });
    await expect(fullView.get(OWNER, KEY)).rejects.toMatchObject({ status: 401 });
  });
});

describe('full device view: list', () => {
  it('pages with AdminListDevices and has Cognito check the token with a one-device ListDevices', async () => {
    cognito
      .on(AdminListDevicesCommand)
      .resolves({ Devices: [notRemembered, { DeviceKey: OTHER }], PaginationToken: 'next' });
    const page = await fullView.list(OWNER, { limit: 60, pageToken: 'this' });
    expect(page.devices.map((d) => [d.deviceKey, d.status])).toEqual([
      [KEY, 'not_remembered'],
      [OTHER, null],
    ]);
    expect(page.nextPageToken).toBe('next');
    expect(cognito.commandCalls(AdminListDevicesCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'alice',
      Limit: 60,
      PaginationToken: 'this',
    });
    expect(cognito.commandCalls(ListDevicesCommand)[0]?.args[0].input).toEqual({
      AccessToken: OWNER.accessToken,
      Limit: 1,
      PaginationToken: undefined,
    });
  });

  it("the token check's refusal wins over the admin answer: a revoked token never sees the list", async () => {
    cognito.on(ListDevicesCommand).rejects(revoked());
    cognito.on(AdminListDevicesCommand).resolves({ Devices: [notRemembered] });
    await expect(fullView.list(OWNER, {})).rejects.toMatchObject({ status: 401 });
  });

  it('an admin failure with a good token is that failure; a missing pool is our misconfiguration', async () => {
    cognito.on(ListDevicesCommand).resolves({});
    cognito
      .on(AdminListDevicesCommand)
      .rejects(new ResourceNotFoundException({ message: 'User pool does not exist.', $metadata: {} }));
    await expect(fullView.list(OWNER, {})).rejects.toMatchObject({ status: 500, code: 'misconfigured' });
  });
});

describe('full device view: forget', () => {
  it('a device the token API forgets costs no admin call', async () => {
    cognito.on(ForgetDeviceCommand).resolves({});
    await fullView.forget(OWNER, KEY);
    expect(cognito.commandCalls(AdminForgetDeviceCommand)).toHaveLength(0);
  });

  it('one it cannot see is forgotten with AdminForgetDevice for the same user', async () => {
    cognito.on(ForgetDeviceCommand).rejects(notFound());
    cognito.on(AdminForgetDeviceCommand).resolves({});
    await fullView.forget(OWNER, KEY);
    expect(cognito.commandCalls(AdminForgetDeviceCommand).map((c) => c.args[0].input)).toEqual([
      { UserPoolId: POOL, Username: 'alice', DeviceKey: KEY },
    ]);
  });

  it('gone for both is 404, unless a retried admin attempt already forgot it', async () => {
    cognito.on(ForgetDeviceCommand).rejects(notFound());
    cognito.on(AdminForgetDeviceCommand).rejects(notFound());
    await expect(fullView.forget(OWNER, KEY)).rejects.toMatchObject({ status: 404 });
    cognito.on(AdminForgetDeviceCommand).rejects(notFound(2));
    await expect(fullView.forget(OWNER, KEY)).resolves.toBeUndefined();
  });

  it('a revoked token is 401 and forgets nothing', async () => {
    cognito.on(ForgetDeviceCommand).rejects(revoked());
    await expect(fullView.forget(OWNER, KEY)).rejects.toMatchObject({ status: 401 });
    expect(cognito.commandCalls(AdminForgetDeviceCommand)).toHaveLength(0);
  });

  it('forgets nothing for a revoked token even if the token ForgetDevice said not found first', async () => {
    cognito.on(ForgetDeviceCommand).rejects(notFound());
    cognito.on(ListDevicesCommand).rejects(revoked());
    cognito.on(AdminForgetDeviceCommand).resolves({});
    await expect(fullView.forget(OWNER, KEY)).rejects.toMatchObject({ status: 401 });
    expect(cognito.commandCalls(AdminForgetDeviceCommand)).toHaveLength(0);
  });
});

describe('full device view: what stays token-only', () => {
  it("a lost ConfirmDevice answer is still judged by the token API's view, not the admin one", async () => {
    cognito
      .on(ConfirmDeviceCommand)
      .rejects(new DeviceKeyExistsException({ message: 'exists', $metadata: { attempts: 2 } }));
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(UpdateDeviceStatusCommand).rejects(notFound());
    cognito.on(AdminGetDeviceCommand).resolves({ Device: notRemembered });
    await expect(fullView.confirm(OWNER, { deviceKey: KEY })).resolves.toEqual({
      userConfirmationNecessary: true,
    });
    expect(cognito.commandCalls(AdminGetDeviceCommand)).toHaveLength(0);
  });

  it('without the view, a device the token API cannot see is 404 and no admin call is ever made', async () => {
    const tokenOnly = CognitoDeviceDirectory.create(client, 1_000);
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(ForgetDeviceCommand).rejects(notFound());
    cognito.on(ListDevicesCommand).resolves({});
    await expect(tokenOnly.get(OWNER, KEY)).rejects.toMatchObject({ status: 404 });
    await expect(tokenOnly.forget(OWNER, KEY)).rejects.toMatchObject({ status: 404 });
    await tokenOnly.list(OWNER, {});
    expect(cognito.commandCalls(AdminGetDeviceCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminListDevicesCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminForgetDeviceCommand)).toHaveLength(0);
  });
});

describe('full device view: a signed call refused is our deployment, never the user', () => {
  it.each([
    'AccessDeniedException',
    'MissingAuthenticationTokenException',
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'ExpiredTokenException',
  ])('%s → 500 misconfigured, its detail logged only', async (name) => {
    cognito.on(ListDevicesCommand).resolves({});
    cognito.on(AdminListDevicesCommand).rejects(awsError(name));
    await expect(fullView.list(OWNER, {})).rejects.toMatchObject({ status: 500, code: 'misconfigured' });
  });

  it('no credentials in the environment → 500 misconfigured, not "Cognito unavailable"', async () => {
    cognito.on(GetDeviceCommand).rejects(notFound());
    cognito.on(AdminGetDeviceCommand).rejects(
      Object.assign(new Error('Unable to find environment variable credentials.'), {
        name: 'CredentialsProviderError',
      }),
    );
    await expect(fullView.get(OWNER, KEY)).rejects.toMatchObject({ status: 500, code: 'misconfigured' });
  });
});

describe('DEVICE_VISIBILITY', () => {
  const env = { USER_POOL_ID: POOL, APP_CLIENT_IDS: 'abc' };
  it('defaults to remembered, takes all, refuses anything else', () => {
    expect(loadConfig(env).deviceVisibility).toBe('remembered');
    expect(loadConfig({ ...env, DEVICE_VISIBILITY: 'all' }).deviceVisibility).toBe('all');
    expect(() => loadConfig({ ...env, DEVICE_VISIBILITY: 'everything' })).toThrow(/DEVICE_VISIBILITY/);
  });
});
