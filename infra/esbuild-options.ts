import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';
import { bundleSettings } from './bundle-settings.js';

/** esbuild options that build `functions/handlers/<handler>.ts` exactly as the stack does. */
export function esbuildOptions(handler: string, options: { sourcemap?: boolean } = {}): BuildOptions {
  return {
    entryPoints: [fileURLToPath(new URL(`../functions/handlers/${handler}.ts`, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: bundleSettings.format,
    target: bundleSettings.target,
    minify: bundleSettings.minify,
    mainFields: [...bundleSettings.mainFields],
    banner: { js: bundleSettings.banner },
    alias: { ...bundleSettings.alias },
    ...(options.sourcemap && { sourcemap: true, sourcesContent: false }),
    metafile: true,
    logLevel: 'silent',
  };
}
