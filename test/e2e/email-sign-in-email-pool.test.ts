// Routes: POST /devices, PUT /devices/{deviceKey}/status, GET /devices, GET /devices/{deviceKey} (full view). Flow:
// sign-in with the email that is the username (signInWith email, as Amplify Gen 2 makes pools), any case.
import { describeEmailSignIn } from './email-sign-in.scenario.js';

describeEmailSignIn('email', { fullDeviceView: true });
