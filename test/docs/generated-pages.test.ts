import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { variableNames } from '../../functions/environment-names.js';

/** docs/configuration.md's table of the functions' environment is the contract's: every variable, and no other. */
describe('docs/configuration.md', () => {
  const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  const section = page.slice(page.indexOf('### Functions'), page.indexOf('### Stack'));
  const documented = new Set(
    section
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1])),
  );

  it('documents every variable a function reads, and none it does not', () => {
    const named = new Set(Object.values(variableNames).flat());
    expect([...named].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => name !== undefined && !named.has(name as never))).toEqual([]);
  });
});

/** docs/performance.md is written by `npm run bench` from two hand-written parts and its results: none drifts. */
describe('docs/performance.md', () => {
  const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

  it('opens with bench/SUMMARY.md and ends with bench/NOTES.md, the latest run between them', () => {
    const page = read('docs/performance.md');
    expect(page.startsWith(read('bench/SUMMARY.md'))).toBe(true);
    expect(page.endsWith(read('bench/NOTES.md'))).toBe(true);
    expect(page).toContain('\n## The latest run\n');
  });
});
