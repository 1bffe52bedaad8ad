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
