import {
  type CognitoIdentityProviderClient,
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  ListWebAuthnCredentialsCommand,
  StartWebAuthnRegistrationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DeviceOwner } from '../devices/directory.js';
import type { Passkey, PasskeyDirectory } from '../passkeys/passkey.js';
import { cognitoCall } from './call.js';

/** Pages of ListWebAuthnCredentials read for one list (20 each, the most Cognito gives). */
const MAX_PAGES = 5;

/** The Cognito adapter of {@link PasskeyDirectory}: every call with the caller's own access token, no IAM. */
export class CognitoPasskeyDirectory implements PasskeyDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly callBudgetMs: number,
  ) {}

  async list(owner: DeviceOwner): Promise<Passkey[]> {
    const passkeys: Passkey[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const output = await cognitoCall(this.callBudgetMs, 'ListWebAuthnCredentials', owner, (options) =>
        this.client.send(
          new ListWebAuthnCredentialsCommand({
            AccessToken: owner.accessToken,
            MaxResults: 20,
            NextToken: nextToken,
          }),
          options,
        ),
      );
      for (const c of output.Credentials ?? []) {
        passkeys.push({
          credentialId: c.CredentialId ?? '',
          name: c.FriendlyCredentialName ?? '',
          relyingPartyId: c.RelyingPartyId ?? '',
          authenticatorAttachment: c.AuthenticatorAttachment ?? null,
          transports: c.AuthenticatorTransports ?? [],
          createdAt: c.CreatedAt ? c.CreatedAt.toISOString() : null,
        });
      }
      nextToken = output.NextToken;
      if (!nextToken) break;
    }
    return passkeys;
  }

  async remove(owner: DeviceOwner, credentialId: string): Promise<void> {
    await cognitoCall(this.callBudgetMs, 'DeleteWebAuthnCredential', owner, (options) =>
      this.client.send(
        new DeleteWebAuthnCredentialCommand({ AccessToken: owner.accessToken, CredentialId: credentialId }),
        options,
      ),
    );
  }

  async startRegistration(owner: DeviceOwner): Promise<Record<string, unknown>> {
    const output = await cognitoCall(this.callBudgetMs, 'StartWebAuthnRegistration', owner, (options) =>
      this.client.send(new StartWebAuthnRegistrationCommand({ AccessToken: owner.accessToken }), options),
    );
    return (output.CredentialCreationOptions ?? {}) as Record<string, unknown>;
  }

  async completeRegistration(owner: DeviceOwner, credential: Record<string, unknown>): Promise<void> {
    await cognitoCall(this.callBudgetMs, 'CompleteWebAuthnRegistration', owner, (options) =>
      this.client.send(
        new CompleteWebAuthnRegistrationCommand({
          AccessToken: owner.accessToken,
          Credential: credential as never,
        }),
        options,
      ),
    );
  }
}
