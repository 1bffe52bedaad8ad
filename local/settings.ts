import { readFileSync } from 'node:fs';
import { loadStageConfig, type StageConfig } from '../infra/config.js';

/** Where `npm start` keeps its state and tells `npm run token` how to reach it. */
export const LOCAL_DIR = '.local';
export const CONNECTION_FILE = `${LOCAL_DIR}/stack.json`;

/** Environment variables that override the stage config for the local stack, by config key. */
const ENV_OVERRIDES: Record<string, string> = {
  stage: 'STAGE',
  signInWith: 'SIGN_IN_WITH',
  passwordless: 'PASSWORDLESS',
  passkeyRelyingPartyId: 'PASSKEY_RELYING_PARTY_ID',
  usernameCaseSensitive: 'USERNAME_CASE_SENSITIVE',
  deviceTracking: 'DEVICE_TRACKING',
  featurePlan: 'FEATURE_PLAN',
  mfa: 'MFA',
  spaOrigins: 'SPA_ORIGINS',
  fullDeviceView: 'FULL_DEVICE_VIEW',
  refreshTokenRotation: 'REFRESH_TOKEN_ROTATION',
  edge: 'EDGE',
  rememberFor: 'REMEMBER_FOR',
};

/**
 * The same stage config `cdk synth` uses (cdk.json context over the stage defaults), with the overrides
 * above from the environment, so the local pool is configured like the deployed one.
 */
export function localStageConfig(env: Record<string, string | undefined> = process.env): StageConfig {
  const cdkContext = (JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context ??
    {}) as Record<string, unknown>;
  return loadStageConfig((key) => {
    const variable = ENV_OVERRIDES[key];
    const value = (variable && env[variable]) || cdkContext[key];
    // Locally the SPA runs on localhost, so that is where passkeys belong unless told otherwise.
    return key === 'passkeyRelyingPartyId' ? (value ?? 'localhost') : value;
  });
}

export interface Connection {
  readonly apiUrl: string;
  readonly cognitoUrl: string;
  readonly region: string;
  readonly userPoolId: string;
  readonly clients: { readonly mobile: string; readonly spa: string };
  /** The demo user's TOTP secret (development only), for `npm run token` and `npm run totp`. */
  readonly demoTotpSecret?: string;
}

/** The running local stack's connection details, or exit with a one-line hint when none is running. */
export function readConnection(): Connection {
  try {
    return JSON.parse(readFileSync(CONNECTION_FILE, 'utf8')) as Connection;
  } catch {
    console.error('No local stack is running: start it with `npm start` first.');
    process.exit(1);
  }
}
