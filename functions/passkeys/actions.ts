import type { Action } from '../http/route-handler.js';
import { parseInput } from '../validation.js';
import { CompletePasskeyBody, CredentialIdPath } from './schemas.js';

/**
 * The caller's passkeys: list, add in two steps (the options for the browser, then its credential), remove. Adding and
 * removing are events ("a new passkey was added to your account"), named by the credential id; the device they were
 * made from is the caller's.
 */
export const listPasskeys: Action = async ({ principal, passkeys }) => ({
  status: 200,
  body: { passkeys: await passkeys.list(principal) },
});

export const startPasskeyRegistration: Action = async ({ principal, passkeys }) => ({
  status: 200,
  body: { options: await passkeys.startRegistration(principal) },
});

export const completePasskeyRegistration: Action = async ({ principal, passkeys, body }) => {
  const { credential } = parseInput(CompletePasskeyBody, body, 'body');
  await passkeys.completeRegistration(principal, credential);
  return {
    status: 201,
    body: { credentialId: credential.id },
    headers: { Location: `/passkeys/${credential.id}` },
    changes: [
      {
        type: 'Passkey added',
        deviceKey: principal.deviceKey ?? null,
        deviceName: null,
        passkey: { credentialId: credential.id },
      },
    ],
  };
};

export const removePasskey: Action = async ({ event, principal, passkeys }) => {
  const { credentialId } = parseInput(CredentialIdPath, event.pathParameters ?? {}, 'path');
  await passkeys.remove(principal, credentialId);
  return {
    status: 204,
    changes: [
      {
        type: 'Passkey removed',
        deviceKey: principal.deviceKey ?? null,
        deviceName: null,
        passkey: { credentialId },
      },
    ],
  };
};
