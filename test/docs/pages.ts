import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every documentation page: the README, docs/ (all levels), and the packages' and stand-ins' READMEs. */
export function documentationPages(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? docs(join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [join(ROOT, dir, entry.name)]
          : [],
    );
  return [
    join(ROOT, 'README.md'),
    join(ROOT, 'client', 'README.md'),
    join(ROOT, 'construct', 'README.md'),
    join(ROOT, 'local', 'README.md'),
    join(ROOT, 'local', 'cognito', 'README.md'),
    ...docs('docs'),
  ];
}
