import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The README's snippets are the modules the tests run, word for word: the sign-in libraries' (test/libraries) and
 * the CDK app (test/package). They import this repository's packages by the names apps install them under
 * (tsconfig.json and vitest.config.ts map those names to the source).
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const dir = new URL('../../docs/snippets/', import.meta.url);

describe('README snippets', () => {
  it.each(readdirSync(dir).filter((name) => name.endsWith('.ts')))(
    '%s is in the README as the tests run it',
    (name) => {
      const code = readFileSync(new URL(name, dir), 'utf8');
      expect(code).toMatch(/from 'cognito-device-bff(-client|\/cdk)'/);
      expect(readme).toContain(`\`\`\`ts\n${code}\`\`\``);
    },
  );
});
