import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DEMO_USER } from './bootstrap.js';
import { totpCode } from './cognito/totp.js';
import { readConnection } from './settings.js';
import { ChallengeRequiredError, passwordSignIn } from './users.js';

/**
 * `npm run -s token`: signs a user in against the running local stack (`npm start`) and prints only the
 * access token, for `TOKEN=$(npm run -s token)`. COGNITO_USERNAME (a username or an email) and COGNITO_PASSWORD default to the demo user; CLIENT is
 * `mobile` or `spa`; DEVICE_KEY signs in as an already confirmed device.
 */
const connection = readConnection();
const client = process.env.CLIENT === 'spa' ? connection.clients.spa : connection.clients.mobile;
const cognito = new CognitoIdentityProviderClient({
  region: connection.region,
  endpoint: connection.cognitoUrl,
});
const username = process.env.COGNITO_USERNAME ?? DEMO_USER.email;
// The demo user (by their email or username, in any case) has TOTP: answer it from the local stack's secret.
const isDemoUser = ([DEMO_USER.email, DEMO_USER.username] as string[]).includes(username.toLowerCase());
try {
  const result = await passwordSignIn(cognito, {
    clientId: client,
    username,
    password: process.env.COGNITO_PASSWORD ?? DEMO_USER.password,
    deviceKey: process.env.DEVICE_KEY,
    totp:
      connection.demoTotpSecret && isDemoUser
        ? () => totpCode(connection.demoTotpSecret ?? '', Date.now())
        : undefined,
  });
  if (result.NewDeviceMetadata) {
    console.error(`New device: ${JSON.stringify(result.NewDeviceMetadata)} (confirm it with POST /devices)`);
  }
  console.log(result.AccessToken);
} catch (error) {
  // Cognito's messages can quote input: its exception name says enough. A challenge is named in full.
  console.error(
    error instanceof ChallengeRequiredError ? error.message : `Sign-in failed: ${(error as Error).name}`,
  );
  process.exit(1);
}
