// Routes: POST /devices, PUT /devices/{deviceKey}/status, GET /devices. Flow: sign-in with the verified email (an
// alias) or the username, any case, in the stack's default pool (signInWith username).
import { describeEmailSignIn } from './email-sign-in.scenario.js';

describeEmailSignIn('username');
