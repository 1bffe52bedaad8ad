/**
 * Real Cognito's answers to the device operations, each with the public record it comes from, checked against
 * the stand-in with the unmodified AWS SDK and, where the BFF relays it, through the BFF over HTTP. The last
 * group covers what no public record settles: the stand-in's choice is the cautious one, and the BFF's answer
 * is clear either way (see local/cognito/README.md).
 */
import {
  AdminListDevicesCommand,
  ConfirmDeviceCommand,
  ForgetDeviceCommand,
  GetDeviceCommand,
  GlobalSignOutCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { createDeviceSecretVerifier, DeviceBffClient } from '../../client/index.js';
import { call, onApiCall, PASSWORD, type SignedIn, signIn } from '../support/local-stack.js';
import { srpSignIn } from '../support/srp-client.js';
import { optInStack, outcome, VERIFIER } from './support.js';

const conformance = optInStack();

const key = (user: SignedIn) => user.newDevice?.DeviceKey ?? '';
const confirm = (user: SignedIn, deviceKey = key(user), name?: string) =>
  conformance.cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: user.accessToken,
      DeviceKey: deviceKey,
      DeviceSecretVerifierConfig: VERIFIER,
      ...(name && { DeviceName: name }),
    }),
  );
const remember = (user: SignedIn, deviceKey = key(user)) =>
  conformance.cognito.send(
    new UpdateDeviceStatusCommand({
      AccessToken: user.accessToken,
      DeviceKey: deviceKey,
      DeviceRememberedStatus: 'remembered',
    }),
  );

describe('ConfirmDevice with a key Cognito did not issue to this user', () => {
  // boto/boto3 #4059 (real ConfirmDevice answer): InvalidParameterException "Invalid device key given.";
  // amplify-js #2087 and #2705 report the same message for keys Cognito was not tracking for that sign-in.
  const INVALID = { name: 'InvalidParameterException', message: 'Invalid device key given.' };

  it('is InvalidParameterException for an invented, another user’s and a forgotten key', async () => {
    const ann = await signIn(conformance.stack, 'conf-ann');
    const ben = await signIn(conformance.stack, 'conf-ben');
    await confirm(ann);
    await remember(ann);
    const forgotten = await signIn(conformance.stack, 'conf-ben');
    await confirm(forgotten);
    await remember(forgotten);
    await conformance.cognito.send(
      new ForgetDeviceCommand({ AccessToken: forgotten.accessToken, DeviceKey: key(forgotten) }),
    );
    for (const deviceKey of ['eu-west-1_00000000-0000-0000-0000-000000000000', key(ann), key(forgotten)]) {
      expect(await outcome(confirm(ben, deviceKey))).toEqual(INVALID);
    }
  });

  it('the BFF answers 400 stale_device_key, telling the app to sign in again, echoing nothing', async () => {
    const cal = await signIn(conformance.stack, 'conf-cal');
    const bogus = 'eu-west-1_11111111-2222-3333-4444-555555555555';
    const res = await call(conformance.stack, 'POST', '/devices', {
      token: cal.accessToken,
      json: { deviceKey: bogus },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'stale_device_key',
      detail: expect.stringMatching(/sign in again/i),
    });
    expect(res.text).not.toContain(bogus);
  });
});

describe('a wrong device proof', () => {
  // aws/aws-sdk-net-extensions-cognito #73, and the HTTP exchange in amazon-cognito-identity-dart-2 PR #10:
  // DEVICE_PASSWORD_VERIFIER with a wrong proof is NotAuthorizedException "Incorrect username or password.".
  it('is NotAuthorizedException "Incorrect username or password."', async () => {
    const dee = await signIn(conformance.stack, 'conf-dee');
    const metadata = dee.newDevice;
    if (!metadata) throw new Error('expected NewDeviceMetadata');
    const { devicePassword, ...verifier } = createDeviceSecretVerifier(
      metadata.DeviceKey,
      metadata.DeviceGroupKey,
    );
    const bff = new DeviceBffClient({
      baseUrl: conformance.stack.api.url,
      accessToken: () => dee.accessToken,
    });
    await bff.confirmDevice({ deviceKey: metadata.DeviceKey, deviceSecretVerifierConfig: verifier });
    await bff.setDeviceStatus(metadata.DeviceKey, 'remembered');
    const base = {
      cognito: conformance.cognito,
      clientId: conformance.stack.clients.spa,
      poolName: conformance.stack.userPoolId.split('_')[1] ?? '',
      username: 'conf-dee',
      password: PASSWORD,
    };
    const device = { key: metadata.DeviceKey, groupKey: metadata.DeviceGroupKey };
    expect(
      await outcome(srpSignIn({ ...base, device: { ...device, password: `${devicePassword}x` } })),
    ).toEqual({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
    const proven = await srpSignIn({ ...base, device: { ...device, password: devicePassword } });
    expect(proven.challenges).toEqual(['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
  });
});

describe('device attributes', () => {
  // AWS CLI examples (awscli/examples/cognito-idp/list-devices.rst, admin-list-devices.rst, get-device):
  // dev:device_arn (account id, pool id, username), dev:device_owner, dev:device_sdk. The token ListDevices
  // answer recorded in amplify-js PR #12171 carried only device_status and last_ip_used.
  it('Cognito sends dev:device_arn and dev:device_owner; the BFF passes on only its allow-list', async () => {
    const eve = await signIn(conformance.stack, 'conf-eve');
    await confirm(eve, key(eve), 'Eve laptop');
    await remember(eve);
    const { Device } = await conformance.cognito.send(
      new GetDeviceCommand({ AccessToken: eve.accessToken, DeviceKey: key(eve) }),
    );
    const names = (Device?.DeviceAttributes ?? []).map((a) => a.Name);
    expect(names).toEqual(expect.arrayContaining(['dev:device_arn', 'dev:device_owner', 'dev:device_sdk']));
    const { Devices } = await conformance.cognito.send(
      new ListDevicesCommand({ AccessToken: eve.accessToken }),
    );
    expect((Devices?.[0]?.DeviceAttributes ?? []).map((a) => a.Name)).toEqual([
      'device_status',
      'device_name',
      'last_ip_used',
    ]);

    const listed = await call(conformance.stack, 'GET', '/devices', { token: eve.accessToken });
    const got = await call(conformance.stack, 'GET', `/devices/${key(eve)}`, { token: eve.accessToken });
    for (const res of [listed, got]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/device_arn|device_owner|device_sdk|arn:aws/);
    }
    // The list carries no dev:device_remembered_status, yet the status is right: the token API lists remembered devices only.
    expect((listed.body as { devices: unknown[] }).devices).toEqual([
      expect.objectContaining({ deviceKey: key(eve), name: 'Eve laptop', status: 'remembered' }),
    ]);
    expect(got.body).toMatchObject({
      status: 'remembered',
      attributes: { 'dev:device_remembered_status': 'remembered' },
    });
  });
});

describe('what no public record settles: the cautious choice, and a clear answer from the BFF', () => {
  it('confirming a confirmed device again (a rename) is DeviceKeyExistsException; the BFF says why with 409', async () => {
    const fay = await signIn(conformance.stack, 'conf-fay');
    await confirm(fay, key(fay), 'First name');
    expect(await outcome(confirm(fay, key(fay), 'Second name'))).toEqual({
      name: 'DeviceKeyExistsException',
      message: 'Device key already exists.',
    });
    const res = await call(conformance.stack, 'POST', '/devices', {
      token: fay.accessToken,
      json: { deviceKey: key(fay), deviceName: 'Third name' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      code: 'device_key_exists',
      detail: expect.stringMatching(/already confirmed/),
    });
  });

  it("another user's device is not found by GetDevice, UpdateDeviceStatus or ForgetDevice; the BFF says 404", async () => {
    const gus = await signIn(conformance.stack, 'conf-gus');
    const hal = await signIn(conformance.stack, 'conf-hal');
    await confirm(gus);
    await remember(gus);
    const AccessToken = hal.accessToken;
    const DeviceKey = key(gus);
    for (const attempt of [
      conformance.cognito.send(new GetDeviceCommand({ AccessToken, DeviceKey })),
      conformance.cognito.send(
        new UpdateDeviceStatusCommand({ AccessToken, DeviceKey, DeviceRememberedStatus: 'remembered' }),
      ),
      conformance.cognito.send(new ForgetDeviceCommand({ AccessToken, DeviceKey })),
    ]) {
      expect(await outcome(attempt)).toEqual({
        name: 'ResourceNotFoundException',
        message: 'Device does not exist.',
      });
    }
    for (const [method, path] of [
      ['GET', `/devices/${DeviceKey}`],
      ['DELETE', `/devices/${DeviceKey}`],
    ] as const) {
      const res = await call(conformance.stack, method, path, { token: AccessToken });
      expect(res.status).toBe(404);
    }
  });

  it('ForgetDevice with a token does not reach a not-remembered device (GetDevice does not either); remembering it first does', async () => {
    const ivy = await signIn(conformance.stack, 'conf-ivy');
    await confirm(ivy);
    const res = await call(conformance.stack, 'DELETE', `/devices/${key(ivy)}`, { token: ivy.accessToken });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'device_not_found' });
    await remember(ivy);
    expect(
      (await call(conformance.stack, 'DELETE', `/devices/${key(ivy)}`, { token: ivy.accessToken })).status,
    ).toBe(204);
  });

  it('GlobalSignOut ends the tokens but keeps the devices', async () => {
    const jo = await signIn(conformance.stack, 'conf-jo');
    await confirm(jo);
    await remember(jo);
    await conformance.cognito.send(new GlobalSignOutCommand({ AccessToken: jo.accessToken }));
    const devices = await conformance.cognito.send(
      new AdminListDevicesCommand({ UserPoolId: conformance.stack.userPoolId, Username: 'conf-jo' }),
    );
    expect((devices.Devices ?? []).map((d) => d.DeviceKey)).toEqual([key(jo)]);
    expect((await call(conformance.stack, 'GET', '/devices', { token: jo.accessToken })).status).toBe(401);
  });

  it('the BFF always asks for a page size, since Cognito documents no default Limit', async () => {
    const kim = await signIn(conformance.stack, 'conf-kim');
    const seen: unknown[] = [];
    const stop = onApiCall(conformance.stack, (op, body) => {
      if (op === 'ListDevices') seen.push(JSON.parse(body).Limit);
    });
    await call(conformance.stack, 'GET', '/devices', { token: kim.accessToken });
    await call(conformance.stack, 'GET', '/devices?limit=7', { token: kim.accessToken });
    stop();
    expect(seen).toEqual([60, 7]);
  });

  it('OperationNotEnabledException (since 2026-06, e.g. a replica’s device writes): the SDK does not retry it, the BFF answers 503 operation_not_enabled', async () => {
    // The exception and when Cognito raises it: the SDK's model (@aws-sdk/client-cognito-identity-provider 3.1169.0,
    // every device operation and GlobalSignOut list it). No recorded answer gives its message: the stand-in's is the
    // exception's documentation.
    const lea = await signIn(conformance.stack, 'conf-lea');
    await confirm(lea);
    conformance.stack.cognito.faults.inject({
      kind: 'not-enabled',
      operation: 'UpdateDeviceStatus',
      times: 2,
    });
    const direct = await outcome(
      conformance.cognito.send(
        new UpdateDeviceStatusCommand({
          AccessToken: lea.accessToken,
          DeviceKey: key(lea),
          DeviceRememberedStatus: 'remembered',
        }),
      ),
    );
    expect(direct).toEqual({
      name: 'OperationNotEnabledException',
      message:
        'This operation is not available in the current region or for the current user pool configuration.',
    });
    const res = await call(conformance.stack, 'PUT', `/devices/${key(lea)}/status`, {
      token: lea.accessToken,
      json: { status: 'remembered' },
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'operation_not_enabled' });
    conformance.stack.cognito.faults.clear();
  });
});
