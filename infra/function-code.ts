import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { bundleSettings } from './bundle-settings.js';
import type { LambdaFactory } from './function-bundles.js';

/**
 * A function's code in this repository: its handler's TypeScript, bundled by `NodejsFunction` with esbuild exactly
 * as the benchmark and the tests bundle it. The published construct replaces this module with
 * construct/function-code.ts, which deploys the bundles it ships, built from the same settings.
 */
export const lambdaFunction: LambdaFactory = (scope, id, settings, handler) =>
  new NodejsFunction(scope, id, {
    ...settings,
    entry: path.join(handlersDir, `${handler}.ts`),
    handler: 'handler',
    bundling,
  });

const handlersDir = fileURLToPath(new URL('../functions/handlers/', import.meta.url));

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
