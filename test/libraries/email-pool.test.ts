// Flow: amazon-cognito-identity-js and aws-amplify 6 sign in with the email that is the username (signInWith email,
// as Amplify Gen 2 makes pools), confirm their devices themselves; the BFF lists and remembers them.
import { describeLibrariesWithEmail } from './email-sign-in.scenario.js';

describeLibrariesWithEmail('email');
