import path from 'node:path';
import { Code, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { LambdaFactory } from './function-bundles.js';

/**
 * A function's code in the published construct (it takes the place of infra/function-code.ts there): the bundle the
 * package ships, built from the repository with the settings `NodejsFunction` uses in it, deployed as it is. A
 * consumer's synth, in any CDK language, needs neither our source nor esbuild.
 */
export const lambdaFunction: LambdaFactory = (scope, id, settings, handler) =>
  new LambdaFunction(scope, id, {
    ...settings,
    code: Code.fromAsset(path.join(__dirname, '..', '..', 'bundles', handler)),
    handler: 'index.handler',
  });
