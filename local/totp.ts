import { totpCode } from './cognito/totp.js';
import { readConnection } from './settings.js';

/** `npm run -s totp`: the demo user's current TOTP code, from the running local stack (development only). */
const connection = readConnection();
if (!connection.demoTotpSecret) {
  console.error('The local pool has no MFA (MFA=off): there is no code to show.');
  process.exit(1);
}
console.log(totpCode(connection.demoTotpSecret, Date.now()));
