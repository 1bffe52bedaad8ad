import {
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  AdminForgetDeviceCommand,
  AdminGetDeviceCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminListDevicesCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateDeviceStatusCommand,
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetDeviceCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UpdateDeviceStatusCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenVerifier } from '../../functions/auth/verifier.js';
import { CognitoStandIn } from '../../local/cognito/server.js';

const PASSWORD = 'Passw0rd!x';
let standIn: CognitoStandIn;
let cognito: CognitoIdentityProviderClient;
let poolId: string;
let clientId: string;

async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

async function newUser(username: string) {
  await cognito.send(
    new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS' }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({
      UserPoolId: poolId,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    }),
  );
}

async function signIn(username: string, extra: Record<string, string> = {}) {
  const { AuthenticationResult } = await cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD, ...extra },
    }),
  );
  if (!AuthenticationResult?.AccessToken) throw new Error('no tokens');
  return AuthenticationResult;
}

beforeAll(async () => {
  standIn = await CognitoStandIn.start({ region: 'eu-central-1' });
  cognito = new CognitoIdentityProviderClient({
    region: 'eu-central-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const { UserPool } = await cognito.send(
    new CreateUserPoolCommand({
      PoolName: 'stand-in-test',
      MfaConfiguration: 'OPTIONAL',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    }),
  );
  poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await cognito.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'app',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_ADMIN_USER_PASSWORD_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
    }),
  );
  clientId = UserPoolClient?.ClientId ?? '';
  await newUser('alice');
  await newUser('bob');
});
afterAll(async () => {
  await standIn.close();
});

describe('user pools and clients', () => {
  it('creates pools with Cognito-shaped ids and echoes device and MFA settings', async () => {
    expect(poolId).toMatch(/^eu-central-1_[0-9a-zA-Z]+$/);
    const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: poolId }));
    expect(UserPool).toMatchObject({
      Id: poolId,
      Name: 'stand-in-test',
      MfaConfiguration: 'OPTIONAL',
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
      Arn: `arn:aws:cognito-idp:eu-central-1:000000000000:userpool/${poolId}`,
    });
    expect(UserPool?.CreationDate).toBeInstanceOf(Date);
  });

  it('describes clients, adding refresh-token auth as Cognito does', async () => {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: poolId, ClientId: clientId }),
    );
    expect(UserPoolClient?.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(UserPoolClient?.ExplicitAuthFlows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });

  it('answers unknown pools with ResourceNotFoundException', async () => {
    const error = await rejection(
      cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'eu-central-1_nope' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('serves the JWKS that the BFF verifier needs, and its tokens verify unchanged', async () => {
    const tokens = await signIn('alice');
    const verifier = createAccessTokenVerifier({
      userPoolId: poolId,
      clientIds: [clientId],
      jwksUri: standIn.jwksUri(poolId),
    });
    const payload = await verifier.verify(tokens.AccessToken ?? '');
    expect(payload).toMatchObject({
      iss: `https://cognito-idp.eu-central-1.amazonaws.com/${poolId}`,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      client_id: clientId,
      username: 'alice',
      device_key: tokens.NewDeviceMetadata?.DeviceKey,
    });
    expect(payload.exp - payload.iat).toBe(3600);
    for (const claim of ['sub', 'origin_jti', 'event_id', 'jti', 'auth_time'])
      expect(payload).toHaveProperty(claim);
    const header = JSON.parse(
      Buffer.from((tokens.AccessToken ?? '').split('.')[0] ?? '', 'base64url').toString(),
    );
    expect(header).toEqual({ kid: expect.any(String), alg: 'RS256' });
  });
});

describe('authentication of the call itself', () => {
  /** A raw AWS JSON 1.1 call, unsigned, as a client without credentials sends it. */
  const unsigned = (operation: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(standIn.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
        ...headers,
      },
      body: JSON.stringify(body),
    });

  it('refuses an unsigned admin call as Cognito does: 403 MissingAuthenticationTokenException, nothing done', async () => {
    // Real Cognito: x-amzn-ErrorType "MissingAuthenticationTokenException", "Missing Authentication Token"
    // (awslabs/aws-sdk-ios-samples #108); 403 per AWS's Common Errors.
    for (const [operation, body] of [
      ['AdminListDevices', { UserPoolId: poolId, Username: 'alice' }],
      [
        'AdminForgetDevice',
        { UserPoolId: poolId, Username: 'alice', DeviceKey: `${poolId.split('_')[0]}_x` },
      ],
      ['DescribeUserPool', { UserPoolId: poolId }],
    ] as const) {
      const res = await unsigned(operation, body);
      expect({ operation, status: res.status }).toEqual({ operation, status: 403 });
      expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(await res.json()).toEqual({
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    }
    // A bearer token, or a signature for another service, is no SigV4 signature for Cognito.
    for (const authorization of [
      'Bearer abc',
      'AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-central-1/s3/aws4_request, SignedHeaders=host, Signature=' +
        'a'.repeat(64),
    ]) {
      const res = await unsigned(
        'AdminListDevices',
        { UserPoolId: poolId, Username: 'alice' },
        { authorization },
      );
      expect(res.status).toBe(403);
    }
  });

  it('takes the public operations unsigned (smithy.api#noAuth in the model), and signed admin calls', async () => {
    const res = await unsigned('ListDevices', { AccessToken: 'not.a.token' });
    // As real Cognito answers (raw answers in aws-amplify/aws-sdk-ios #2354, aws/aws-sdk-cpp #1789).
    expect(res.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:');
    expect(res.headers.get('x-amzn-errormessage')).toBe('Invalid Access Token');
    const { Devices } = await cognito.send(
      new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'alice' }),
    );
    expect(Array.isArray(Devices)).toBe(true);
  });
});

describe('users and sign-in', () => {
  it('signs up, refuses sign-in until confirmed, then signs in', async () => {
    const { UserConfirmed, UserSub } = await cognito.send(
      new SignUpCommand({ ClientId: clientId, Username: 'newbie', Password: PASSWORD }),
    );
    expect(UserConfirmed).toBe(false);
    expect(UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect((await rejection(signIn('newbie'))).name).toBe('UserNotConfirmedException');
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: 'newbie' }));
    const { UserStatus } = await cognito.send(
      new AdminGetUserCommand({ UserPoolId: poolId, Username: 'newbie' }),
    );
    expect(UserStatus).toBe('CONFIRMED');
    expect((await signIn('newbie')).AccessToken).toBeTruthy();
  });

  it('enforces the password policy and existing usernames', async () => {
    const weak = await rejection(
      cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'weak', Password: 'password' })),
    );
    expect(weak.name).toBe('InvalidPasswordException');
    const taken = await rejection(
      cognito.send(new SignUpCommand({ ClientId: clientId, Username: 'alice', Password: PASSWORD })),
    );
    expect(taken.name).toBe('UsernameExistsException');
  });

  it('refuses a wrong password with NotAuthorizedException', async () => {
    const error = await rejection(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'Wr0ng!pass' },
        }),
      ),
    );
    expect(error.name).toBe('NotAuthorizedException');
  });

  it('asks a user with a temporary password for a new one', async () => {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'temp',
        TemporaryPassword: PASSWORD,
        MessageAction: 'SUPPRESS',
      }),
    );
    const result = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'temp', PASSWORD },
      }),
    );
    expect(result.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    expect(result.Session).toBeTruthy();
  });

  it('refreshes a sign-in once its new device is confirmed, and stops after RevokeToken', async () => {
    const first = await signIn('bob');
    const deviceKey = first.NewDeviceMetadata?.DeviceKey ?? '';
    const refresh = () =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken ?? '', DEVICE_KEY: deviceKey },
        }),
      );
    // This pool tracks devices: an unconfirmed new device's sign-in cannot refresh (amplify-android #2506).
    expect((await rejection(refresh())).message).toBe('Invalid Refresh Token.');
    await cognito.send(new ConfirmDeviceCommand({ AccessToken: first.AccessToken, DeviceKey: deviceKey }));
    const refreshed = await refresh();
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
    const accessToken = refreshed.AuthenticationResult?.AccessToken ?? '';
    expect((await cognito.send(new GetUserCommand({ AccessToken: accessToken }))).Username).toBe('bob');
    await cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: first.RefreshToken ?? '' }));
    expect((await rejection(cognito.send(new GetUserCommand({ AccessToken: accessToken })))).message).toMatch(
      /revoked/,
    );
    const again = await rejection(refresh());
    expect(again.name).toBe('NotAuthorizedException');
  });
});

describe('devices reject what Cognito rejects', () => {
  it('validates against the model: a bad device key pattern is InvalidParameterException', async () => {
    const { AccessToken } = await signIn('alice');
    const error = await rejection(
      cognito.send(new GetDeviceCommand({ AccessToken, DeviceKey: 'eu-central-1_XYZ' })),
    );
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toBe(
      "1 validation error detected: Value 'eu-central-1_XYZ' at 'deviceKey' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-f-]+",
    );
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('reports every violated constraint and never echoes a token', async () => {
    const error = await rejection(
      cognito.send(new ListDevicesCommand({ AccessToken: 'bad token!', Limit: 61 })),
    );
    expect(error.message).toMatch(/^2 validation errors detected/);
    expect(error.message).toContain("Value at 'accessToken' failed to satisfy constraint");
    expect(error.message).not.toContain('bad token!');
  });

  it('never echoes secrets nested in sensitive containers: passwords, verifiers, salts', async () => {
    const huge = `Secret-${'p'.repeat(131_100)}`;
    const password = await rejection(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'alice', PASSWORD: huge },
        }),
      ),
    );
    expect(password.name).toBe('InvalidParameterException');
    expect(password.message).not.toContain('Secret-ppp');
    const { AccessToken } = await signIn('alice');
    const verifier = await rejection(
      cognito.send(
        new ConfirmDeviceCommand({
          AccessToken,
          DeviceKey: 'eu-central-1_00000000-0000-0000-0000-000000000000',
          DeviceSecretVerifierConfig: { PasswordVerifier: huge, Salt: `Salt-${'s'.repeat(131_100)}` },
        }),
      ),
    );
    expect(verifier.name).toBe('InvalidParameterException');
    expect(verifier.message).toMatch(/deviceSecretVerifierConfig\.passwordVerifier/);
    expect(verifier.message).not.toMatch(/Secret-ppp|Salt-sss/);
  });

  it.each([
    [
      'a forged signature',
      (t: string) => `${t.slice(0, t.lastIndexOf('.'))}.${Buffer.from('forged').toString('base64url')}`,
    ],
    [
      'a tampered payload',
      (t: string) => {
        const [h, p, s] = t.split('.');
        const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString());
        return `${h}.${Buffer.from(JSON.stringify({ ...claims, username: 'mallory' })).toString('base64url')}.${s}`;
      },
    ],
    ['an ID token', (_t: string, id: string) => id],
    ['garbage', () => 'a.b.c'],
  ])('refuses %s with NotAuthorizedException', async (_name, forge) => {
    const tokens = await signIn('alice');
    const error = await rejection(
      cognito.send(
        new ListDevicesCommand({ AccessToken: forge(tokens.AccessToken ?? '', tokens.IdToken ?? '') }),
      ),
    );
    expect(error.name).toBe('NotAuthorizedException');
  });

  it('confirms with the verifier, answers UserConfirmationNecessary from the pool, and hides unconfirmed devices', async () => {
    const tokens = await signIn('alice');
    const key = tokens.NewDeviceMetadata?.DeviceKey ?? '';
    expect(key).toMatch(/^eu-central-1_[0-9a-f-]{36}$/);
    expect(tokens.NewDeviceMetadata?.DeviceGroupKey).toMatch(/^-\w+/);
    const listed = async () =>
      ((await cognito.send(new ListDevicesCommand({ AccessToken: tokens.AccessToken }))).Devices ?? []).map(
        (d) => d.DeviceKey,
      );
    expect(await listed()).not.toContain(key);
    const { UserConfirmationNecessary } = await cognito.send(
      new ConfirmDeviceCommand({
        AccessToken: tokens.AccessToken,
        DeviceKey: key,
        DeviceName: 'Laptop',
        DeviceSecretVerifierConfig: { PasswordVerifier: 'dmVyaWZpZXI=', Salt: 'c2FsdA==' },
      }),
    );
    expect(UserConfirmationNecessary).toBe(true);
    // Confirmed but not remembered (an opt-in pool): the token API does not list it, the admin API does.
    expect(await listed()).not.toContain(key);
    const adminListed = await cognito.send(
      new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'alice' }),
    );
    expect((adminListed.Devices ?? []).map((d) => d.DeviceKey)).toContain(key);
    await cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: tokens.AccessToken,
        DeviceKey: key,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    expect(await listed()).toContain(key);
    const device = standIn.store.data.pools[poolId]?.users.alice?.devices[key];
    expect(device).toMatchObject({
      verifier: 'dmVyaWZpZXI=',
      salt: 'c2FsdA==',
      remembered: 'remembered',
    });
  });

  it("answers another user's device, an unknown and a forgotten one with ResourceNotFoundException", async () => {
    const alice = await signIn('alice');
    const key = alice.NewDeviceMetadata?.DeviceKey ?? '';
    await cognito.send(new ConfirmDeviceCommand({ AccessToken: alice.AccessToken, DeviceKey: key }));
    await cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: alice.AccessToken,
        DeviceKey: key,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const bob = await signIn('bob');
    for (const command of [
      new GetDeviceCommand({ AccessToken: bob.AccessToken, DeviceKey: key }),
      new UpdateDeviceStatusCommand({
        AccessToken: bob.AccessToken,
        DeviceKey: key,
        DeviceRememberedStatus: 'remembered',
      }),
      new GetDeviceCommand({ AccessToken: alice.AccessToken, DeviceKey: 'eu-central-1_0000' }),
    ]) {
      const error = await rejection(cognito.send(command as GetDeviceCommand));
      expect({ name: error.name, message: error.message }).toEqual({
        name: 'ResourceNotFoundException',
        message: 'Device does not exist.',
      });
    }
    // Confirming it is another matter: a key not issued to this user is an invalid parameter.
    const claimed = await rejection(
      cognito.send(new ConfirmDeviceCommand({ AccessToken: bob.AccessToken, DeviceKey: key })),
    );
    expect({ name: claimed.name, message: claimed.message }).toEqual({
      name: 'InvalidParameterException',
      message: 'Invalid device key given.',
    });
    await cognito.send(
      new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: key }),
    );
    const error = await rejection(
      cognito.send(new GetDeviceCommand({ AccessToken: alice.AccessToken, DeviceKey: key })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('admin forms act on the named user and carry the device attributes and dates', async () => {
    const alice = await signIn('alice');
    const key = alice.NewDeviceMetadata?.DeviceKey ?? '';
    await cognito.send(
      new ConfirmDeviceCommand({ AccessToken: alice.AccessToken, DeviceKey: key, DeviceName: 'Tablet' }),
    );
    await cognito.send(
      new AdminUpdateDeviceStatusCommand({
        UserPoolId: poolId,
        Username: 'alice',
        DeviceKey: key,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const { Device } = await cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: key }),
    );
    // The attributes, in order, of the AWS CLI's admin-list-devices / get-device examples.
    expect((Device?.DeviceAttributes ?? []).map((a) => [a.Name, a.Value])).toEqual([
      ['device_status', 'valid'],
      ['device_name', 'Tablet'],
      ['dev:device_arn', `arn:aws:cognito-idp:eu-central-1:123456789012:owner/alice.${poolId}/device/${key}`],
      ['dev:device_owner', `alice.${poolId}`],
      ['last_ip_used', '127.0.0.1'],
      ['dev:device_remembered_status', 'remembered'],
      ['dev:device_sdk', 'aws-sdk'],
    ]);
    expect(Device?.DeviceCreateDate).toBeInstanceOf(Date);
    expect(Device?.DeviceLastModifiedDate).toBeInstanceOf(Date);
    expect(Device?.DeviceLastAuthenticatedDate).toBeInstanceOf(Date);
    const bobs = await cognito.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'bob' }));
    expect((bobs.Devices ?? []).map((d) => d.DeviceKey)).not.toContain(key);
  });

  it('pages with Limit and PaginationToken, and refuses a forged token', async () => {
    await newUser('pager');
    const keys: string[] = [];
    let accessToken = '';
    for (let i = 0; i < 5; i++) {
      const tokens = await signIn('pager');
      accessToken = tokens.AccessToken ?? '';
      keys.push(tokens.NewDeviceMetadata?.DeviceKey ?? '');
      await cognito.send(new ConfirmDeviceCommand({ AccessToken: accessToken, DeviceKey: keys.at(-1) }));
      await cognito.send(
        new UpdateDeviceStatusCommand({
          AccessToken: accessToken,
          DeviceKey: keys.at(-1),
          DeviceRememberedStatus: 'remembered',
        }),
      );
    }
    const first = await cognito.send(new ListDevicesCommand({ AccessToken: accessToken, Limit: 3 }));
    expect(first.Devices).toHaveLength(3);
    const second = await cognito.send(
      new ListDevicesCommand({ AccessToken: accessToken, Limit: 3, PaginationToken: first.PaginationToken }),
    );
    expect(second.Devices).toHaveLength(2);
    expect(second.PaginationToken).toBeUndefined();
    expect([...(first.Devices ?? []), ...(second.Devices ?? [])].map((d) => d.DeviceKey)).toEqual(keys);
    const limitZero = await cognito.send(new ListDevicesCommand({ AccessToken: accessToken, Limit: 0 }));
    expect(limitZero.Devices).toHaveLength(5);
    const forged = await rejection(
      cognito.send(new ListDevicesCommand({ AccessToken: accessToken, PaginationToken: 'nonsense' })),
    );
    expect(forged.name).toBe('InvalidParameterException');
  });

  it('binds refresh tokens to their device, and forgetting the device ends them', async () => {
    await newUser('binder');
    const tokens = await signIn('binder');
    const key = tokens.NewDeviceMetadata?.DeviceKey ?? '';
    await cognito.send(new ConfirmDeviceCommand({ AccessToken: tokens.AccessToken, DeviceKey: key }));
    const refresh = (deviceKey?: string) =>
      cognito.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: {
            REFRESH_TOKEN: tokens.RefreshToken ?? '',
            ...(deviceKey && { DEVICE_KEY: deviceKey }),
          },
        }),
      );
    expect((await rejection(refresh())).name).toBe('NotAuthorizedException');
    expect((await refresh(key)).AuthenticationResult?.AccessToken).toBeTruthy();
    await cognito.send(
      new AdminForgetDeviceCommand({ UserPoolId: poolId, Username: 'binder', DeviceKey: key }),
    );
    expect((await rejection(refresh(key))).name).toBe('NotAuthorizedException');
  });

  it('refuses a sign-in with a DEVICE_KEY that is not a device of the user', async () => {
    const alice = await signIn('alice');
    const aliceKey = alice.NewDeviceMetadata?.DeviceKey ?? '';
    await cognito.send(new ConfirmDeviceCommand({ AccessToken: alice.AccessToken, DeviceKey: aliceKey }));
    for (const key of [aliceKey, 'eu-central-1_00000000-0000-0000-0000-000000000000']) {
      const error = await rejection(signIn('bob', { DEVICE_KEY: key }));
      expect(error.name).toBe('ResourceNotFoundException');
    }
    expect((await signIn('alice', { DEVICE_KEY: aliceKey })).NewDeviceMetadata).toBeUndefined();
  });

  it('confirms a device once: confirming it again, to rename it or to replace its secret, is DeviceKeyExistsException', async () => {
    const tokens = await signIn('alice');
    const key = tokens.NewDeviceMetadata?.DeviceKey ?? '';
    const confirm = (name: string, salt: string) =>
      cognito.send(
        new ConfirmDeviceCommand({
          AccessToken: tokens.AccessToken,
          DeviceKey: key,
          DeviceName: name,
          DeviceSecretVerifierConfig: { PasswordVerifier: 'dmVyaWZpZXI=', Salt: salt },
        }),
      );
    await confirm('first', 'c2FsdA==');
    expect((await rejection(confirm('renamed', 'c2FsdA=='))).name).toBe('DeviceKeyExistsException');
    expect((await rejection(confirm('again', 'b3RoZXI='))).name).toBe('DeviceKeyExistsException');
    const { Device } = await cognito.send(
      new AdminGetDeviceCommand({ UserPoolId: poolId, Username: 'alice', DeviceKey: key }),
    );
    expect(Device?.DeviceAttributes?.find((a) => a.Name === 'device_name')?.Value).toBe('first');
    expect(standIn.store.data.pools[poolId]?.users.alice?.devices[key]?.salt).toBe('c2FsdA==');
  });

  it('revokes only refresh tokens', async () => {
    const tokens = await signIn('alice');
    const error = await rejection(
      cognito.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.AccessToken ?? '' })),
    );
    expect(error.name).toBe('UnsupportedTokenTypeException');
  });

  it('a pool created case-insensitive takes a user name in any case, and refuses a look-alike', async () => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({ PoolName: 'insensitive', UsernameConfiguration: { CaseSensitive: false } }),
    );
    const pool = UserPool?.Id ?? '';
    const { UserPoolClient } = await cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: pool,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    await cognito.send(
      new AdminCreateUserCommand({ UserPoolId: pool, Username: 'Alice', MessageAction: 'SUPPRESS' }),
    );
    await cognito.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: pool,
        Username: 'alice',
        Password: PASSWORD,
        Permanent: true,
      }),
    );
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: UserPoolClient?.ClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'ALICE', PASSWORD },
      }),
    );
    expect(
      JSON.parse(Buffer.from(AuthenticationResult?.AccessToken?.split('.')[1] ?? '', 'base64url').toString())
        .username,
    ).toBe('Alice');
    const lookAlike = await rejection(
      cognito.send(
        new AdminCreateUserCommand({ UserPoolId: pool, Username: 'aLICE', MessageAction: 'SUPPRESS' }),
      ),
    );
    expect(lookAlike.name).toBe('UsernameExistsException');
    // The default stays case-sensitive, as Cognito's is.
    expect((await rejection(signIn('ALICE'))).name).toBe('UserNotFoundException');
  });

  it('UpdateUserPool returns omitted settings to their defaults, as AWS documents', async () => {
    const { UserPool } = await cognito.send(
      new CreateUserPoolCommand({
        PoolName: 'updated',
        MfaConfiguration: 'OPTIONAL',
        DeviceConfiguration: { ChallengeRequiredOnNewDevice: true },
      }),
    );
    await cognito.send(new UpdateUserPoolCommand({ UserPoolId: UserPool?.Id ?? '' }));
    const described = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: UserPool?.Id ?? '' }));
    expect(described.UserPool?.DeviceConfiguration).toBeUndefined();
    expect(described.UserPool?.MfaConfiguration).toBe('OFF');
  });

  it('counts every call it receives', async () => {
    const seen: string[] = [];
    const stop = standIn.onCall((op) => seen.push(op));
    await rejection(cognito.send(new GetUserCommand({ AccessToken: 'a.b.c' })));
    stop();
    expect(seen).toEqual(['GetUser']);
  });
});
