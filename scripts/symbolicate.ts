/**
 * `npm run symbolicate -- <handler> [line:column …]` (or a stack trace on stdin): maps positions in a deployed
 * function's bundle (`index.mjs:1:23456`) back to the TypeScript source, offline. The asset ships no source
 * map (it never loads at run time and doubled the zip); the build is deterministic, so this rebuilds the
 * bundle of the same commit with a map (`infra/bundle-settings.ts`) and reads the positions from it. Run it on
 * the commit that was deployed (the stack's description and the function's `CodeSha256` tell which).
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { build } from 'esbuild';
import { esbuildOptions } from '../infra/esbuild-options.js';

/** The deployed bundle's code and its source map, rebuilt. */
export async function rebuildWithMap(handler: string): Promise<{ code: string; map: SourceMap }> {
  const result = await build({
    ...esbuildOptions(handler, { sourcemap: true }),
    write: false,
    outdir: '/out',
  });
  const text = (suffix: string) =>
    new TextDecoder().decode(result.outputFiles?.find((f) => f.path.endsWith(suffix))?.contents);
  return { code: text('.js'), map: new SourceMap(JSON.parse(text('.js.map'))) };
}

/** `functions/…/file.ts:line:column` for a 1-based position in the bundle, or undefined. */
export function original(map: SourceMap, line: number, column: number): string | undefined {
  const entry = map.findEntry(line - 1, column - 1);
  if (!entry || !('originalSource' in entry) || entry.originalSource === undefined) return undefined;
  const source = entry.originalSource.replace(/^.*?(functions\/|node_modules\/)/, '$1');
  return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
}

if (import.meta.main) {
  const [handler, ...positions] = process.argv.slice(2);
  if (!handler) {
    console.error(
      'usage: npm run symbolicate -- <bundle: api, edge-authorizer or rotate-origin-secret> [line:column …] (or a stack trace on stdin)',
    );
    process.exit(2);
  }
  const { map } = await rebuildWithMap(handler);
  if (positions.length > 0) {
    for (const position of positions) {
      const [line, column] = position.split(':').map(Number);
      console.log(`${position} → ${original(map, line ?? 0, column ?? 0) ?? 'no mapping'}`);
    }
  } else {
    const trace = readFileSync(0, 'utf8');
    process.stdout.write(
      trace.replace(/index\.mjs:(\d+):(\d+)/g, (match, l, c) => original(map, Number(l), Number(c)) ?? match),
    );
  }
}
