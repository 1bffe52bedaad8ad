import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The packages this repository publishes, by the names apps import them with (as tsconfig.json's `paths`). */
export const packageAliases = {
  'cdk-cognito-device-bff': fileURLToPath(new URL('./infra/cdk.ts', import.meta.url)),
  'cognito-device-bff-client': fileURLToPath(new URL('./client/index.ts', import.meta.url)),
};

// In CI the JSON report feeds the plain "N passed, M failed" line that .ci/run prints.
const reporters: Array<string | [string, Record<string, unknown>]> = process.env.CI
  ? ['default', ['json', { outputFile: 'reports/vitest.json' }]]
  : ['default'];

export default defineConfig({
  resolve: { alias: packageAliases },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/temp-dir.ts'],
    reporters,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
