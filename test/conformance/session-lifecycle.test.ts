/**
 * How real Cognito confirms, refreshes and signs out, each case with the public record it comes from (cited in
 * local/cognito/README.md too), checked against the stand-in with the unmodified AWS SDK, this repository's
 * client and, where the BFF is involved, through the BFF over HTTP.
 */
import { createPrivateKey, createSign } from 'node:crypto';
import {
  AdminGetDeviceCommand,
  ConfirmDeviceCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListDevicesCommand,
  UpdateDeviceStatusCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { CognitoAuthError, CognitoSignIn, DeviceBffClient, type SignInStep } from '../../client/index.js';
import { totpCode } from '../../local/cognito/totp.js';
import { createConfirmedUser, enrolTotp } from '../../local/users.js';
import { call, clock, PASSWORD, type SignedIn, signIn } from '../support/local-stack.js';
import { optInStack, outcome, VERIFIER } from './support.js';

const conformance = optInStack();

const key = (user: SignedIn) => user.newDevice?.DeviceKey ?? '';
const confirm = (user: SignedIn) =>
  conformance.cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: user.accessToken,
      DeviceKey: key(user),
      DeviceSecretVerifierConfig: VERIFIER,
    }),
  );
const refreshTokenAuth = (user: SignedIn, deviceKey?: string, clientId = conformance.stack.clients.mobile) =>
  conformance.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: user.refreshToken, ...(deviceKey && { DEVICE_KEY: deviceKey }) },
    }),
  );
const getTokens = (
  refreshToken: string,
  deviceKey: string | undefined,
  clientId = conformance.stack.clients.mobile,
) =>
  conformance.cognito.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: clientId,
      RefreshToken: refreshToken,
      ...(deviceKey && { DeviceKey: deviceKey }),
    }),
  );
const INVALID_REFRESH = { name: 'NotAuthorizedException', message: 'Invalid Refresh Token.' };
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString());
const header = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString());

/** One raw call to the stand-in, to read what the SDK would hide (headers, number formats). */
async function raw(operation: string, body: unknown) {
  const res = await fetch(conformance.stack.cognito.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

describe('1. a sign-in whose new device was never confirmed cannot refresh', () => {
  // aws-amplify/amplify-android #2506 (AWS maintainer): "cognito mandates all new devices that logs in to be
  // confirmed using the ConfirmDevice API call otherwise they will not let the refresh token refresh the access
  // token"; AWS Knowledge Center "cognito-invalid-refresh-token-error"; aws/aws-sdk-java-v2 #1389 (opt-in pool,
  // MFA off, no ConfirmDevice: "Invalid Refresh Token."). The reason every AWS library confirms at sign-in.
  it('is NotAuthorizedException "Invalid Refresh Token." with or without DEVICE_KEY, by either route', async () => {
    const user = await signIn(conformance.stack, 'unconfirmed');
    expect(await outcome(refreshTokenAuth(user))).toEqual(INVALID_REFRESH);
    expect(await outcome(refreshTokenAuth(user, key(user)))).toEqual(INVALID_REFRESH);
    expect(await outcome(getTokens(user.refreshToken, key(user)))).toEqual(INVALID_REFRESH);
    expect(await outcome(getTokens(user.refreshToken, undefined))).toEqual(INVALID_REFRESH);
    // Confirmed right after, the same sign-in refreshes with its device key, and only with it (Knowledge
    // Center: "If the device key doesn't pass as one of the AuthParameters, then you receive the "Invalid
    // Refresh Token" error").
    await confirm(user);
    expect((await refreshTokenAuth(user, key(user))).AuthenticationResult?.AccessToken).toBeTruthy();
    expect((await getTokens(user.refreshToken, key(user))).AuthenticationResult?.AccessToken).toBeTruthy();
    expect(await outcome(refreshTokenAuth(user))).toEqual(INVALID_REFRESH);
    expect(await outcome(getTokens(user.refreshToken, undefined))).toEqual(INVALID_REFRESH);
  });

  it('this repository’s client refreshes once the BFF confirmed the device, and not before', async () => {
    await createConfirmedUser(conformance.cognito, {
      userPoolId: conformance.stack.userPoolId,
      username: 'spa-user',
      password: PASSWORD,
    });
    const client = new CognitoSignIn({
      userPoolId: conformance.stack.userPoolId,
      clientId: conformance.stack.clients.spa,
      endpoint: conformance.stack.cognito.url,
    });
    const step = await client.signIn({ username: 'spa-user', password: PASSWORD });
    if (step.kind !== 'signedIn' || !step.newDevice) throw new Error('expected tokens and a new device');
    const { refreshToken } = step.tokens;
    const before = await client
      .refresh({ refreshToken, deviceKey: step.newDevice.deviceKey })
      .catch((e) => e);
    expect(before).toBeInstanceOf(CognitoAuthError);
    expect(before).toMatchObject({ type: 'NotAuthorizedException', message: 'Invalid Refresh Token.' });
    const bff = new DeviceBffClient({
      baseUrl: conformance.stack.api.url,
      accessToken: () => step.tokens.accessToken,
    });
    await bff.confirmNewDevice(step.newDevice);
    const after = await client.refresh({ refreshToken, deviceKey: step.newDevice.deviceKey });
    expect(claims(after.accessToken).device_key).toBe(step.newDevice.deviceKey);
  });
});

describe('2. GetTokensFromRefreshToken and refresh-token rotation', () => {
  let rotating: string;
  beforeAll(async () => {
    const { UserPoolClient } = await conformance.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: conformance.stack.userPoolId,
        ClientName: 'rotating',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      }),
    );
    rotating = UserPoolClient?.ClientId ?? '';
  });
  /** A user signed in on the rotating client, its new device confirmed. */
  async function rotatingSignIn(username: string) {
    await createConfirmedUser(conformance.cognito, {
      userPoolId: conformance.stack.userPoolId,
      username,
      password: PASSWORD,
    });
    const { AuthenticationResult: r } = await conformance.cognito.send(
      new InitiateAuthCommand({
        ClientId: rotating,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD },
      }),
    );
    const deviceKey = r?.NewDeviceMetadata?.DeviceKey ?? '';
    await conformance.cognito.send(
      new ConfirmDeviceCommand({ AccessToken: r?.AccessToken, DeviceKey: deviceKey }),
    );
    return { refreshToken: r?.RefreshToken ?? '', deviceKey };
  }

  it('without rotation it issues new access and ID tokens only (API reference)', async () => {
    const user = await signIn(conformance.stack, 'no-rotation');
    await confirm(user);
    const { AuthenticationResult } = await getTokens(user.refreshToken, key(user));
    expect(AuthenticationResult?.RefreshToken).toBeUndefined();
    expect(claims(AuthenticationResult?.AccessToken ?? '')).toMatchObject({
      device_key: key(user),
      origin_jti: claims(user.accessToken).origin_jti,
    });
  });

  it('with rotation: a new refresh token each time, the old one good for the grace period, then RefreshTokenReuseException', async () => {
    const { refreshToken, deviceKey } = await rotatingSignIn('rotates');
    const first = (await getTokens(refreshToken, deviceKey, rotating)).AuthenticationResult;
    const next = first?.RefreshToken ?? '';
    expect(next).toBeTruthy();
    expect(next).not.toBe(refreshToken);
    // RetryGracePeriodSeconds: "the original refresh token … can remain valid for a period of time of up to 60
    // seconds. This allows for client-side retries" (RefreshTokenRotationType).
    const retry = (await getTokens(refreshToken, deviceKey, rotating)).AuthenticationResult;
    expect(retry?.RefreshToken).toBe(next);
    clock.offsetMs += 11_000;
    try {
      expect((await outcome(getTokens(refreshToken, deviceKey, rotating))) as { name: string }).toMatchObject(
        {
          name: 'RefreshTokenReuseException',
        },
      );
    } finally {
      clock.offsetMs -= 11_000;
    }
  });

  it('with rotation REFRESH_TOKEN_AUTH is refused, and the client cannot allow it (Developer Guide, "Refresh tokens")', async () => {
    const { refreshToken, deviceKey } = await rotatingSignIn('no-old-flow');
    const refused = await outcome(
      conformance.cognito.send(
        new InitiateAuthCommand({
          ClientId: rotating,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: refreshToken, DEVICE_KEY: deviceKey },
        }),
      ),
    );
    expect(refused).toMatchObject({ name: 'InvalidParameterException' });
    const both = await outcome(
      conformance.cognito.send(
        new CreateUserPoolClientCommand({
          UserPoolId: conformance.stack.userPoolId,
          ClientName: 'both',
          ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
          RefreshTokenRotation: { Feature: 'ENABLED' },
        }),
      ),
    );
    expect(both).toMatchObject({ name: 'InvalidParameterException' });
  });

  it('describe and update carry the setting; a Lite pool cannot rotate (Essentials or Plus only)', async () => {
    const described = await conformance.cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: conformance.stack.userPoolId, ClientId: rotating }),
    );
    expect(described.UserPoolClient?.RefreshTokenRotation).toEqual({
      Feature: 'ENABLED',
      RetryGracePeriodSeconds: 10,
    });
    const { UserPoolClient } = await conformance.cognito.send(
      new UpdateUserPoolClientCommand({
        UserPoolId: conformance.stack.userPoolId,
        ClientId: rotating,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'],
        RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
      }),
    );
    expect(UserPoolClient?.RefreshTokenRotation?.RetryGracePeriodSeconds).toBe(0);
    const { UserPool } = await conformance.cognito.send(
      new CreateUserPoolCommand({ PoolName: 'lite', UserPoolTier: 'LITE' }),
    );
    expect(
      await outcome(
        conformance.cognito.send(
          new CreateUserPoolClientCommand({
            UserPoolId: UserPool?.Id,
            ClientName: 'lite-rotating',
            ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
            RefreshTokenRotation: { Feature: 'ENABLED' },
          }),
        ),
      ),
    ).toMatchObject({ name: 'FeatureUnavailableInTierException' });
  });

  it('this repository’s client hands back the rotated refresh token', async () => {
    const { refreshToken, deviceKey } = await rotatingSignIn('client-rotates');
    const client = new CognitoSignIn({
      userPoolId: conformance.stack.userPoolId,
      clientId: rotating,
      endpoint: conformance.stack.cognito.url,
    });
    const refreshed = await client.refresh({ refreshToken, deviceKey });
    expect(refreshed.refreshToken).not.toBe(refreshToken);
    const again = await client.refresh({ refreshToken: refreshed.refreshToken, deviceKey });
    expect(again.refreshToken).not.toBe(refreshed.refreshToken);
  });
});

describe('3. a remembered device stands in for MFA only with ChallengeRequiredOnNewDevice', () => {
  // DeviceConfigurationType: "When true, a remembered device can sign in with device authentication instead of
  // SMS and time-based one-time password (TOTP) factors for multi-factor authentication (MFA)"; the combinations
  // in lgallard/terraform-aws-cognito-user-pool #124 ("User opt-in", bypass MFA "NO": false / true).
  async function challengesOnRememberedDevice(challengeRequiredOnNewDevice: boolean): Promise<string[]> {
    const { UserPool } = await conformance.cognito.send(
      new CreateUserPoolCommand({
        PoolName: `challenge-${challengeRequiredOnNewDevice}`,
        MfaConfiguration: 'OPTIONAL',
        DeviceConfiguration: {
          ChallengeRequiredOnNewDevice: challengeRequiredOnNewDevice,
          DeviceOnlyRememberedOnUserPrompt: true,
        },
      }),
    );
    const userPoolId = UserPool?.Id ?? '';
    const { UserPoolClient } = await conformance.cognito.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      }),
    );
    await createConfirmedUser(conformance.cognito, { userPoolId, username: 'mfa', password: PASSWORD });
    const client = new CognitoSignIn({
      userPoolId,
      clientId: UserPoolClient?.ClientId ?? '',
      endpoint: conformance.stack.cognito.url,
    });
    const enrol = await client.signIn({ username: 'mfa', password: PASSWORD });
    if (enrol.kind !== 'signedIn' || !enrol.newDevice) throw new Error('expected a new device');
    const secret = await enrolTotp(conformance.cognito, enrol.tokens.accessToken);
    // Confirmed with a secret and remembered, as an app does at sign-in and on "remember this device".
    const bffLike = await import('../../client/device-verifier.js');
    const { devicePassword, ...verifier } = bffLike.createDeviceSecretVerifier(
      enrol.newDevice.deviceKey,
      enrol.newDevice.deviceGroupKey,
    );
    await conformance.cognito.send(
      new ConfirmDeviceCommand({
        AccessToken: enrol.tokens.accessToken,
        DeviceKey: enrol.newDevice.deviceKey,
        DeviceSecretVerifierConfig: { PasswordVerifier: verifier.passwordVerifier, Salt: verifier.salt },
      }),
    );
    await conformance.cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: enrol.tokens.accessToken,
        DeviceKey: enrol.newDevice.deviceKey,
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const asked: string[] = [];
    let step: SignInStep = await client.signIn({
      username: 'mfa',
      password: PASSWORD,
      device: { ...enrol.newDevice, devicePassword },
    });
    while (step.kind === 'totpRequired') {
      asked.push('SOFTWARE_TOKEN_MFA');
      step = await step.answer(totpCode(secret, Date.now()));
    }
    expect(claims(step.tokens.accessToken).device_key).toBe(enrol.newDevice.deviceKey);
    return asked;
  }

  it('true: the remembered device skips TOTP', async () => {
    expect(await challengesOnRememberedDevice(true)).toEqual([]);
  });

  it('false: the remembered device still answers TOTP', async () => {
    expect(await challengesOnRememberedDevice(false)).toEqual(['SOFTWARE_TOKEN_MFA']);
  });
});

describe('4. access and ID tokens are signed with different keys, both in the JWKS', () => {
  // Developer Guide, "Understanding the access token": "Amazon Cognito signs access tokens with a different key
  // from the key that signs ID tokens. The value of an access key ID (kid) claim won't match the value of the kid
  // claim in an ID token from the same user session."
  it('has two kids, and each token verifies against the published key set', async () => {
    const user = await signIn(conformance.stack, 'two-keys');
    expect(header(user.accessToken).kid).not.toBe(header(user.idToken).kid);
    const jwks = (await (
      await fetch(conformance.stack.cognito.jwksUri(conformance.stack.userPoolId))
    ).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual(
      [header(user.accessToken).kid, header(user.idToken).kid].sort(),
    );
    for (const tokenUse of ['access', 'id'] as const) {
      const verifier = CognitoJwtVerifier.create({
        userPoolId: conformance.stack.userPoolId,
        tokenUse,
        clientId: conformance.stack.clients.mobile,
      });
      verifier.cacheJwks(jwks as never);
      await expect(
        verifier.verify(tokenUse === 'access' ? user.accessToken : user.idToken),
      ).resolves.toBeTruthy();
    }
    // An ID token is no access token: the API refuses it.
    expect(
      await outcome(conformance.cognito.send(new GetUserCommand({ AccessToken: user.idToken }))),
    ).toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});

describe('5. device dates', () => {
  // aws/aws-cli awscli/examples/cognito-idp/list-devices.rst: "DeviceCreateDate": 1715100742.022,
  // "DeviceLastModifiedDate": 1723233651.167, "DeviceLastAuthenticatedDate": 1715100742.0; the same in the output
  // recorded in aws-amplify/amplify-js PR #12171 (…44.956Z, …09.693Z, …09.000Z).
  it('the last sign-in is whole seconds; creation and modification keep milliseconds', async () => {
    const user = await signIn(conformance.stack, 'dates');
    await confirm(user);
    await conformance.cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: user.accessToken,
        DeviceKey: key(user),
        DeviceRememberedStatus: 'remembered',
      }),
    );
    const { text } = await raw('ListDevices', { AccessToken: user.accessToken, Limit: 1 });
    const numbers = (name: string) => new RegExp(`"${name}":(\\d+(?:\\.\\d+)?)`).exec(text)?.[1] ?? '';
    expect(numbers('DeviceLastAuthenticatedDate')).toMatch(/^\d{10}$/);
    // Milliseconds, unless the clock happened to sit on a whole second.
    expect(numbers('DeviceCreateDate')).toMatch(/^\d{10}(\.\d{1,3})?$/);
    const { Devices } = await conformance.cognito.send(
      new ListDevicesCommand({ AccessToken: user.accessToken }),
    );
    expect(Devices?.[0]?.DeviceLastAuthenticatedDate?.getMilliseconds()).toBe(0);
  });
});

describe('6. refusal texts and headers', () => {
  it('"Invalid Refresh Token." with x-amzn-ErrorType "NotAuthorizedException:" (aws-sdk-ios #2354, aws-sdk-cpp #1789)', async () => {
    const res = await raw('InitiateAuth', {
      ClientId: conformance.stack.clients.mobile,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: 'not-a-refresh-token' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException:');
    expect(res.headers.get('x-amzn-errormessage')).toBe('Invalid Refresh Token.');
    expect(JSON.parse(res.text)).toEqual({
      __type: 'NotAuthorizedException',
      message: 'Invalid Refresh Token.',
    });
  });

  it('an expired refresh token is "Refresh Token has expired" (aws-amplify/amplify-swift #3496)', async () => {
    const user = await signIn(conformance.stack, 'expires');
    await confirm(user);
    clock.offsetMs += 31 * 24 * 60 * 60 * 1000;
    try {
      expect(await outcome(refreshTokenAuth(user, key(user)))).toEqual({
        name: 'NotAuthorizedException',
        message: 'Refresh Token has expired',
      });
    } finally {
      clock.offsetMs -= 31 * 24 * 60 * 60 * 1000;
    }
  });

  it('a token without the admin scope is "Access Token does not have required scopes" (aws-sdk-android #1813, amplify-js #1906)', async () => {
    const user = await signIn(conformance.stack, 'no-scope');
    const signingKey = conformance.stack.cognito.store.data.pools[conformance.stack.userPoolId]?.signingKey;
    if (!signingKey) throw new Error('no pool key');
    const payload = { ...claims(user.accessToken), scope: 'openid email' };
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ kid: signingKey.kid, alg: 'RS256' })}.${encode(payload)}`;
    const token = `${input}.${createSign('RSA-SHA256').update(input).sign(createPrivateKey(signingKey.privateKeyPem), 'base64url')}`;
    expect(await outcome(conformance.cognito.send(new ListDevicesCommand({ AccessToken: token })))).toEqual({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
    // The BFF refuses it itself, before Cognito: 403 with the scope it needs.
    const res = await call(conformance.stack, 'GET', '/devices', { token });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'insufficient_scope' });
  });
});

describe('sign out everywhere ends sessions that forgetting devices cannot reach', () => {
  // GlobalSignOut (API reference): "Invalidates the identity, access, and refresh tokens that Amazon Cognito issued
  // to a user … Amazon Cognito no longer accepts a signed-out user's refresh tokens in refresh requests", and access
  // tokens get "Access Token has been revoked". Forgetting a device ends only its own refresh tokens (AWS blog
  // quoted in aws-amplify/amplify-js #2962), and the token API reaches remembered devices only.
  it('forget-others reaches no unremembered device; sign-out-everywhere ends every session, and this device signs in again without MFA', async () => {
    // The victim, on a remembered device.
    const victim = await signIn(conformance.stack, 'victim');
    await confirm(victim);
    await conformance.cognito.send(
      new UpdateDeviceStatusCommand({
        AccessToken: victim.accessToken,
        DeviceKey: key(victim),
        DeviceRememberedStatus: 'remembered',
      }),
    );
    // The attacker, with the password: one sign-in confirmed but never remembered, one with no device at all in
    // the sense that matters (never confirmed, so Cognito itself already refuses its refresh).
    const confirmedOnly = await signIn(conformance.stack, 'victim');
    await confirm(confirmedOnly);
    const unconfirmed = await signIn(conformance.stack, 'victim');
    expect((await refreshTokenAuth(confirmedOnly, key(confirmedOnly))).AuthenticationResult).toBeTruthy();
    expect(await outcome(refreshTokenAuth(unconfirmed, key(unconfirmed)))).toEqual(INVALID_REFRESH);

    const forget = await call(conformance.stack, 'POST', '/devices/forget-others', {
      token: victim.accessToken,
    });
    expect(forget.body).toEqual({ forgotten: 0, remaining: 0, complete: true, keptDeviceKey: key(victim) });
    expect((await refreshTokenAuth(confirmedOnly, key(confirmedOnly))).AuthenticationResult).toBeTruthy();

    const out = await call(conformance.stack, 'POST', '/sign-out-everywhere', { token: victim.accessToken });
    expect(out.status).toBe(200);
    expect(out.body).toEqual({ signedOut: 'everywhere', next: 'sign_in' });
    for (const session of [confirmedOnly, unconfirmed, victim]) {
      expect(await outcome(refreshTokenAuth(session, key(session)))).toMatchObject({
        name: 'NotAuthorizedException',
      });
      const res = await call(conformance.stack, 'GET', '/devices', { token: session.accessToken });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'not_authorized' });
    }
    // Devices are kept: the victim's device is still remembered, so signing in again on it skips MFA (the demo's
    // browser test and test/e2e/sign-out-everywhere.test.ts show that sign-in).
    const { Device } = await conformance.cognito.send(
      new AdminGetDeviceCommand({
        UserPoolId: conformance.stack.userPoolId,
        Username: 'victim',
        DeviceKey: key(victim),
      }),
    );
    expect(Device?.DeviceAttributes).toContainEqual({
      Name: 'dev:device_remembered_status',
      Value: 'remembered',
    });
  });
});
