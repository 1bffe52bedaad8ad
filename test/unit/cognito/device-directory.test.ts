import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GlobalSignOutCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoDeviceDirectory } from '../../../functions/cognito/device-directory.js';
import { ApiError } from '../../../functions/errors.js';

const TOKEN = 'header.payload.signature';
const OWNER = { accessToken: TOKEN, username: 'alice' };
const KEY = 'eu-west-1_0f4e8a6b-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
const cognito = mockClient(CognitoIdentityProviderClient);
const directory = CognitoDeviceDirectory.create(
  new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
  1_000,
);

beforeEach(() => cognito.reset());

const deviceNotFound = () =>
  new sdk.ResourceNotFoundException({ message: 'Device does not exist.', $metadata: {} });
/** A device issued at sign-in and not confirmed yet: neither probe of `confirm` sees it. */
function unconfirmed() {
  cognito.on(GetDeviceCommand).rejects(deviceNotFound());
  cognito.on(UpdateDeviceStatusCommand).rejects(deviceNotFound());
}

describe('exact command inputs and output mapping', () => {
  it('ConfirmDevice', async () => {
    unconfirmed();
    cognito.on(ConfirmDeviceCommand).resolves({ UserConfirmationNecessary: true });
    await expect(
      directory.confirm(OWNER, {
        deviceKey: KEY,
        deviceName: 'Phone',
        verifier: { passwordVerifier: 'pv', salt: 'st' },
      }),
    ).resolves.toEqual({ userConfirmationNecessary: true });
    expect(cognito.commandCalls(ConfirmDeviceCommand).map((c) => c.args[0].input)).toEqual([
      {
        AccessToken: TOKEN,
        DeviceKey: KEY,
        DeviceName: 'Phone',
        DeviceSecretVerifierConfig: { PasswordVerifier: 'pv', Salt: 'st' },
      },
    ]);
  });

  it('ConfirmDevice without name or verifier sends neither and reads a missing flag as false', async () => {
    unconfirmed();
    cognito.on(ConfirmDeviceCommand).resolves({});
    await expect(directory.confirm(OWNER, { deviceKey: KEY })).resolves.toEqual({
      userConfirmationNecessary: false,
    });
    expect(cognito.commandCalls(ConfirmDeviceCommand)[0]?.args[0].input).toEqual({
      AccessToken: TOKEN,
      DeviceKey: KEY,
      DeviceName: undefined,
      DeviceSecretVerifierConfig: undefined,
    });
  });

  it('never sends ConfirmDevice for a device that is confirmed already, remembered or not: its secret stays', async () => {
    // Remembered: the token API sees it.
    cognito.on(GetDeviceCommand).resolves({ Device: { DeviceKey: KEY } });
    await expect(directory.confirm(OWNER, { deviceKey: KEY })).rejects.toMatchObject({
      status: 409,
      code: 'device_key_exists',
      message: expect.stringContaining('PUT /devices/{deviceKey}/status'),
    });
    // Not remembered: hidden from GetDevice, but UpdateDeviceStatus takes it (as not_remembered, unchanged).
    cognito.reset();
    cognito.on(GetDeviceCommand).rejects(deviceNotFound());
    cognito.on(UpdateDeviceStatusCommand).resolves({});
    await expect(directory.confirm(OWNER, { deviceKey: KEY })).rejects.toMatchObject({ status: 409 });
    expect(cognito.commandCalls(UpdateDeviceStatusCommand)[0]?.args[0].input).toEqual({
      AccessToken: TOKEN,
      DeviceKey: KEY,
      DeviceRememberedStatus: 'not_remembered',
    });
    expect(cognito.commandCalls(ConfirmDeviceCommand)).toHaveLength(0);
  });

  it('UpdateDeviceStatus', async () => {
    cognito.on(UpdateDeviceStatusCommand).resolves({});
    await directory.setStatus(OWNER, KEY, 'remembered');
    expect(cognito.commandCalls(UpdateDeviceStatusCommand)[0]?.args[0].input).toEqual({
      AccessToken: TOKEN,
      DeviceKey: KEY,
      DeviceRememberedStatus: 'remembered',
    });
  });

  it('GetDevice maps attributes and dates', async () => {
    cognito.on(GetDeviceCommand).resolves({
      Device: {
        DeviceKey: KEY,
        DeviceAttributes: [
          { Name: 'device_status', Value: 'valid' },
          { Name: 'device_name', Value: 'Chrome on macOS' },
          { Name: 'dev:device_remembered_status', Value: 'not_remembered' },
          { Name: 'last_ip_used', Value: '198.51.100.4' },
        ],
        DeviceCreateDate: new Date('2026-11-01T10:00:00Z'),
        DeviceLastModifiedDate: new Date('2026-11-02T10:00:00Z'),
      },
    });
    await expect(directory.get(OWNER, KEY)).resolves.toEqual({
      deviceKey: KEY,
      name: 'Chrome on macOS',
      status: 'not_remembered',
      createdAt: '2026-11-01T10:00:00.000Z',
      lastModifiedAt: '2026-11-02T10:00:00.000Z',
      lastAuthenticatedAt: null,
      lastIpUsed: '198.51.100.4',
      attributes: {
        device_status: 'valid',
        device_name: 'Chrome on macOS',
        'dev:device_remembered_status': 'not_remembered',
        last_ip_used: '198.51.100.4',
      },
    });
    expect(cognito.commandCalls(GetDeviceCommand)[0]?.args[0].input).toEqual({
      AccessToken: TOKEN,
      DeviceKey: KEY,
    });
  });

  it('GetDevice without attributes: no name or address, and remembered, since the token API shows no other', async () => {
    cognito.on(GetDeviceCommand).resolves({ Device: { DeviceKey: KEY } });
    await expect(directory.get(OWNER, KEY)).resolves.toMatchObject({
      name: null,
      status: 'remembered',
      lastIpUsed: null,
      attributes: {},
    });
  });

  it('a GetDevice answer without a device is a 502, not a crash', async () => {
    cognito.on(GetDeviceCommand).resolves({});
    await expect(directory.get(OWNER, KEY)).rejects.toMatchObject({ status: 502, code: 'upstream_error' });
  });

  it('ListDevices passes limit and token and returns the next token', async () => {
    cognito.on(ListDevicesCommand).resolves({ Devices: [{ DeviceKey: KEY }], PaginationToken: 'next' });
    const page = await directory.list(OWNER, { limit: 5, pageToken: 'this' });
    expect(page.devices.map((d) => d.deviceKey)).toEqual([KEY]);
    expect(page.nextPageToken).toBe('next');
    expect(cognito.commandCalls(ListDevicesCommand)[0]?.args[0].input).toEqual({
      AccessToken: TOKEN,
      Limit: 5,
      PaginationToken: 'this',
    });
  });

  it('ListDevices with no devices and no token', async () => {
    cognito.on(ListDevicesCommand).resolves({});
    await expect(directory.list(OWNER, {})).resolves.toEqual({ devices: [], nextPageToken: null });
  });

  it('ForgetDevice', async () => {
    cognito.on(ForgetDeviceCommand).resolves({});
    await directory.forget(OWNER, KEY);
    expect(cognito.commandCalls(ForgetDeviceCommand)[0]?.args[0].input).toEqual({
      AccessToken: TOKEN,
      DeviceKey: KEY,
    });
  });
});

describe("the request's abort signal", () => {
  it('no call starts once the request was answered, and a call in flight is aborted with it', async () => {
    const answered = new AbortController();
    answered.abort();
    cognito.on(ListDevicesCommand).resolves({ Devices: [] });
    await expect(directory.list({ ...OWNER, signal: answered.signal }, {})).rejects.toMatchObject({
      status: 504,
    });
    expect(cognito.commandCalls(ListDevicesCommand)).toHaveLength(0);

    const request = new AbortController();
    let seen: AbortSignal | undefined;
    const sent = vi
      .spyOn(CognitoIdentityProviderClient.prototype, 'send')
      .mockImplementation((_command: unknown, options?: unknown) => {
        seen = (options as { abortSignal: AbortSignal }).abortSignal;
        return new Promise((_resolve, reject) =>
          seen?.addEventListener('abort', () => reject(new Error('Request aborted'))),
        );
      });
    const listing = directory.list({ ...OWNER, signal: request.signal }, {});
    await vi.waitFor(() => expect(seen).toBeDefined());
    expect(seen?.aborted).toBe(false);
    request.abort();
    expect(seen?.aborted).toBe(true);
    await expect(listing).rejects.toMatchObject({ status: 504, code: 'timeout' });
    sent.mockRestore();
  });
});

describe('GlobalSignOut', () => {
  it("sends the caller's own token and nothing else", async () => {
    cognito.on(GlobalSignOutCommand).resolves({});
    await directory.signOutEverywhere(OWNER);
    expect(cognito.commandCalls(GlobalSignOutCommand)[0]?.args[0].input).toEqual({ AccessToken: TOKEN });
  });

  it('a token Cognito refuses on the first attempt is a 401', async () => {
    cognito.on(GlobalSignOutCommand).rejects(
      new sdk.NotAuthorizedException({
        message: 'Access Token has been revoked',
        $metadata: { attempts: 1 },
      }),
    );
    await expect(directory.signOutEverywhere(OWNER)).rejects.toMatchObject({
      status: 401,
      code: 'not_authorized',
    });
  });

  it('refused on a retry: the lost first attempt signed out, which revoked this very token', async () => {
    cognito.on(GlobalSignOutCommand).rejects(
      new sdk.NotAuthorizedException({
        message: 'Access Token has been revoked',
        $metadata: { attempts: 2, totalRetryDelay: 100 },
      }),
    );
    await expect(directory.signOutEverywhere(OWNER)).resolves.toBeUndefined();
  });
});

describe('writes the SDK retried after a lost answer', () => {
  const afterRetry = <E extends Error>(error: E): E =>
    Object.assign(error, { $metadata: { attempts: 2, totalRetryDelay: 100 } });
  const notFound = () =>
    new sdk.ResourceNotFoundException({ message: 'Device does not exist.', $metadata: {} });
  const exists = () =>
    new sdk.DeviceKeyExistsException({ message: 'Device key already exists.', $metadata: {} });

  it('ForgetDevice: "not found" on a retry means the first attempt forgot it', async () => {
    cognito.on(ForgetDeviceCommand).rejects(afterRetry(notFound()));
    await expect(directory.forget(OWNER, KEY)).resolves.toBeUndefined();
  });

  it('ForgetDevice: "not found" on the first attempt is still a 404', async () => {
    cognito.on(ForgetDeviceCommand).rejects(Object.assign(notFound(), { $metadata: { attempts: 1 } }));
    await expect(directory.forget(OWNER, KEY)).rejects.toMatchObject({ status: 404 });
  });

  it.each([
    ['visible to GetDevice (remembered)', true, false],
    ['hidden from GetDevice (not remembered)', false, true],
  ])(
    'ConfirmDevice: "exists" on a retry, device %s → userConfirmationNecessary %s',
    async (_name, visible, necessary) => {
      cognito.on(UpdateDeviceStatusCommand).rejects(notFound());
      cognito.on(ConfirmDeviceCommand).rejects(afterRetry(exists()));
      // Not confirmed before (the probe), confirmed by the lost first attempt (the recovery's look).
      if (visible)
        cognito
          .on(GetDeviceCommand)
          .rejectsOnce(notFound())
          .resolves({ Device: { DeviceKey: KEY } });
      else cognito.on(GetDeviceCommand).rejects(notFound());
      await expect(directory.confirm(OWNER, { deviceKey: KEY })).resolves.toEqual({
        userConfirmationNecessary: necessary,
      });
    },
  );

  it('ConfirmDevice: "exists" on the first attempt is still a 409', async () => {
    unconfirmed();
    cognito.on(ConfirmDeviceCommand).rejects(Object.assign(exists(), { $metadata: { attempts: 1 } }));
    await expect(directory.confirm(OWNER, { deviceKey: KEY })).rejects.toMatchObject({ status: 409 });
    expect(cognito.commandCalls(GetDeviceCommand)).toHaveLength(1);
  });
});

describe('every modelled exception maps to its status and code', () => {
  const expected: Record<string, [number, string]> = {
    NotAuthorizedException: [401, 'not_authorized'],
    UserNotFoundException: [401, 'user_not_found'],
    ForbiddenException: [403, 'forbidden'],
    UserNotConfirmedException: [403, 'user_not_confirmed'],
    PasswordResetRequiredException: [403, 'password_reset_required'],
    ResourceNotFoundException: [404, 'device_not_found'],
    DeviceKeyExistsException: [409, 'device_key_exists'],
    UsernameExistsException: [409, 'username_exists'],
    InvalidParameterException: [400, 'invalid_parameter'],
    InvalidPasswordException: [400, 'invalid_password'],
    TooManyRequestsException: [429, 'too_many_requests'],
    LimitExceededException: [429, 'limit_exceeded'],
    InternalErrorException: [502, 'upstream_internal_error'],
    InvalidLambdaResponseException: [502, 'invalid_lambda_response'],
    InvalidUserPoolConfigurationException: [500, 'invalid_user_pool_configuration'],
    OperationNotEnabledException: [503, 'operation_not_enabled'],
    UnsupportedOperationException: [502, 'upstream_error'],
  };

  it.each(Object.entries(expected))('%s → %j', async (name, [status, code]) => {
    const ExceptionClass = sdk[name as keyof typeof sdk] as unknown as new (opts: {
      message: string;
      $metadata: object;
    }) => Error;
    cognito
      .on(ForgetDeviceCommand)
      .rejects(new ExceptionClass({ message: `${name} from Cognito`, $metadata: {} }));
    const error = await directory.forget(OWNER, KEY).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code });
    if (status === 429) expect((error as ApiError).headers()).toEqual({ 'Retry-After': '1' });
  });

  it("covers every exception the model lists for the device operations, the full view's admin ones included", async () => {
    const { readFile } = await import('node:fs/promises');
    // The repository's copy of the official model (the stand-in validates with it), so a clean clone needs nothing else.
    const model = JSON.parse(
      await readFile(new URL('../../../local/cognito/service-model.json', import.meta.url), 'utf8'),
    );
    const ops = [
      'ConfirmDevice',
      'UpdateDeviceStatus',
      'GetDevice',
      'ListDevices',
      'ForgetDevice',
      'AdminGetDevice',
      'AdminListDevices',
      'AdminForgetDevice',
      'GlobalSignOut',
    ];
    const listed = new Set(
      ops.flatMap((op) => model.operations[op].errors.map((e: { shape: string }) => e.shape)),
    );
    expect([...listed].filter((name) => !(name in expected))).toEqual([]);
  });

  it('a connection reset that smithy renamed TimeoutError is still a 502, a socket timeout a 504', async () => {
    cognito
      .on(GetDeviceCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' }))
      .rejectsOnce(
        Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
      );
    await expect(directory.get(OWNER, KEY)).rejects.toMatchObject({
      status: 502,
      code: 'upstream_unavailable',
    });
    await expect(directory.get(OWNER, KEY)).rejects.toMatchObject({ status: 504, code: 'upstream_timeout' });
  });

  it('a network failure is a 502', async () => {
    cognito
      .on(GetDeviceCommand)
      .rejects(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    await expect(directory.get(OWNER, KEY)).rejects.toMatchObject({
      status: 502,
      code: 'upstream_unavailable',
    });
  });
});
