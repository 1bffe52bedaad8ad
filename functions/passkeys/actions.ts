import type { Action } from '../http/route-handler.js';
import { parseInput } from '../validation.js';
import { CompletePasskeyBody, CredentialIdPath } from './schemas.js';

/**
 * The caller's passkeys: list, add in two steps (the options for the browser, then its credential), remove. Adding and
 * removing are events ("a new passkey was added to your account"), named by the credential id; the device they were
 * made from is the caller's. Adding lists the passkeys before and after (two reads on a rare route), so that what is
 * answered and published is the id Cognito stored.
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
  const before = new Set((await passkeys.list(principal)).map((p) => p.credentialId));
  await passkeys.completeRegistration(principal, credential);
  // The id Cognito stored, never the one the request claims: the passkey that was not there before. Null only when
  // the list does not show it (another one added at the same moment); the passkey is added either way.
  const credentialId =
    (await passkeys.list(principal)).find((p) => !before.has(p.credentialId))?.credentialId ?? null;
  return {
    status: 201,
    body: { credentialId },
    ...(credentialId && { headers: { Location: `/passkeys/${credentialId}` } }),
    changes: [
      {
        type: 'Passkey added',
        deviceKey: principal.deviceKey ?? null,
        deviceName: null,
        passkey: { credentialId },
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
