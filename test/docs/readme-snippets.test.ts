import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentationPages } from './pages.js';

/**
 * The documentation's snippets are the modules the tests run, word for word: the sign-in libraries' (test/libraries)
 * and the CDK app (test/package). They import this repository's packages by the names apps install them under
 * (tsconfig.json and vitest.config.ts map those names to the source). Each is on at least one page.
 */
const pages = documentationPages().map((page) => readFileSync(page, 'utf8'));
const dir = new URL('../../docs/snippets/', import.meta.url);

describe('documentation snippets', () => {
  it.each(readdirSync(dir).filter((name) => name.endsWith('.ts')))(
    '%s is in the documentation as the tests run it',
    (name) => {
      const code = readFileSync(new URL(name, dir), 'utf8');
      expect(code).toMatch(/from '(cognito-device-bff-client|cdk-cognito-device-bff)'/);
      expect(pages.some((page) => page.includes(`\`\`\`ts\n${code}\`\`\``))).toBe(true);
    },
  );

  it.each(readdirSync(dir).filter((name) => name.endsWith('.py')))(
    '%s is in the documentation as jsii-rosetta translates its TypeScript',
    (name) => {
      const code = readFileSync(new URL(name, dir), 'utf8');
      expect(code).toMatch(/^from cdk_cognito_device_bff import /m);
      expect(pages.some((page) => page.includes(`\`\`\`python\n${code}\`\`\``))).toBe(true);
    },
  );
});
