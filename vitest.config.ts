import { defineConfig } from 'vitest/config';

// In CI the JSON report feeds the plain "N passed, M failed" line that .ci/run prints.
const reporters: Array<string | [string, Record<string, unknown>]> = process.env.CI
  ? ['default', ['json', { outputFile: 'reports/vitest.json' }]]
  : ['default'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/temp-dir.ts'],
    reporters,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
