// Routes: POST /devices, GET /devices. Flow: an `always` pool that asks for MFA at every sign-in (mfa-every-sign-in.scenario.ts).
import { mfaEverySignIn } from './mfa-every-sign-in.scenario.js';

mfaEverySignIn('always-mfa-every-sign-in', false);
