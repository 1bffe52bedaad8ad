import { readFileSync } from 'node:fs';
import { totpCode } from './cognito/totp.js';
import { CONNECTION_FILE, type Connection } from './settings.js';

/** `npm run -s totp`: the demo user's current TOTP code, from the running local stack (development only). */
let connection: Connection;
try {
  connection = JSON.parse(readFileSync(CONNECTION_FILE, 'utf8'));
} catch {
  console.error('No local stack is running: start it with `npm start` first.');
  process.exit(1);
}
if (!connection.demoTotpSecret) {
  console.error('The local pool has no MFA (MFA=off): there is no code to show.');
  process.exit(1);
}
console.log(totpCode(connection.demoTotpSecret, Date.now()));
