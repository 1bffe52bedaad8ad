import { Annotations, type Duration, Stack, Token } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { CONCURRENCY_QUOTA_CODE, concurrencyNeeds, type LimitSettings } from './limits.js';
import { MIN_REMEMBER_FOR } from './trust.js';

/** Thrown at synth time for props the construct cannot build. */
export class DeviceBffConfigError extends Error {
  override name = 'DeviceBffConfigError';
}

/** The props `resolveSettings` reads (DeviceBffProps, without the pool and its clients). */
export interface SettingsInput {
  readonly clientCount: number;
  readonly name?: string;
  readonly fullDeviceView?: boolean;
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly reservedConcurrency?: number;
  readonly forgetOthers?: {
    readonly reservedConcurrency?: number;
    readonly rateLimit?: number;
    readonly burstLimit?: number;
  };
  readonly postAuthenticationConcurrency?: number;
  readonly accountConcurrency?: number;
  readonly edge?: { readonly authorizerConcurrency?: number };
  readonly rememberFor?: Duration;
  readonly events?: { readonly enabled?: boolean; readonly bus?: IEventBus };
  readonly alarms?: { readonly enabled?: boolean; readonly topic?: ITopic };
  readonly logRetention?: RetentionDays;
  readonly logLevel?: string;
}

/** Every setting of a DeviceBff, defaults applied and checked: what its parts are built from. */
export interface DeviceBffSettings {
  readonly name: string;
  readonly limits: LimitSettings;
  readonly accountConcurrency: number;
  readonly logRetention: RetentionDays;
  readonly logLevel: string;
  /** Device events on (to this bus, or the account's default bus when undefined)? */
  readonly events: { readonly bus: IEventBus | undefined } | undefined;
  readonly alarms: { readonly topic: ITopic | undefined } | undefined;
  readonly rememberFor: Duration | undefined;
}

/** The props with their defaults, or a DeviceBffConfigError naming what cannot be built. */
export function resolveSettings(input: SettingsInput, defaultName: () => string): DeviceBffSettings {
  if (input.clientCount === 0)
    throw new DeviceBffConfigError('userPoolClients needs at least one app client');
  const name = input.name ?? defaultName();
  if (!/^[a-zA-Z0-9-]{1,40}$/.test(name)) {
    throw new DeviceBffConfigError('name must be 1 to 40 letters, digits or dashes');
  }
  if (input.events?.enabled === false && input.events.bus) {
    throw new DeviceBffConfigError('events: a bus was given with enabled: false; give one or the other');
  }
  if (input.alarms?.enabled === false && input.alarms.topic) {
    throw new DeviceBffConfigError('alarms: a topic was given with enabled: false; give one or the other');
  }
  if (input.rememberFor && input.rememberFor.toSeconds() < MIN_REMEMBER_FOR.toSeconds()) {
    throw new DeviceBffConfigError(
      'rememberFor must be at least a minute (the scheduler fires within its minute)',
    );
  }
  return {
    name,
    limits: {
      apiRateLimit: input.throttle?.rateLimit ?? 1_000,
      apiBurstLimit: input.throttle?.burstLimit ?? 2_000,
      reservedConcurrency: input.reservedConcurrency ?? 0,
      forgetOthersConcurrency: input.forgetOthers?.reservedConcurrency ?? 2,
      forgetOthersRateLimit: input.forgetOthers?.rateLimit ?? 0.5,
      forgetOthersBurstLimit: input.forgetOthers?.burstLimit ?? 2,
      edgeAuthorizerConcurrency: input.edge?.authorizerConcurrency ?? 5,
      edge: input.edge !== undefined,
      fullDeviceView: input.fullDeviceView ?? false,
      triggerConcurrency: input.postAuthenticationConcurrency ?? 0,
      trustExpiry: input.rememberFor !== undefined,
    },
    accountConcurrency: input.accountConcurrency ?? 1_000,
    logRetention: input.logRetention ?? RetentionDays.THREE_MONTHS,
    logLevel: input.logLevel ?? 'INFO',
    events: input.events?.enabled === false ? undefined : { bus: input.events?.bus },
    alarms: input.alarms?.enabled === false ? undefined : { topic: input.alarms?.topic },
    rememberFor: input.rememberFor,
  };
}

/**
 * Reserved concurrency must fit the account: AWS keeps 100 executions unreserved, and a deploy that reserves more
 * fails and rolls back. `cdk synth` fails first, saying which quota to request; and warns that an account's quota
 * may be far below the default (a new account's can be 10).
 */
export function checkConcurrency(scope: Construct, settings: DeviceBffSettings): void {
  const { reserved, accountNeeded } = concurrencyNeeds(settings.limits);
  if (reserved === 0) return;
  const region = Stack.of(scope).region;
  const where = Token.isUnresolved(region) ? "the stack's region" : region;
  const request =
    `Request a Lambda "Concurrent executions" quota (Service Quotas, code ${CONCURRENCY_QUOTA_CODE}) of at least ` +
    `${accountNeeded} in ${where}`;
  if (accountNeeded > settings.accountConcurrency) {
    throw new DeviceBffConfigError(
      `The functions reserve ${reserved} concurrent executions and AWS keeps 100 unreserved, so the account needs a ` +
        `concurrency quota of at least ${accountNeeded}; accountConcurrency is ${settings.accountConcurrency}. ` +
        `${request} and set accountConcurrency to the granted quota, or reserve less (reservedConcurrency, ` +
        'forgetOthers.reservedConcurrency, edge.authorizerConcurrency, postAuthenticationConcurrency).',
    );
  }
  Annotations.of(scope).addWarningV2(
    'cognito-device-bff:reserved-concurrency',
    `The functions reserve ${reserved} concurrent executions: the deploy fails unless the account's concurrency ` +
      `quota is at least ${accountNeeded} (new accounts can have 10). Check Service Quotas first; if it is lower, ` +
      `${request.charAt(0).toLowerCase()}${request.slice(1)}.`,
  );
}
