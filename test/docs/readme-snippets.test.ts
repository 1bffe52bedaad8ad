import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The README's JavaScript snippets for sign-in libraries are the modules the library suites run (test/libraries),
 * word for word, but for the import of this repository's client, which an app installs as a package.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const dir = new URL('../../docs/snippets/', import.meta.url);

describe('README snippets', () => {
  it.each(readdirSync(dir).filter((name) => name.endsWith('.ts')))(
    '%s is in the README as the tests run it',
    (name) => {
      const code = readFileSync(new URL(name, dir), 'utf8');
      expect(code).toContain("from '../../client/index.js'");
      expect(readme).toContain(
        `\`\`\`ts\n${code.replace("'../../client/index.js'", "'cognito-device-bff-client'")}\`\`\``,
      );
    },
  );
});
