/**
 * What the functions' bundles get in place of `@aws-sdk/credential-provider-node` (an esbuild alias, see
 * `infra/bundle-settings.ts`). The SDK client's Node runtime config imports that package's `defaultProvider`,
 * the whole default credential chain (SSO, INI files, process, web identity, container and instance metadata),
 * only to fall back on it when a client is given no credentials. Ours always is (`fromEnv()` in `client.ts`),
 * and a Lambda function's credentials are its environment's, so the chain is never needed: this keeps the
 * SDK's own environment provider under the name the runtime config imports.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
