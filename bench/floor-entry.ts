/**
 * The benchmark's floor: only what every function cannot do without, the Cognito SDK client and the
 * aws-jwt-verify verifier, built and hydrated the way the functions do it, with nothing of ours.
 */
import { readFileSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';

export const client = new CognitoIdentityProviderClient({ region: 'eu-west-1' });
export const verifier = CognitoJwtVerifier.create({
  userPoolId: process.env.USER_POOL_ID ?? '',
  tokenUse: 'access',
  clientId: (process.env.APP_CLIENT_IDS ?? '').split(','),
  scope: 'aws.cognito.signin.user.admin',
});
verifier.cacheJwks(JSON.parse(readFileSync(new URL(process.env.JWKS_URI ?? ''), 'utf8')));
export const handler = async (token: string) => {
  await verifier.verify(token);
  return client.send(new ConfirmDeviceCommand({ AccessToken: token, DeviceKey: 'eu-west-1_00' }));
};
