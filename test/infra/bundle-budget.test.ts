import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { fallbackRoute, routeList } from '../../functions/routes.js';
import { bundling } from '../../infra/device-function.js';

/**
 * Deterministic budgets for what each function ships (bytes, not time: timings live in `npm run bench`).
 * Bundled exactly as the stack does; a budget that breaks means a dependency grew or leaked into a route.
 */
// Raised once, deliberately, from 430/410 KB when Powertools Metrics (EMF, ~21 KB) came in for the ops issue.
const BUDGET_BYTES: Record<string, number> = {
  'confirm-device': 445 * 1024,
  'update-device-status': 425 * 1024,
  'list-devices': 425 * 1024,
  'get-device': 425 * 1024,
  'forget-device': 425 * 1024,
  'forget-other-devices': 425 * 1024,
  'not-found': 64 * 1024,
};

async function bundledBytes(handler: string): Promise<{ bytes: number; inputs: string[] }> {
  const result = await build({
    entryPoints: [`functions/handlers/${handler}.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: bundling.target,
    minify: bundling.minify,
    mainFields: bundling.mainFields,
    banner: { js: bundling.banner },
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { bytes: result.outputFiles[0]?.contents.length ?? 0, inputs: Object.keys(result.metafile.inputs) };
}

describe('bundle budgets', () => {
  it.each([...routeList.map((r) => r.handler), fallbackRoute.handler])(
    '%s stays within its budget',
    async (handler) => {
      const { bytes, inputs } = await bundledBytes(handler);
      expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES[handler] ?? 0);
      expect(bytes).toBeGreaterThan(10 * 1024);
      // The User-Agent parser ships only with the route that names devices.
      expect(inputs.some((i) => i.includes('ua-parser-js'))).toBe(handler === 'confirm-device');
    },
  );
});
