import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Code,
  type FunctionProps,
  Function as LambdaFunction,
  ParamsAndSecretsLayerVersion,
  ParamsAndSecretsLogLevel,
  ParamsAndSecretsVersions,
  Runtime,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundleSettings, type FunctionBundle } from './bundle-settings.js';
import { FUNCTION_TIMEOUT_SECONDS } from './function-settings.js';

const handlersDir = fileURLToPath(new URL('../functions/handlers/', import.meta.url));
/**
 * Where the installed package keeps its function bundles (`npm pack` builds them, scripts/build-package.ts). This
 * module runs as compiled JavaScript only from the package: there the bundles are used as they are, so a consumer's
 * `cdk synth` needs neither our source nor esbuild. From this repository's TypeScript, esbuild bundles the source.
 */
const shippedBundlesDir = fileURLToPath(new URL('../bundles/', import.meta.url));
const fromPackage = !import.meta.url.endsWith('.ts');

/** The code of one function: the package's bundle, or the repository's source bundled by `NodejsFunction`. */
function shippedCode(handler: FunctionBundle): Code {
  const dir = path.join(shippedBundlesDir, handler);
  if (!existsSync(path.join(dir, 'index.mjs'))) {
    throw new Error(`The package has no bundle for ${handler}: reinstall cognito-device-bff`);
  }
  return Code.fromAsset(dir);
}

/** `bundleSettings` in the form `NodejsFunction` takes (its esbuild runs as a CLI: the alias is an argument). */
export const bundling = {
  format: OutputFormat.ESM,
  target: bundleSettings.target,
  minify: bundleSettings.minify,
  sourceMap: false,
  mainFields: [...bundleSettings.mainFields],
  externalModules: [],
  banner: bundleSettings.banner,
  esbuildArgs: Object.fromEntries(
    Object.entries(bundleSettings.alias).map(([name, target]) => [`--alias:${name}`, target]),
  ),
};

export interface DeviceFunctionProps {
  /** Module under `functions/handlers/` (without extension). */
  readonly handler: FunctionBundle;
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  /** The function's timeout; the API's functions' by default. */
  readonly timeoutSeconds?: number;
  /** Reserved concurrency; 0 or absent: none (the function draws on the account's unreserved pool). */
  readonly reservedConcurrency?: number;
  /**
   * Adds the AWS Parameters and Secrets Lambda Extension (a layer): the function reads its secrets over HTTP on
   * localhost, cached for a minute, with no Secrets Manager client in its bundle.
   */
  readonly secretsExtension?: boolean;
}

/** One Lambda of the BFF, with the defaults every function shares. */
export class DeviceFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, props: DeviceFunctionProps) {
    super(scope, id);
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    // Least privilege: writing to its own log group is all a function may do (no AWS managed policy, and no
    // Cognito permission: the user's access token authorizes the device operations). The stack adds the
    // full device view's admin actions to the functions that use them, when a stage turns that view on.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(role);
    const settings: Omit<FunctionProps, 'code' | 'handler'> = {
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: Duration.seconds(props.timeoutSeconds ?? FUNCTION_TIMEOUT_SECONDS),
      logGroup,
      role,
      description: props.description,
      // No source map in the asset (see bundle-settings.ts): `npm run symbolicate` rebuilds it to map a
      // logged stack trace offline.
      environment: props.environment,
      ...(props.reservedConcurrency ? { reservedConcurrentExecutions: props.reservedConcurrency } : {}),
      ...(props.secretsExtension && {
        paramsAndSecrets: ParamsAndSecretsLayerVersion.fromVersion(ParamsAndSecretsVersions.V1_0_103, {
          cacheSize: 10,
          secretsManagerTtl: Duration.minutes(1),
          logLevel: ParamsAndSecretsLogLevel.WARN,
        }),
      }),
    };
    this.fn = fromPackage
      ? new LambdaFunction(this, 'Function', {
          ...settings,
          code: shippedCode(props.handler),
          handler: 'index.handler',
        })
      : new NodejsFunction(this, 'Function', {
          ...settings,
          entry: path.join(handlersDir, `${props.handler}.ts`),
          handler: 'handler',
          bundling,
        });
  }
}
