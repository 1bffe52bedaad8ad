import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../local/bootstrap.js';
import { localStageConfig } from '../../local/settings.js';
import { SpaServer } from '../../local/spa/server.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

let stack: LocalStack;
let spa: SpaServer;
let browser: BrowserContext;
let profile: string | undefined;

beforeAll(async () => {
  let started: LocalStack | undefined;
  spa = await SpaServer.start({
    config: () => ({
      apiUrl: started?.api.url ?? '',
      cognitoUrl: started?.cognito.url ?? '',
      userPoolId: started?.userPoolId ?? '',
      clientId: started?.clients.spa ?? '',
    }),
  });
  // The SPA's own origin is the only one the API's CORS allows: every API call from the page is cross-origin.
  started = await startLocalStack({
    config: { ...localStageConfig({}), deviceTracking: 'opt-in', mfa: 'optional', spaOrigins: [spa.url] },
    region: 'eu-west-1',
    logLevel: 'SILENT',
  });
  stack = started;
  profile = mkdtempSync(join(tmpdir(), 'spa-profile-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});
afterAll(async () => {
  await browser?.close();
  await spa?.close();
  await stack?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

it('signs in, remembers this device, lists it with its name and dates, forgets it, signs out', async () => {
  const page = await browser.newPage();
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  await page.goto(spa.url);

  await page.fill('#password', DEMO_USER.password);
  await page.click('#sign-in-button');
  await page.waitForSelector('#devices:not([hidden])');
  await expect.poll(() => page.textContent('#status')).toBe('Signed in as demo');

  // Opt-in pool: the SPA offers to remember the device it just confirmed. Until the user says yes, Cognito's
  // token API does not list it (as real Cognito does).
  await page.waitForSelector('#remember-prompt:not([hidden])');
  const row = page.locator('#device-list li');
  expect(await row.count()).toBe(0);
  await page.click('#remember');
  await expect.poll(() => row.count()).toBe(1);
  await expect.poll(() => row.locator('.device-status').textContent()).toBe('remembered');
  expect(await row.textContent()).toContain('(this device)');
  expect(await row.locator('.device-when').textContent()).not.toBe('never');

  mkdirSync('reports', { recursive: true });
  await page.screenshot({ path: 'reports/spa.png', fullPage: true });

  await row.locator('.forget').click();
  await expect.poll(() => row.count()).toBe(0);

  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  expect(failures).toEqual([]);
});
