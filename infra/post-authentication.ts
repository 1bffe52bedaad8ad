import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { DeviceBffSettings } from './device-bff-settings.js';
import { DeviceFunction } from './device-function.js';
import { eventVariables, loggingVariables } from './function-environment.js';
import type { Trust } from './trust.js';

/**
 * The pool's post-authentication trigger, when there is something for it to do: publish `New device sign-in` (with
 * events) and schedule the check of the user's devices (with `rememberFor`). Cognito waits 5 s for a trigger and
 * fails the sign-in after that: the trigger stops at 3 s, and gives up on its work at 0.5 s.
 */
export function postAuthenticationTrigger(
  scope: Construct,
  settings: DeviceBffSettings,
  trust: Trust | undefined,
): LambdaFunction | undefined {
  if (!settings.events && !trust) return undefined;
  const { fn } = new DeviceFunction(scope, 'PostAuthentication', {
    handler: 'post-authentication',
    description: `Cognito device BFF post-authentication trigger (${settings.name}): publishes New device sign-in${
      trust ? ', schedules the trust check' : ''
    }`,
    environment: {
      ...loggingVariables(settings.logLevel),
      ...eventVariables(settings.events !== undefined),
      ...trust?.environment('trigger'),
    },
    logRetention: settings.logRetention,
    timeoutSeconds: 3,
    reservedConcurrency: settings.limits.triggerConcurrency ?? 0,
  });
  trust?.grantScheduling(fn, 'check');
  return fn;
}
