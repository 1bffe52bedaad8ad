// Flow: amazon-cognito-identity-js and aws-amplify 6 sign in with the verified email (an alias) or the username in the
// stack's default pool (signInWith username), confirm their devices themselves; the BFF lists and remembers them.
import { describeLibrariesWithEmail } from './email-sign-in.scenario.js';

describeLibrariesWithEmail('username');
