import { mkdirSync } from 'node:fs';
import {
  CognitoIdentityProviderClient,
  ConfirmDeviceCommand,
  UpdateDeviceStatusCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_USER } from '../../local/bootstrap.js';
import { totpCode } from '../../local/cognito/totp.js';
import type { SpaServer } from '../../local/spa/server.js';
import type { LocalStack } from '../../local/stack.js';
import { passwordSignIn } from '../../local/users.js';
import { startSpaStack } from '../support/spa-stack.js';

/** A device name that reverses itself on screen unless the override (U+202E) is removed. */
const HOSTILE_NAME = '\u202Egnp.exe<b/>dlob<b>';

let stack: LocalStack;
let spa: SpaServer;
let browser: BrowserContext;
let close: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ stack, spa, browser, close } = await startSpaStack({
    // Trust that ends: each remembered device shows when.
    config: { deviceTracking: 'opt-in', mfa: 'optional', rememberFor: '30d' },
  }));
});
afterAll(async () => {
  await close?.();
});

it('signs in with TOTP, confirms the new device at once, remembers it, skips MFA on it, signs out everywhere, forgets it and is challenged again, all through the BFF', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const failures: string[] = [];
  page.on('pageerror', (error) => failures.push(error.message));
  // Console errors fail the test (script errors, CSP violations…). Chrome also logs every 4xx/5xx response
  // as one; those are checked as responses instead: only the wrong password's 400 is expected.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      failures.push(message.text());
  });
  const failedResponses: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400)
      failedResponses.push(`${response.status()} ${new URL(response.url()).origin}`);
  });
  /** What the page itself asks Cognito: sign-in only; device operations must go through the BFF. */
  const cognitoCalls: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().startsWith(stack.cognito.url)) {
      cognitoCalls.push(
        (request.headers()['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', ''),
      );
    }
  });
  /** What the page asks the BFF, as `METHOD /path`. */
  const bffCalls: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(stack.api.url) && request.method() !== 'OPTIONS')
      bffCalls.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  const totp = () => totpCode(stack.demoTotpSecret ?? '', Date.now());
  // The demo signs in with the email; the username and the email in other capitals are the same user on this device.
  const signIn = async (password: string = DEMO_USER.password, name: string = DEMO_USER.email) => {
    await page.fill('#username', name);
    await page.fill('#password', password);
    await page.click('#sign-in-button');
  };
  const cards = page.locator('#device-list li');
  /** Screenshots of what a person sees, at desktop (1280 px) and phone (390 px) widths, in reports/. */
  mkdirSync('reports', { recursive: true });
  const shoot = async (name: string, width: 'desktop' | 'phone') => {
    await page.setViewportSize(
      width === 'desktop' ? { width: 1280, height: 800 } : { width: 390, height: 844 },
    );
    await page.screenshot({ path: `reports/spa-${name}-${width}.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  };
  await page.goto(spa.url);
  // A pool without passwordless first factors offers none.
  expect(await page.isVisible('#passwordless')).toBe(false);
  await shoot('sign-in', 'phone');
  const headers = (await page.request.get(spa.url)).headers();
  expect(headers['content-security-policy']).toMatch(
    /default-src 'none'; script-src 'self'; style-src 'self'/,
  );
  expect(headers['x-frame-options']).toBe('DENY');

  // A wrong password shows Cognito's answer.
  await signIn('not-the-password');
  await expect.poll(() => page.textContent('#error')).toBe('Incorrect username or password.');

  // 1. A new device: TOTP; the page confirms it through the BFF at once (Cognito would not refresh this sign-in
  // otherwise), then asks whether to remember it. Not remembered yet, so not listed.
  await signIn();
  await page.waitForSelector('#mfa:not([hidden])');
  await shoot('mfa', 'phone');
  await page.fill('#mfa-code', totp());
  await page.click('#mfa-form button');
  await page.waitForSelector('#remember-prompt:not([hidden])');
  await page.waitForSelector('#empty:not([hidden])');
  expect(bffCalls).toContain('POST /devices');
  expect(await cards.count()).toBe(0);
  await shoot('remember-prompt', 'desktop');
  await shoot('remember-prompt', 'phone');

  // 2. Remember it: it is listed as this device, remembered, named from the browser, signed in just now.
  await page.click('#remember');
  await expect.poll(() => cards.count()).toBe(1);
  expect(await cards.locator('.device-name').textContent()).toBe('Headless Chrome on Linux');
  expect(await cards.locator('.this-device').isVisible()).toBe(true);
  expect(await cards.locator('.device-status').textContent()).toBe('Remembered');
  expect(await cards.locator('.device-when').textContent()).toMatch(/now|second|minute/);
  const trustEnds = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString('en', {
    month: 'short',
    day: 'numeric',
  });
  expect(await cards.locator('.device-trust').textContent()).toBe(
    `Sign-ins without your code end on ${trustEnds}`,
  );
  // The activity the bus saw: this sign-in on a new device (named after its confirmation), then its remembering.
  // Events reach the bus after the response (delivered off the request path); the page looks again every 3 s.
  await expect
    .poll(() => page.locator('#activity-list li span').allTextContents(), { timeout: 10_000 })
    .toEqual(['Headless Chrome on Linux remembered', 'New sign-in on Headless Chrome on Linux']);
  // Nor passkeys beside the devices.
  expect(await page.isVisible('#passkeys')).toBe(false);
  await shoot('devices', 'desktop');
  await shoot('devices', 'phone');

  // Meanwhile another device signs in, named to disguise itself (U+202E reverses what follows it).
  const cognito = new CognitoIdentityProviderClient({
    region: 'eu-west-1',
    endpoint: stack.cognito.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const other = await passwordSignIn(cognito, {
    clientId: stack.clients.mobile,
    username: DEMO_USER.username,
    password: DEMO_USER.password,
    totp,
  });
  const otherKey = other.NewDeviceMetadata?.DeviceKey ?? '';
  await cognito.send(
    new ConfirmDeviceCommand({
      AccessToken: other.AccessToken,
      DeviceKey: otherKey,
      DeviceName: HOSTILE_NAME,
    }),
  );
  await cognito.send(
    new UpdateDeviceStatusCommand({
      AccessToken: other.AccessToken,
      DeviceKey: otherKey,
      DeviceRememberedStatus: 'remembered',
    }),
  );

  // Stop remembering this one: Cognito no longer lists it (as real Cognito does); the page offers to remember it
  // again. The other device is listed, its name shown without the override.
  await cards.first().locator('.stop-remembering').click();
  await page.waitForSelector('#this-device:not([hidden])');
  await expect.poll(() => cards.count()).toBe(1);
  expect(await cards.locator('.device-name').textContent()).toBe('gnp.exe<b/>dlob<b>');
  await page.click('#remember-again');
  await expect.poll(() => cards.count()).toBe(2);
  expect(await page.isVisible('#this-device')).toBe(false);
  // Forget the other device: the warning is about that device, not this one.
  const otherCard = page.locator(`#device-list li[data-device-key="${otherKey}"]`);
  await otherCard.locator('.forget').click();
  await page.waitForSelector('#confirm-forget[open]');
  expect(await page.textContent('#forget-name')).toBe('gnp.exe<b/>dlob<b>');
  expect(await page.textContent('#forget-warning')).toMatch(/^Its next sign-in will ask/);
  await page.click('#forget-confirm');
  await expect.poll(() => cards.count()).toBe(1);

  // Forget the other devices: there is none; this one stays.
  await page.click('#forget-others');
  await expect
    .poll(() => page.textContent('#forget-others-result'))
    .toBe('No other remembered device to forget.');
  expect(await cards.count()).toBe(1);

  // 3. Sign out and in again, with the username this time: the remembered device proves itself, and no code is asked;
  // nothing new to confirm.
  expect(await page.textContent('#who')).toBe(`Signed in as ${DEMO_USER.email}`);
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  const confirmations = bffCalls.filter((c) => c === 'POST /devices').length;
  await signIn(DEMO_USER.password, DEMO_USER.username);
  await page.waitForSelector('#devices:not([hidden])');
  expect(await page.isVisible('#mfa')).toBe(false);
  await expect.poll(() => cards.count()).toBe(1);
  expect(bffCalls.filter((c) => c === 'POST /devices')).toHaveLength(confirmations);

  // 4. Sign out everywhere, after a warning: every session ends, this one included; this device is still
  // remembered, so signing in again asks no code.
  await page.click('#sign-out-everywhere');
  await page.waitForSelector('#confirm-sign-out-everywhere[open]');
  await shoot('sign-out-everywhere', 'phone');
  await page.click('#sign-out-everywhere-confirm');
  await page.waitForSelector('#sign-in:not([hidden])');
  expect(await page.textContent('#notice')).toBe('Signed out everywhere. Sign in again to continue.');
  expect(bffCalls).toContain('POST /sign-out-everywhere');
  await shoot('signed-out-everywhere', 'phone');
  await signIn(DEMO_USER.password, 'Demo@Example.COM');
  await page.waitForSelector('#devices:not([hidden])');
  expect(await page.isVisible('#mfa')).toBe(false);
  await expect.poll(() => cards.count()).toBe(1);

  // 5. Forget this device, after a warning that it is this one.
  await cards.locator('.forget').click();
  await page.waitForSelector('#confirm-forget[open]');
  expect(await page.textContent('#forget-warning')).toMatch(/device you are using now/);
  await page.screenshot({ path: 'reports/spa-forget-desktop.png' });
  await page.click('#forget-confirm');
  await page.waitForSelector('#empty:not([hidden])');

  // 6. Challenged again on the next sign-in.
  await page.click('#sign-out');
  await page.waitForSelector('#sign-in:not([hidden])');
  await signIn();
  await page.waitForSelector('#mfa:not([hidden])');

  expect(cognitoCalls.length).toBeGreaterThan(0);
  expect(new Set(cognitoCalls)).toEqual(new Set(['InitiateAuth', 'RespondToAuthChallenge', 'RevokeToken']));
  expect(failures, failures.join('\n')).toEqual([]);
  expect(failedResponses).toEqual([`400 ${new URL(stack.cognito.url).origin}`]);
});
