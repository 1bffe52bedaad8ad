import { defineConfig } from 'vitest/config';

// The browser test needs Debian's Chromium (.ci/run installs it): run with `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.spec.ts'],
    globalSetup: ['test/support/temp-dir.ts'],
    reporters: process.env.CI
      ? ['default', ['json', { outputFile: 'reports/vitest-browser.json' }]]
      : ['default'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
