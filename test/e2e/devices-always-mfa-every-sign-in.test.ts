import { mfaEverySignIn } from './mfa-every-sign-in.scenario.js';

mfaEverySignIn('always-mfa-every-sign-in', false);
