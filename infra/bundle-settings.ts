import { fileURLToPath } from 'node:url';

export { FUNCTION_BUNDLES, type FunctionBundle } from './function-bundles.js';

/**
 * How every function is bundled: by the stack (`infra/device-function.ts` hands these to `NodejsFunction`), the
 * bundle budget test, the deployed-bundle test and the benchmark. No CDK import here, so tests load it fast.
 *
 * Minified ESM for Node 24, SDK bundled (we pin the version we test), ESM entry points preferred (smaller and
 * faster to load). No source map in the asset: it never loads at run time and doubled the zip; the build is
 * deterministic, so `npm run symbolicate` (scripts/symbolicate.ts) rebuilds it from the same commit to map a logged stack trace.
 */
export const bundleSettings = {
  format: 'esm',
  target: 'node24',
  minify: true,
  mainFields: ['module', 'main'],
  // ESM output has no `require`; some CJS dependencies still call it for Node built-ins.
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
  alias: {
    // The SDK's default credential chain, which the functions never use (they sign only the full device
    // view's admin calls, with Lambda's environment credentials): the SDK's own environment provider instead.
    '@aws-sdk/credential-provider-node': fileURLToPath(
      new URL('../functions/cognito/environment-credentials.ts', import.meta.url),
    ),
    // Loaded by the SDK's protocol only for event-stream operations, which Cognito does not have.
    '@smithy/core/event-streams': fileURLToPath(
      new URL('../functions/cognito/no-event-streams.ts', import.meta.url),
    ),
    // Node's http through `require`: its ES module facade loads undici, 35–50 ms of every cold start.
    'node:http': fileURLToPath(new URL('../functions/http/node-http.ts', import.meta.url)),
    http: fileURLToPath(new URL('../functions/http/node-http.ts', import.meta.url)),
  },
} as const;

/** Code the aliases keep out of every bundle (paths of bundle inputs): the default chain and what only it loads, and event streams. */
export const removedCode = [
  '@aws-sdk/credential-provider-node/',
  '@aws-sdk/credential-provider-ini/',
  '@aws-sdk/credential-provider-sso/',
  '@aws-sdk/credential-provider-process/',
  '@aws-sdk/credential-provider-web-identity/',
  '@aws-sdk/credential-provider-http/',
  '@aws-sdk/credential-provider-login/',
  '@smithy/credential-provider-imds/',
  '@aws-sdk/nested-clients/',
  '@aws-sdk/token-providers/',
  '@smithy/core/dist-es/submodules/event-streams/',
] as const;
