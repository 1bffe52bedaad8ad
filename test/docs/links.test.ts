import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentationPages, ROOT } from './pages.js';

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (file: string) =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) => slug(line.replace(/^#+ /, ''))),
  );

/** Every relative link of a page (`[text](target)`, images included), outside code blocks. */
function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/.test(target));
}

describe('documentation links', () => {
  it.each(documentationPages().map((page) => relative(ROOT, page)))('%s: every link resolves', (page) => {
    const file = resolve(ROOT, page);
    const broken = linksOf(file).filter((target) => {
      const [path = '', anchor] = target.split('#');
      const goal = path ? resolve(dirname(file), path) : file;
      if (!existsSync(goal)) return true;
      return anchor !== undefined && goal.endsWith('.md') && !anchorsOf(goal).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});
