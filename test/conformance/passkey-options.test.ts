import {
  type CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CognitoStandIn } from '../../local/cognito/server.js';
import { createConfirmedUser, passwordSignIn } from '../../local/users.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { createPoolAndClient, startStandIn } from '../support/stand-in.js';

/**
 * The passkey options the stand-in hands out have the shape of the ones aws-amplify/amplify-js keeps as fixtures of
 * the service's answers (packages/auth/__tests__/mockData.ts: `passkeyRegistrationRequestJson`, the
 * `CredentialCreationOptions` of StartWebAuthnRegistration, and `passkeyCredentialRequestOptions`, the
 * `CREDENTIAL_REQUEST_OPTIONS` of a WEB_AUTHN challenge): every member they have, with the values a pool with
 * `localhost` as its relying party and required user verification gives.
 */
const CREATION_OPTIONS = {
  rp: { id: 'localhost', name: 'localhost' },
  user: { id: 'vJCit9S2cglAvvW3txQ-OQ', name: 'james', displayName: '' },
  challenge: 'vJCit9S2cglAvvW3txQ-OQ',
  pubKeyCredParams: [
    { type: 'public-key', alg: -7 },
    { type: 'public-key', alg: -257 },
  ],
  timeout: 60000,
  excludeCredentials: [{ type: 'public-key', id: 'vJCit9S2cglAvvW3txQ-OQ' }],
  authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: 'required' },
};
const REQUEST_OPTIONS = JSON.parse(
  '{"hints":[],"attestation":"none","attestationFormats":[],"challenge":"9DAxgg4vPiaxvAxc-JbMuw","timeout":180000,"rpId":"localhost","allowCredentials":[{"id":"1oG8PrTycHFuWdHAjIelCnsVx7XsrGIL44Whwr_8F8k","type":"public-key"}],"userVerification":"required"}',
);

/** Every member path of a JSON value (arrays by their first item), e.g. `rp.id`, `pubKeyCredParams[].alg`. */
function paths(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return value.length ? paths(value[0], `${prefix}[]`) : [`${prefix}[]`];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => paths(v, prefix ? `${prefix}.${key}` : key));
  return [prefix];
}

let standIn: CognitoStandIn;
let cognito: CognitoIdentityProviderClient;
let clientId: string;
let accessToken: string;

beforeAll(async () => {
  ({ standIn, cognito } = await startStandIn());
  const created = await createPoolAndClient(
    cognito,
    {
      PoolName: 'fixtures',
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } },
    },
    ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  );
  const userPoolId = created.poolId;
  clientId = created.clientId;
  await cognito.send(
    new SetUserPoolMfaConfigCommand({
      UserPoolId: userPoolId,
      WebAuthnConfiguration: { RelyingPartyId: 'localhost', UserVerification: 'required' },
    }),
  );
  await createConfirmedUser(cognito, { userPoolId, username: 'james', password: 'Fixture-passw0rd!' });
  accessToken =
    (await passwordSignIn(cognito, { clientId, username: 'james', password: 'Fixture-passw0rd!' }))
      .AccessToken ?? '';
});
afterAll(async () => {
  await standIn.close();
});

describe('passkey options, as Amplify’s fixtures of the service record them', () => {
  const authenticator = new SoftAuthenticator('http://localhost:3000');

  it('StartWebAuthnRegistration: every member of the creation options, with the same settings', async () => {
    // A first passkey, so that the second registration's options exclude it, as the fixture's do.
    const first = await cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }));
    await cognito.send(
      new CompleteWebAuthnRegistrationCommand({
        AccessToken: accessToken,
        Credential: authenticator.create(first.CredentialCreationOptions as never) as never,
      }),
    );
    const { CredentialCreationOptions: options } = await cognito.send(
      new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }),
    );
    expect(paths(options)).toEqual(expect.arrayContaining(paths(CREATION_OPTIONS)));
    expect(options).toMatchObject({
      rp: CREATION_OPTIONS.rp,
      user: { name: 'james', displayName: '' },
      pubKeyCredParams: expect.arrayContaining(CREATION_OPTIONS.pubKeyCredParams),
      timeout: CREATION_OPTIONS.timeout,
      excludeCredentials: [expect.objectContaining({ type: 'public-key', id: authenticator.credentialId })],
      authenticatorSelection: CREATION_OPTIONS.authenticatorSelection,
    });
  });

  it('the WEB_AUTHN challenge: every member of CREDENTIAL_REQUEST_OPTIONS, with the same settings', async () => {
    const started = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'james', PREFERRED_CHALLENGE: 'WEB_AUTHN' },
      }),
    );
    expect(started.ChallengeName).toBe('WEB_AUTHN');
    const options = JSON.parse(started.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}');
    expect(paths(options)).toEqual(expect.arrayContaining(paths(REQUEST_OPTIONS)));
    expect(options).toMatchObject({
      hints: [],
      attestation: 'none',
      attestationFormats: [],
      timeout: REQUEST_OPTIONS.timeout,
      rpId: 'localhost',
      allowCredentials: [expect.objectContaining({ id: authenticator.credentialId, type: 'public-key' })],
      userVerification: 'required',
    });
  });
});
