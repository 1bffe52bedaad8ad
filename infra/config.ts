import { z } from 'zod';
import { deviceTrackingModes } from './device-tracking.js';
import { featurePlans, rotationAvailable } from './feature-plan.js';
import { passwordlessFactors } from './passwordless.js';
import { signInKinds } from './sign-in.js';

/** `ClientIdType` from the Cognito model. */
const ClientId = z.string().regex(/^[\w+]{1,128}$/, 'must be a Cognito app client id');

const StageConfigSchema = z
  .object({
    stage: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be lower-case letters, digits and dashes'),
    /** How the pool remembers devices, and whether a remembered device skips MFA (infra/device-tracking.ts). */
    deviceTracking: z.enum(deviceTrackingModes),
    /**
     * The pool's feature plan (`UserPoolTier`): what it costs per monthly active user and what it includes
     * (docs/construct.md, "Feature plan"). Refresh-token rotation needs Essentials or Plus.
     */
    featurePlan: z.enum(featurePlans),
    /** TOTP (software token) MFA: off, optional per user, or required for everyone. */
    mfa: z.enum(['off', 'optional', 'required']),
    /** Origins of the single-page apps allowed by CORS; empty means no browser access. */
    spaOrigins: z.array(z.url().refine((u) => !u.endsWith('/'), 'must not end with /')),
    /**
     * Where Cognito may send users back after a hosted sign-in (OAuth authorization code flow). Empty (the
     * default) turns OAuth off on the app clients; never the implicit flow, which puts tokens in URLs.
     */
    oauthCallbackUrls: z.array(
      z
        .url()
        .refine(
          (u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(u),
          'must be https (or http on localhost)',
        ),
    ),
    /**
     * App clients (of those the stack creates: `mobile`, `spa`) that rotate refresh tokens: every refresh returns a
     * new refresh token and the old one stops working after the grace period. Such a client refuses
     * REFRESH_TOKEN_AUTH, so turn it on only for apps that refresh with GetTokensFromRefreshToken (Amplify JS v6,
     * Amplify Android and Flutter since August 2025, this repository's client); Amplify Swift and
     * amazon-cognito-identity-js refresh with REFRESH_TOKEN_AUTH. Empty (the default): no rotation, every library
     * works.
     */
    refreshTokenRotation: z.array(z.enum(['mobile', 'spa'])),
    /** Seconds a rotated-out refresh token still works, for a client's retry (0..60, Cognito's range). */
    refreshTokenRotationGraceSeconds: z.number().int().min(0).max(60),
    /** Use an existing pool and its app clients instead of creating them. */
    existingUserPool: z.optional(
      z.object({
        userPoolId: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d_[0-9a-zA-Z]+$/, 'must be a Cognito user pool id'),
        clientIds: z.array(ClientId).min(1),
      }),
    ),
    /**
     * The stage's steady request rate and burst (req/s), all routes together. Sized to Lambda concurrency and
     * cost, not to Cognito's quota: every caller shares it, valid or not (docs/reliability.md, "Abuse").
     */
    apiRateLimit: z.number().int().positive(),
    apiBurstLimit: z.number().int().positive(),
    /**
     * Reserved concurrency of the API functions (`api`, and `apiAdmin` with the full device view; 0: none): what they
     * can always run, and at most, whatever else the account runs.
     */
    reservedConcurrency: z.number().int().nonnegative(),
    /**
     * Reserved concurrency of the edge's authorizer (0: none). API Gateway caches its answer per origin secret for
     * 5 minutes, so it runs a few times per 5 minutes whatever the traffic.
     */
    edgeAuthorizerConcurrency: z.number().int().nonnegative(),
    /**
     * Reserved concurrency of the forget-others function (0: none). It is what bounds that route's Cognito writes
     * for the whole account, whoever calls: at most this many calls run at once, each paced (docs/reliability.md).
     */
    forgetOthersConcurrency: z.number().int().nonnegative(),
    /**
     * Reserved concurrency of the post-authentication trigger (0: none): sign-ins can always run it whatever the API
     * takes. Cognito fails a sign-in whose trigger is throttled: size it to sign-ins a second times half a second.
     */
    triggerConcurrency: z.number().int().nonnegative(),
    /**
     * The forget-others route's own throttle (requests per second, and burst), all callers together: it bounds
     * that route's Cognito reads, and keeps more calls from starting than its concurrency can run.
     */
    forgetOthersRateLimit: z.number().positive(),
    forgetOthersBurstLimit: z.number().int().positive(),
    /**
     * The account's Lambda concurrency quota in the stack's region, for the check that the reserved concurrency
     * fits (AWS keeps 100 unreserved). 1,000 is the default quota; a new account's may be as low as 10.
     */
    accountConcurrency: z.number().int().positive(),
    /**
     * CloudFront + AWS WAF in front of the API (per-IP and per-token rate rules, AWS managed rule groups).
     * WAF for CloudFront exists only in us-east-1, so a stack with the edge must be deployed there.
     */
    edge: z.boolean(),
    /** WAF rate rules: requests per 5 minutes from one IP address, and with one Authorization header. */
    edgeRateLimitPerIp: z.number().int().gte(10),
    edgeRateLimitPerToken: z.number().int().gte(10),
    /**
     * Show every device that signed in, not only remembered ones: GET /devices and GET/DELETE
     * /devices/{deviceKey} use Cognito's admin device operations for the verified caller's own username, and
     * only their functions get exactly those IAM actions on this pool. Off: no API function has any Cognito
     * permission (docs/api.md, "Every device that signed in"); the event delivery may read a device's name.
     */
    fullDeviceView: z.boolean(),
    /**
     * What users type to sign in to a pool the stack creates (infra/sign-in.ts): `username` (or their verified email,
     * an alias) or `email` (the email is the username, as Amplify Gen 2 makes pools). Fixed when the pool is created:
     * changing it on a deployed stack replaces the pool and its users.
     */
    signInWith: z.enum(signInKinds),
    /**
     * Passwordless first factors of a pool the stack creates (infra/passwordless.ts): `email_otp` (a code sent to
     * the user's verified email) and `passkey`, beside the password, through Cognito's choice-based sign-in
     * (USER_AUTH on the app clients). Needs the Essentials plan; an email code cannot be a first factor where MFA is
     * required (Cognito refuses it). Empty (the default): passwords only.
     */
    passwordless: z.array(z.enum(passwordlessFactors)),
    /**
     * The passkeys' relying party: the domain your app runs on (`app.example.com`); a passkey works on that domain
     * and its subdomains only. Needed with `passwordless` `passkey`.
     */
    passkeyRelyingPartyId: z.optional(
      z
        .string()
        .regex(
          /^(?=.{1,127}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
          'must be a domain name, e.g. app.example.com',
        ),
    ),
    /**
     * Whether usernames, and the emails that sign users in, are case-sensitive in a pool the stack creates. A stage
     * that creates a pool must say (synth fails otherwise), because Cognito fixes it when the pool is created and
     * CloudFormation replaces a pool whose template changes it, users and all: `false` for a new pool, so that
     * "Alice" and "alice" are one user (`true` for a new case-sensitive one); `existing` for a pool deployed before
     * this setting existed, whose template never had it: the property stays out of the template, so the pool keeps
     * what it was created with (case-sensitive). Writing any value into such a template, `true` included, is a
     * change CloudFormation answers by replacing the pool.
     */
    usernameCaseSensitive: z.optional(z.union([z.boolean(), z.literal('existing')])),
    /**
     * How long a remembered device stays trusted (`30d`, `12h`, `90m`, `3600s`), from when it was first remembered:
     * then it is forgotten, so MFA is asked again, whether or not the user opens the app. Unset (the default): trusted until
     * the user stops remembering or forgets it, as Cognito does; limiting it asks users for MFA again and costs a
     * schedule per remembered device (docs/features.md, "Remembered for a limited time"). Deployed stacks need at least a
     * minute (the scheduler's precision); `npm start` takes seconds, for trying it out.
     */
    rememberFor: z.optional(
      z.string().regex(/^[1-9]\d*[smhd]$/, 'must be a number and s, m, h or d, e.g. 30d'),
    ),
    logRetentionDays: z.number().int().positive(),
    logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']),
    retainUserPool: z.boolean(),
  })
  .strict()
  .refine((c) => c.apiBurstLimit >= c.apiRateLimit, {
    path: ['apiBurstLimit'],
    message: 'must be at least apiRateLimit',
  })
  .refine((c) => c.refreshTokenRotation.length === 0 || rotationAvailable(c.featurePlan), {
    path: ['refreshTokenRotation'],
    message: 'needs featurePlan essentials or plus (the Lite plan has no refresh-token rotation)',
  })
  .refine((c) => c.passwordless.length === 0 || c.featurePlan !== 'lite', {
    path: ['passwordless'],
    message: 'needs featurePlan essentials or plus (the Lite plan has no passwordless sign-in)',
  })
  .refine((c) => !(c.passwordless.includes('email_otp') && c.mfa === 'required'), {
    path: ['passwordless'],
    message:
      'email_otp cannot be a first factor where MFA is required (Cognito refuses it): mfa optional or off',
  })
  .refine((c) => !(c.passwordless.includes('passkey') && c.mfa === 'required'), {
    path: ['passwordless'],
    message:
      'passkey with mfa required: Cognito then takes passkeys as MFA only (FactorConfiguration), which this stack does ' +
      'not set up, so users could add passkeys that never sign them in: mfa optional or off',
  })
  .refine((c) => !c.passwordless.includes('passkey') || c.passkeyRelyingPartyId !== undefined, {
    path: ['passkeyRelyingPartyId'],
    message:
      'passwordless passkey needs the domain your app runs on, e.g. -c passkeyRelyingPartyId=app.example.com',
  })
  .refine((c) => c.passwordless.length === 0 || c.existingUserPool === undefined, {
    path: ['passwordless'],
    message: 'applies to a pool the stack creates; an existing pool keeps its own sign-in policy',
  });

export type StageConfig = z.infer<typeof StageConfigSchema>;

const defaults: Record<string, Omit<StageConfig, 'stage'>> = {
  dev: {
    signInWith: 'username',
    passwordless: [],
    deviceTracking: 'opt-in',
    featurePlan: 'essentials',
    mfa: 'optional',
    spaOrigins: ['http://localhost:5173'],
    oauthCallbackUrls: [],
    refreshTokenRotation: [],
    refreshTokenRotationGraceSeconds: 10,
    apiRateLimit: 50,
    apiBurstLimit: 100,
    reservedConcurrency: 0,
    edgeAuthorizerConcurrency: 0,
    forgetOthersConcurrency: 0,
    triggerConcurrency: 0,
    forgetOthersRateLimit: 0.5,
    forgetOthersBurstLimit: 2,
    accountConcurrency: 1_000,
    edge: false,
    edgeRateLimitPerIp: 2_000,
    edgeRateLimitPerToken: 300,
    fullDeviceView: false,
    logRetentionDays: 7,
    logLevel: 'DEBUG',
    retainUserPool: false,
  },
  prod: {
    signInWith: 'username',
    passwordless: [],
    deviceTracking: 'opt-in',
    featurePlan: 'essentials',
    mfa: 'optional',
    spaOrigins: [],
    oauthCallbackUrls: [],
    refreshTokenRotation: [],
    refreshTokenRotationGraceSeconds: 10,
    apiRateLimit: 1_000,
    apiBurstLimit: 2_000,
    reservedConcurrency: 100,
    edgeAuthorizerConcurrency: 5,
    forgetOthersConcurrency: 2,
    triggerConcurrency: 30,
    forgetOthersRateLimit: 0.5,
    forgetOthersBurstLimit: 2,
    accountConcurrency: 1_000,
    edge: true,
    edgeRateLimitPerIp: 2_000,
    edgeRateLimitPerToken: 300,
    fullDeviceView: false,
    logRetentionDays: 90,
    logLevel: 'INFO',
    retainUserPool: true,
  },
};

/** Thrown by `cdk synth` for a bad configuration, naming every offending key. */
export class StageConfigError extends Error {
  override name = 'StageConfigError';
}

/**
 * The stage's config: its defaults, overridden by CDK context (`-c key=value` or cdk.json). List values may
 * be given as JSON or comma-separated; `existingUserPool` as JSON.
 */
export function loadStageConfig(context: (key: string) => unknown): StageConfig {
  const stage = String(context('stage') ?? 'dev');
  const base = defaults[stage];
  if (!base)
    throw new StageConfigError(
      `Unknown stage "${stage}"; expected one of ${Object.keys(defaults).join(', ')}`,
    );
  const overrides: Record<string, unknown> = {};
  for (const key of Object.keys(StageConfigSchema.shape)) {
    const value = context(key);
    if (value !== undefined && key !== 'stage') overrides[key] = coerce(key, value);
  }
  const parsed = StageConfigSchema.safeParse({ ...base, ...overrides, stage });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new StageConfigError(`Invalid configuration for stage "${stage}": ${problems.join('; ')}`);
  }
  return parsed.data;
}

const numericKeys = new Set([
  'apiRateLimit',
  'apiBurstLimit',
  'reservedConcurrency',
  'edgeAuthorizerConcurrency',
  'forgetOthersConcurrency',
  'triggerConcurrency',
  'forgetOthersRateLimit',
  'forgetOthersBurstLimit',
  'accountConcurrency',
  'edgeRateLimitPerIp',
  'edgeRateLimitPerToken',
  'logRetentionDays',
  'refreshTokenRotationGraceSeconds',
]);

const booleanKeys = new Set(['retainUserPool', 'edge', 'fullDeviceView', 'usernameCaseSensitive']);

/** Context given on the command line arrives as strings. */
function coerce(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new StageConfigError(`Context "${key}" is not valid JSON`);
    }
  }
  if (
    key === 'spaOrigins' ||
    key === 'oauthCallbackUrls' ||
    key === 'refreshTokenRotation' ||
    key === 'passwordless'
  )
    return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim());
  if (numericKeys.has(key)) return Number(trimmed);
  if (booleanKeys.has(key)) return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
  return trimmed;
}

/** `rememberFor` in seconds, or undefined when trust does not expire. */
export function rememberForSeconds(config: Pick<StageConfig, 'rememberFor'>): number | undefined {
  const match = config.rememberFor && /^(\d+)([smhd])$/.exec(config.rememberFor);
  if (!match) return undefined;
  return Number(match[1]) * { s: 1, m: 60, h: 3_600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}
