import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import type { StageConfig } from '../../infra/config.js';
import { localStageConfig } from '../../local/settings.js';
import { localActivity } from '../../local/spa/activity.js';
import { type SpaConfig, SpaServer } from '../../local/spa/server.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

/**
 * The demo SPA served on its own origin (the only one the API's CORS allows: every API call from the page is
 * cross-origin), the local stack behind it configured with `config`, and Debian's Chromium with a fresh profile:
 * what each browser test drives. `close` stops all of it and deletes the profile.
 */
export async function startSpaStack(options: {
  readonly config: Partial<StageConfig>;
  readonly spa?: Partial<SpaConfig>;
}): Promise<{ stack: LocalStack; spa: SpaServer; browser: BrowserContext; close(): Promise<void> }> {
  let started: LocalStack | undefined;
  const spa = await SpaServer.start({
    config: () => ({
      apiUrl: started?.api.url ?? '',
      cognitoUrl: started?.cognito.url ?? '',
      userPoolId: started?.userPoolId ?? '',
      clientId: started?.clients.spa ?? '',
      ...options.spa,
    }),
    activity: localActivity({
      events: () => started?.events.events ?? [],
      userPoolId: () => started?.userPoolId ?? '',
      clientIds: () => (started ? [started.clients.mobile, started.clients.spa] : []),
      jwksUri: () => started?.cognito.jwksUri(started.userPoolId) ?? '',
    }),
  });
  const stack = await startLocalStack({
    config: { ...localStageConfig({}), spaOrigins: [spa.url], ...options.config },
    region: 'eu-west-1',
    logLevel: 'SILENT',
  });
  started = stack;
  const profile = mkdtempSync(join(tmpdir(), 'spa-profile-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    stack,
    spa,
    browser,
    close: async () => {
      await browser.close();
      await spa.close();
      await stack.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
