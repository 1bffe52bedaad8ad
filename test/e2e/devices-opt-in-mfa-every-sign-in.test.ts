import { mfaEverySignIn } from './mfa-every-sign-in.scenario.js';

mfaEverySignIn('opt-in-mfa-every-sign-in', true);
