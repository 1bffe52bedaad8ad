import type { FunctionProps, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';

/**
 * The function bundles (modules under `functions/handlers/`): every API function runs `api`; the edge has two; the
 * pool's post-authentication trigger one; `rememberFor`'s trust expiry and trust check one each; the device events'
 * delivery one.
 */
export const FUNCTION_BUNDLES = [
  'api',
  'edge-authorizer',
  'rotate-origin-secret',
  'post-authentication',
  'trust-expiry',
  'trust-check',
  'event-delivery',
] as const;
export type FunctionBundle = (typeof FUNCTION_BUNDLES)[number];

/**
 * Makes one function of the BFF from its settings and the bundle it runs: infra/function-code.ts in this repository
 * (from source, with esbuild), construct/function-code.ts in the published library (the bundle it ships).
 */
export type LambdaFactory = (
  scope: Construct,
  id: string,
  settings: Omit<FunctionProps, 'code' | 'handler'>,
  handler: FunctionBundle,
) => LambdaFunction;
