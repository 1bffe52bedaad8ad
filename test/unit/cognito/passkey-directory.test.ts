import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import {
  CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoPasskeyDirectory } from '../../../functions/cognito/passkey-directory.js';
import { ApiError } from '../../../functions/errors.js';

const OWNER = { accessToken: 'header.payload.signature', username: 'alice' };
const cognito = mockClient(CognitoIdentityProviderClient);
const passkeys = new CognitoPasskeyDirectory(
  new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
  1_000,
);

beforeEach(() => cognito.reset());

describe('the passkey operations, with the caller’s own token', () => {
  it('lists every page, as the API answers passkeys', async () => {
    const credential = (id: string) => ({
      CredentialId: id,
      FriendlyCredentialName: 'Passkey',
      RelyingPartyId: 'app.example.com',
      AuthenticatorAttachment: 'platform',
      AuthenticatorTransports: ['internal'],
      CreatedAt: new Date('2026-12-01T10:00:00Z'),
    });
    cognito
      .on(ListWebAuthnCredentialsCommand, { NextToken: undefined })
      .resolves({ Credentials: [credential('a')], NextToken: 'next' })
      .on(ListWebAuthnCredentialsCommand, { NextToken: 'next' })
      .resolves({ Credentials: [credential('b')] });
    expect(await passkeys.list(OWNER)).toEqual([
      {
        credentialId: 'a',
        name: 'Passkey',
        relyingPartyId: 'app.example.com',
        authenticatorAttachment: 'platform',
        transports: ['internal'],
        createdAt: '2026-12-01T10:00:00.000Z',
      },
      expect.objectContaining({ credentialId: 'b' }),
    ]);
    expect(cognito.commandCalls(ListWebAuthnCredentialsCommand).map((c) => c.args[0].input)).toEqual([
      { AccessToken: OWNER.accessToken, MaxResults: 20, NextToken: undefined },
      { AccessToken: OWNER.accessToken, MaxResults: 20, NextToken: 'next' },
    ]);
  });

  it('passes the registration through unchanged, both ways', async () => {
    const options = { challenge: 'abc', rp: { id: 'app.example.com', name: 'app.example.com' } };
    cognito.on(StartWebAuthnRegistrationCommand).resolves({ CredentialCreationOptions: options as never });
    expect(await passkeys.startRegistration(OWNER)).toEqual(options);
    cognito.on(CompleteWebAuthnRegistrationCommand).resolves({});
    const credential = { id: 'cred', rawId: 'cred', type: 'public-key', response: {} };
    await passkeys.completeRegistration(OWNER, credential);
    expect(cognito.commandCalls(CompleteWebAuthnRegistrationCommand)[0]?.args[0].input).toEqual({
      AccessToken: OWNER.accessToken,
      Credential: credential,
    });
  });

  it('a passkey that is not there is passkey_not_found, not a device', async () => {
    cognito
      .on(DeleteWebAuthnCredentialCommand)
      .rejects(new sdk.ResourceNotFoundException({ message: 'not found', $metadata: {} }));
    await expect(passkeys.remove(OWNER, 'gone')).rejects.toMatchObject({
      status: 404,
      code: 'passkey_not_found',
    });
  });
});

describe('every exception the model lists for the passkey operations maps to its status and code', () => {
  const expected: Record<string, [number, string]> = {
    WebAuthnNotEnabledException: [409, 'passkeys_not_enabled'],
    WebAuthnConfigurationMissingException: [500, 'web_authn_configuration_missing'],
    WebAuthnChallengeNotFoundException: [409, 'passkey_registration_expired'],
    WebAuthnClientMismatchException: [409, 'passkey_registration_other_app'],
    WebAuthnOriginNotAllowedException: [400, 'passkey_origin_not_allowed'],
    WebAuthnRelyingPartyMismatchException: [400, 'passkey_relying_party_mismatch'],
    WebAuthnCredentialNotSupportedException: [400, 'passkey_not_supported'],
    NotAuthorizedException: [401, 'not_authorized'],
    ForbiddenException: [403, 'forbidden'],
    PasswordResetRequiredException: [403, 'password_reset_required'],
    InvalidParameterException: [400, 'invalid_parameter'],
    LimitExceededException: [409, 'passkey_limit_reached'],
    TooManyRequestsException: [429, 'too_many_requests'],
    OperationNotEnabledException: [503, 'operation_not_enabled'],
    InternalErrorException: [502, 'upstream_internal_error'],
    ResourceNotFoundException: [404, 'passkey_not_found'],
  };

  it.each(Object.entries(expected))('%s → %j', async (name, [status, code]) => {
    const ExceptionClass = sdk[name as keyof typeof sdk] as unknown as new (opts: {
      message: string;
      $metadata: object;
    }) => Error;
    const error = new ExceptionClass({ message: `${name} from Cognito`, $metadata: {} });
    cognito.on(CompleteWebAuthnRegistrationCommand).rejects(error);
    cognito.on(DeleteWebAuthnCredentialCommand).rejects(error);
    // ResourceNotFoundException is the delete's; every other is asked of the registration.
    const failed = await (name === 'ResourceNotFoundException'
      ? passkeys.remove(OWNER, 'id')
      : passkeys.completeRegistration(OWNER, {})
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ status, code });
    // Cognito's own message for a refused passkey is not relayed: the details are ours.
    if (name.startsWith('WebAuthn')) expect((failed as ApiError).message).not.toContain('from Cognito');
  });

  it('covers them all', async () => {
    const { readFile } = await import('node:fs/promises');
    const model = JSON.parse(
      await readFile(new URL('../../../local/cognito/service-model.json', import.meta.url), 'utf8'),
    );
    const ops = [
      'ListWebAuthnCredentials',
      'DeleteWebAuthnCredential',
      'StartWebAuthnRegistration',
      'CompleteWebAuthnRegistration',
    ];
    const listed = new Set(
      ops.flatMap((op) => model.operations[op].errors.map((e: { shape: string }) => e.shape)),
    );
    expect([...listed].filter((name) => !(name in expected))).toEqual([]);
  });
});
