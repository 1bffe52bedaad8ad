import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../local/bootstrap.js';
import type { SpaServer } from '../../local/spa/server.js';
import type { LocalStack } from '../../local/stack.js';
import { startSpaStack } from '../support/spa-stack.js';

// The demo SPA on a pool with passwordless first factors (PASSWORDLESS=email_otp,passkey), in Debian's Chromium with
// its virtual authenticator (the DevTools WebAuthn domain) standing in for a platform passkey: the user adds a
// passkey after a password sign-in, signs in with it, then with a code sent to their email, and removes it.
// Cognito offers passwordless sign-in only to users without MFA, so this stage has MFA off.
let stack: LocalStack;
let spa: SpaServer;
let browser: BrowserContext;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, spa, browser, close } = await startSpaStack({
    config: {
      deviceTracking: 'opt-in',
      mfa: 'off',
      passwordless: ['email_otp', 'passkey'],
      passkeyRelyingPartyId: 'localhost',
    },
    spa: { passwordless: ['email_otp', 'passkey'] },
  }));
});
afterAll(async () => {
  await close?.();
});

/** Screenshots of what a person sees, at desktop (1280 px) and phone (390 px) widths, in reports/. */
async function shoot(page: Page, name: string) {
  mkdirSync('reports', { recursive: true });
  for (const [width, size] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `reports/spa-${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

it('adds a passkey after a password sign-in, signs in with it and with an email code, its device listed as this one, and removes it', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      failures.push(message.text());
  });
  // A platform passkey that verifies the user at once, as Touch ID or Windows Hello would.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const cards = page.locator('#device-list li');
  const signOut = async () => {
    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
  };

  // 1. The sign-in page offers both ways without a password.
  await page.goto(spa.url);
  await page.waitForSelector('#passkey-button:not([hidden])');
  expect(await page.isVisible('#email-code-button')).toBe(true);
  await shoot(page, 'passwordless-sign-in');

  // 2. A password sign-in first (no MFA on this stage): remember the device, then add a passkey.
  await page.fill('#username', DEMO_USER.email);
  await page.fill('#password', DEMO_USER.password);
  await page.click('#sign-in-button');
  await page.waitForSelector('#remember-prompt:not([hidden])');
  await page.click('#remember');
  await expect.poll(() => cards.count()).toBe(1);
  await page.waitForSelector('#passkeys:not([hidden])');
  expect(await page.isVisible('#no-passkeys')).toBe(true);
  await page.click('#add-passkey');
  await expect.poll(() => page.locator('#passkey-list li').count()).toBe(1);
  expect(await page.locator('#passkey-list li').textContent()).toMatch(/Passkey.*Added just now/);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  // The activity list says so, the device named from the events that named it.
  await expect
    .poll(() => page.locator('#activity-list li span').first().textContent(), { timeout: 10_000 })
    .toBe('Passkey added on Headless Chrome on Linux');
  await shoot(page, 'passkeys');

  // 3. Signed out, back in with the passkey: no password, the same device, listed as this device.
  await signOut();
  await page.fill('#username', DEMO_USER.email);
  await page.click('#passkey-button');
  await page.waitForSelector('#devices:not([hidden])');
  await expect.poll(() => cards.count()).toBe(1);
  expect(await cards.locator('.this-device').isVisible()).toBe(true);
  expect(failures).toEqual([]);

  // 4. Signed out, back in with a code sent by email (the stand-in's messages stand for the mailbox).
  await signOut();
  await page.fill('#username', DEMO_USER.email);
  await page.click('#email-code-button');
  await page.waitForSelector('#email-code:not([hidden])');
  expect(await page.textContent('#email-code-destination')).toBe('d***@e***');
  await shoot(page, 'email-code');
  await page.fill('#email-code-input', stack.cognito.messages.at(-1)?.code ?? '');
  await page.click('#email-code-form button');
  await page.waitForSelector('#devices:not([hidden])');
  await expect.poll(() => cards.count()).toBe(1);
  expect(await cards.locator('.this-device').isVisible()).toBe(true);

  // 5. Removing the last passkey warns first.
  await page.click('#passkey-list li button');
  await page.waitForSelector('#confirm-remove-passkey[open]');
  expect(await page.textContent('#remove-passkey-warning')).toMatch(/last passkey/);
  await shoot(page, 'remove-passkey');
  await page.click('#remove-passkey-confirm');
  await page.waitForSelector('#no-passkeys:not([hidden])');
  expect(await page.locator('#passkey-list li').count()).toBe(0);
  expect(failures).toEqual([]);
});
