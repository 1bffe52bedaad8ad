import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { FUNCTION_ENTRY } from '../../functions/routes.js';
import { removedCode } from '../../infra/bundle-settings.js';
import { esbuildOptions } from '../../infra/esbuild-options.js';

/**
 * Deterministic budgets for what each function ships (bytes, not time: timings live in `npm run bench`).
 * Bundled exactly as the stack does; a budget that breaks means a dependency grew or leaked into a function.
 */
/** The SDK floor: Cognito's SDK client and aws-jwt-verify alone, as bench/floor-entry.ts builds them (docs/performance.md). */
const FLOOR_BYTES = 332.8 * 1024;
const BUDGET_BYTES: Record<string, number> = {
  // Every API function runs this one bundle (each builds only its ROUTES): at most 0.9× the floor.
  api: Math.floor(0.9 * FLOOR_BYTES),
  // The edge's authorizer: the secrets reader, no Cognito client.
  'edge-authorizer': 205 * 1024,
  // Not on the request path (it runs at each rotation): the CloudFront and Secrets Manager clients. Its budget only
  // catches growth.
  'rotate-origin-secret': 760 * 1024,
  // The pool's post-authentication trigger: zod, the logger and metrics, the SigV4 signer; no AWS client. Its events
  // are log lines (no EventBridge call since events left the request path).
  'post-authentication': 85 * 1024,
  // rememberFor's schedule targets, run by EventBridge Scheduler, never on a request. The expiry names the device it
  // retires in its event, from Cognito's own name for it (a schedule's input is not trusted).
  'trust-expiry': 240 * 1024,
  'trust-check': 250 * 1024,
  // Puts the functions' events on the bus, off every request's path: zod, the logger, the SigV4 signer, the naming
  // code (it names the devices a change did not); no AWS client.
  'event-delivery': 100 * 1024,
};

async function bundledBytes(
  handler: string,
): Promise<{ bytes: number; inputs: string[]; builtins: string[] }> {
  const result = await build({ ...esbuildOptions(handler), write: false });
  return {
    bytes: result.outputFiles?.[0]?.contents.length ?? 0,
    inputs: Object.keys(result.metafile?.inputs ?? {}),
    // What the bundle still imports as ES modules (Node's built-ins).
    builtins: Object.values(result.metafile?.outputs ?? {}).flatMap((o) => o.imports.map((i) => i.path)),
  };
}

describe('bundle budgets', () => {
  it.each(Object.keys(BUDGET_BYTES))('%s stays within its budget', async (handler) => {
    const { bytes, inputs, builtins } = await bundledBytes(handler);
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES[handler] ?? 0);
    expect(bytes).toBeGreaterThan(10 * 1024);
    // The naming code ships with the API (confirm names devices, get and list show their names), the trust
    // functions (they name the devices whose trust they start or end) and the event delivery (it names the devices a
    // change did not), nowhere else.
    const cognitoClient =
      handler === FUNCTION_ENTRY || handler === 'trust-check' || handler === 'trust-expiry';
    const names = cognitoClient || handler === 'event-delivery';
    expect(inputs.some((i) => i.includes('detect-browser'))).toBe(names);
    expect(inputs.some((i) => i.includes('samsung-models.json'))).toBe(names);
    // The Cognito client only where routes run; the Secrets Manager client never in the API (the extension serves its
    // cursor key), only in the edge's functions (the authorizer reads the three version stages of the origin secret).
    expect(inputs.some((i) => i.includes('client-cognito-identity-provider'))).toBe(cognitoClient);
    expect(inputs.some((i) => i.includes('client-secrets-manager'))).toBe(
      handler === 'edge-authorizer' || handler === 'rotate-origin-secret',
    );
    // Neither the default credential chain nor event streams: the aliases replaced them.
    expect(inputs.filter((i) => removedCode.some((code) => i.includes(code)))).toEqual([]);
    // Node's http only through require (its ES module facade loads undici at every cold start).
    expect(builtins.filter((path) => path === 'http' || path === 'node:http')).toEqual([]);
    expect(builtins).toContain('node:module');
  });
});
