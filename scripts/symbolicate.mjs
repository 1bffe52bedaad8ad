#!/usr/bin/env node
// Maps positions in a bundled function (`index.mjs:1:23456`) back to the TypeScript source, offline, with the
// source map the stack ships beside every bundle. Usage:
//   node scripts/symbolicate.mjs path/to/index.mjs.map < stack-trace.txt
//   node scripts/symbolicate.mjs path/to/index.mjs.map 1:23456 [1:789 …]
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const [mapFile, ...positions] = process.argv.slice(2);
if (!mapFile) {
  console.error(
    'usage: node scripts/symbolicate.mjs <index.mjs.map> [line:column …] (or a stack trace on stdin)',
  );
  process.exit(2);
}
const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
const original = (line, column) => {
  const entry = map.findEntry(line - 1, column - 1);
  if (!entry || entry.originalSource === undefined) return undefined;
  return `${entry.originalSource.replace(/^.*?(functions\/|node_modules\/)/, '$1')}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
};
if (positions.length > 0) {
  for (const position of positions) {
    const [line, column] = position.split(':').map(Number);
    console.log(`${position} → ${original(line, column) ?? 'no mapping'}`);
  }
} else {
  const trace = readFileSync(0, 'utf8');
  process.stdout.write(
    trace.replace(/index\.mjs:(\d+):(\d+)/g, (match, l, c) => original(Number(l), Number(c)) ?? match),
  );
}
