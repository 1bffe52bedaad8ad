import { CognitoIdentityProviderClient, ListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  AuthenticationDetails,
  CognitoUser,
  type CognitoUserPool,
  type CognitoUserSession,
} from 'amazon-cognito-identity-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoStandIn } from '../../local/cognito/server.js';
import { padHex, parseTimestamp } from '../../local/cognito/srp.js';
import { standInWithUser } from '../support/stand-in.js';

const PASSWORD = 'Srp-passw0rd!';
let standIn: CognitoStandIn;
let userPool: CognitoUserPool;
let poolId: string;

beforeAll(async () => {
  ({ standIn, poolId, userPool } = await standInWithUser({
    pool: {
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
    },
    username: 'srp-user',
    password: PASSWORD,
  }));
});
afterAll(async () => {
  await standIn.close();
});

/** amazon-cognito-identity-js's own SRP sign-in, unmodified, pointed at the stand-in. */
function authenticate(username: string, password: string) {
  const user = new CognitoUser({ Username: username, Pool: userPool });
  return new Promise<{ session: CognitoUserSession; user: CognitoUser }>((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ session, user }),
      onFailure: reject,
    });
  });
}

describe('USER_SRP_AUTH with amazon-cognito-identity-js', () => {
  it('signs in, and the library confirms the new device with its own verifier', async () => {
    const calls: string[] = [];
    const stop = standIn.onCall((op) => calls.push(op));
    const { session } = await authenticate('srp-user', PASSWORD);
    stop();
    expect(calls).toEqual(['InitiateAuth', 'RespondToAuthChallenge', 'ConfirmDevice']);
    const payload = session.getAccessToken().decodePayload();
    expect(payload).toMatchObject({
      username: 'srp-user',
      token_use: 'access',
      iss: `https://cognito-idp.eu-west-1.amazonaws.com/${poolId}`,
    });
    expect(payload.device_key).toMatch(/^eu-west-1_/);
    const device = standIn.store.data.pools[poolId]?.users['srp-user']?.devices[payload.device_key];
    expect(device).toMatchObject({ confirmed: true, verifier: expect.any(String), salt: expect.any(String) });
    const listed = await new CognitoIdentityProviderClient({
      region: 'eu-west-1',
      endpoint: standIn.url,
    }).send(new ListDevicesCommand({ AccessToken: session.getAccessToken().getJwtToken() }));
    expect(listed.Devices?.map((d) => d.DeviceKey)).toContain(payload.device_key);
  });

  it('a later sign-in passes DEVICE_SRP_AUTH with the device secret the library kept, and the tokens carry the device', async () => {
    const first = await authenticate('srp-user', PASSWORD);
    const deviceKey = first.session.getAccessToken().decodePayload().device_key;
    const calls: string[] = [];
    const stop = standIn.onCall((op) => calls.push(op));
    const again = await authenticate('srp-user', PASSWORD);
    stop();
    // PASSWORD_VERIFIER (with DEVICE_KEY), then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER: no new device.
    expect(calls).toEqual([
      'InitiateAuth',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
      'RespondToAuthChallenge',
    ]);
    expect(again.session.getAccessToken().decodePayload().device_key).toBe(deviceKey);
    const device = standIn.store.data.pools[poolId]?.users['srp-user']?.devices[deviceKey];
    expect(device?.lastAuthenticatedAt).toBeGreaterThan(device?.createdAt ?? Number.POSITIVE_INFINITY);
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    await expect(authenticate('srp-user', 'Wrong-passw0rd!')).rejects.toMatchObject({
      code: 'NotAuthorizedException',
    });
    await expect(authenticate('nobody', PASSWORD)).rejects.toMatchObject({
      code: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });
});

describe('SRP helpers', () => {
  it('pads like the library: even length, 00 before a set top bit', () => {
    expect(padHex(0x14n)).toBe('14');
    expect(padHex(0xecn)).toBe('00ec');
    expect(padHex(0x123n)).toBe('0123');
  });

  it("parses Cognito's TIMESTAMP format", () => {
    expect(parseTimestamp('Sun Nov 22 09:07:03 UTC 2026')).toBe(Date.UTC(2026, 10, 22, 9, 7, 3));
    expect(parseTimestamp('Sun Nov 2 09:07:03 UTC 2026')).toBe(Date.UTC(2026, 10, 2, 9, 7, 3));
    expect(parseTimestamp('2026-11-22T09:07:03Z')).toBeNaN();
  });
});
