// Routes: POST /devices, PUT /devices/{deviceKey}/status, GET /devices. Flow: an `opt-in` pool that asks for MFA at
// every sign-in (mfa-every-sign-in.scenario.ts).
import { mfaEverySignIn } from './mfa-every-sign-in.scenario.js';

mfaEverySignIn('opt-in-mfa-every-sign-in', true);
