import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fallbackRoute, routeList } from '../../functions/routes.js';
import { esbuildOptions, removedCode } from '../../infra/bundle-settings.js';

/**
 * Deterministic budgets for what each function ships (bytes, not time: timings live in `npm run bench`).
 * Bundled exactly as the stack does; a budget that breaks means a dependency grew or leaked into a route.
 */
// Lowered from 445/425/64 KB when the default credential chain and event streams left the bundles (aliases in
// infra/bundle-settings.ts): each budget is the measured size plus about 3%, so growth is caught.
const BUDGET_BYTES: Record<string, number> = {
  'confirm-device': 295 * 1024,
  'update-device-status': 275 * 1024,
  // Display names (detect-browser and the Samsung model table) since the BFF names what sign-in libraries wrote.
  'list-devices': 295 * 1024,
  'get-device': 295 * 1024,
  'forget-device': 275 * 1024,
  'forget-other-devices': 275 * 1024,
  'sign-out-everywhere': 275 * 1024,
  'not-found': 60 * 1024,
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
  it.each([...routeList.map((r) => r.handler), fallbackRoute.handler])(
    '%s stays within its budget',
    async (handler) => {
      const { bytes, inputs, builtins } = await bundledBytes(handler);
      expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES[handler] ?? 0);
      expect(bytes).toBeGreaterThan(10 * 1024);
      // The naming code ships only with the routes that name devices (confirm) or show their names (get, list).
      const names = ['confirm-device', 'list-devices', 'get-device'].includes(handler);
      expect(inputs.some((i) => i.includes('detect-browser'))).toBe(names);
      expect(inputs.some((i) => i.includes('samsung-models.json'))).toBe(names);
      // Neither the default credential chain nor event streams: the aliases replaced them.
      expect(inputs.filter((i) => removedCode.some((code) => i.includes(code)))).toEqual([]);
      // Node's http only through require (its ES module facade loads undici at every cold start).
      expect(builtins.filter((path) => path === 'http' || path === 'node:http')).toEqual([]);
      expect(builtins).toContain('node:module');
    },
  );
});
