import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createSigningKey } from './signing-key.js';
import type { ServerSession } from './srp.js';

export type RememberedStatus = 'remembered' | 'not_remembered';

export interface DeviceRecord {
  key: string;
  groupKey: string;
  /** False between the sign-in that issued NewDeviceMetadata and ConfirmDevice. Unconfirmed devices are not listed. */
  confirmed: boolean;
  name?: string;
  /** SRP verifier and salt from ConfirmDevice (base64), for DEVICE_SRP_AUTH. */
  verifier?: string;
  salt?: string;
  remembered: RememberedStatus;
  createdAt: number;
  lastModifiedAt: number;
  lastAuthenticatedAt?: number;
  lastIp?: string;
}

/** One sign-in: its refresh token and every token minted from it share `originJti`. */
export interface SessionRecord {
  originJti: string;
  clientId: string;
  /** The refresh token that works now (rotation replaces it on every GetTokensFromRefreshToken). */
  refreshToken: string;
  /**
   * Refresh tokens rotation replaced, newest last: each still works until `graceUntil` (the client's
   * `RetryGracePeriodSeconds`), and is `RefreshTokenReuseException` afterwards. Bounded to the last few.
   */
  rotatedOut?: { token: string; graceUntil: number }[];
  deviceKey?: string;
  /** Its device was forgotten: the refresh token no longer works. */
  deviceForgotten?: boolean;
  authTime: number;
  expiresAt: number;
}

/** A passkey the user registered (CompleteWebAuthnRegistration): what checks its sign-ins, and what lists it. */
export interface PasskeyRecord {
  /** base64url, as WebAuthn names it. */
  credentialId: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's signature counter at its last use (0 for passkeys that keep none). */
  counter: number;
  transports: string[];
  /** `platform` (built into the device) or `cross-platform` (a security key, a phone), when the browser said. */
  attachment?: string;
  rpId: string;
  createdAt: number;
}

export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED';

export interface PasswordHash {
  salt: string;
  hash: string;
}

export interface UserRecord {
  username: string;
  sub: string;
  attributes: Record<string, string>;
  enabled: boolean;
  status: UserStatus;
  password?: PasswordHash;
  /** SRP salt and verifier (hex) for USER_SRP_AUTH, derived from the password when it is set. */
  srp?: { salt: string; verifier: string };
  /** TOTP MFA: a secret being associated, the verified one, and whether the user enabled it. */
  totp?: { pendingSecret?: string; secret?: string; enabled?: boolean; preferred?: boolean };
  createdAt: number;
  lastModifiedAt: number;
  devices: Record<string, DeviceRecord>;
  sessions: Record<string, SessionRecord>;
  passkeys?: PasskeyRecord[];
  /** The passkey registration in flight (StartWebAuthnRegistration): its challenge, client and end. */
  passkeyRegistration?: { challenge: string; clientId: string; expiresAt: number };
}

export interface ClientRecord {
  clientId: string;
  clientName: string;
  clientSecret?: string;
  explicitAuthFlows: string[];
  accessTokenValidity: number;
  idTokenValidity: number;
  refreshTokenValidity: number;
  tokenValidityUnits: { AccessToken: string; IdToken: string; RefreshToken: string };
  preventUserExistenceErrors: 'ENABLED' | 'LEGACY';
  enableTokenRevocation: boolean;
  /** Cognito's `RefreshTokenRotationType`; absent is DISABLED. */
  refreshTokenRotation?: { Feature: 'ENABLED' | 'DISABLED'; RetryGracePeriodSeconds?: number };
  createdAt: number;
  lastModifiedAt: number;
}

export interface SigningKeyRecord {
  kid: string;
  privateKeyPem: string;
  jwk: { kid: string; alg: 'RS256'; kty: 'RSA'; use: 'sig'; n: string; e: string };
}

export interface PoolRecord {
  id: string;
  name: string;
  region: string;
  createdAt: number;
  lastModifiedAt: number;
  mfaConfiguration: 'OFF' | 'ON' | 'OPTIONAL';
  deviceConfiguration?: {
    ChallengeRequiredOnNewDevice?: boolean;
    DeviceOnlyRememberedOnUserPrompt?: boolean;
  };
  /**
   * `Policies.SignInPolicy.AllowedFirstAuthFactors`: what a choice-based sign-in (USER_AUTH) may start with. Absent
   * (pools from before it was kept): PASSWORD only, the service's default.
   */
  firstAuthFactors?: string[];
  /** The rest of CreateUserPool's input, echoed back by DescribeUserPool. */
  settings: Record<string, unknown>;
  passwordPolicy: {
    MinimumLength: number;
    RequireUppercase: boolean;
    RequireLowercase: boolean;
    RequireNumbers: boolean;
    RequireSymbols: boolean;
    TemporaryPasswordValidityDays: number;
  };
  /** Signs access tokens. */
  signingKey: SigningKeyRecord;
  /** Signs ID tokens: Cognito signs a sign-in's access and ID tokens with different keys (different `kid`). */
  idSigningKey: SigningKeyRecord;
  clients: Record<string, ClientRecord>;
  users: Record<string, UserRecord>;
}

export interface StateData {
  version: 1;
  pools: Record<string, PoolRecord>;
}

/**
 * The stand-in's whole state, in memory, optionally persisted to one JSON file. Every mutation is saved
 * before its response is sent, by writing a temporary file, fsyncing it and renaming it over the old one:
 * a process killed mid-write leaves either the previous state or the new one, never a torn file.
 */
export class Store {
  /** Challenge sessions live in memory for three minutes, like Cognito's: they do not survive a restart. */
  readonly challenges = new Map<string, PendingChallenge>();

  private constructor(
    readonly data: StateData,
    private readonly file: string | undefined,
  ) {}

  static inMemory(): Store {
    return new Store({ version: 1, pools: {} }, undefined);
  }

  /** Loads `file` if it exists (a missing file is an empty state; a corrupt one is an error, never overwritten). */
  static open(file: string): Store {
    let data: StateData = { version: 1, pools: {} };
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as StateData;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`Cannot read the stand-in state at ${file}: ${(error as Error).message}`);
      }
    }
    if (data.version !== 1) throw new Error(`Unsupported state version in ${file}`);
    upgrade(data);
    return new Store(data, file);
  }

  /** Persists the state if a file backs it. Called after every mutating operation. */
  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.data));
    const fd = openSync(temporary, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
    const dir = openSync(dirname(this.file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}

/** Brings a state file written by an earlier version up to date (pools from before ID tokens had their own key). */
function upgrade(data: StateData): void {
  for (const pool of Object.values(data.pools)) pool.idSigningKey ??= createSigningKey();
}

/** A sign-in's challenge awaiting its answer, by session (the stand-in's {@link Store.challenges}). */
export interface PendingChallenge {
  challengeName: string;
  poolId: string;
  clientId: string;
  username: string;
  deviceKey?: string;
  deviceProven?: boolean;
  mfaPassed?: boolean;
  expiresAt: number;
  /** The SRP exchange in flight: the server's secret, the client's A and the secret block sent. */
  srp?: { session: ServerSession; a: string; secretBlock: string };
  /** SELECT_CHALLENGE: what this user may answer with. */
  available?: string[];
  /** EMAIL_OTP: the code sent. */
  otp?: string;
  /** WEB_AUTHN: the challenge the passkey must sign. */
  webauthnChallenge?: string;
  /** The first factor was not a password (an email code): no MFA follows it. */
  passwordless?: boolean;
}
