import { parseUserAgent } from 'detect-browser';
import samsungModels from './samsung-models.json' with { type: 'json' };

/**
 * Readable device names from whatever the sign-in libraries write as Cognito's `device_name`:
 * - a browser's User-Agent (amazon-cognito-identity-js, Amplify JS where client hints are missing): "Chrome on macOS";
 * - Amplify JS's client-hints string (`macOS 14.2.1 arm macOS Not A(Brand/99.0.0.0;Google Chrome/121…`);
 * - `react-native`, `nodejs` or `Node.js/24` (amazon-cognito-identity-js outside a browser);
 * - an Android `Build.MODEL` (amplify-android, Amplify React Native): "SM-S911B" → "Samsung Galaxy S23";
 * - an iOS device name (amplify-swift: "Alice's iPhone", or "iPhone" since iOS 16) and names people typed, as
 *   they are.
 * Every result is safe to show: control, zero-width and bidirectional-override characters are removed (U+202E
 * would turn "<b/>dlob<b>exe.png" around), whitespace is collapsed, and the length is bounded.
 */

/**
 * Controls (C0, C1, DEL), format characters (bidi embeddings, overrides and isolates, zero-width characters, the
 * BOM, the soft hyphen, the Arabic letter mark), line and paragraph separators, and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
/** Longer names are cut (with an ellipsis): a name is a label, not a document. */
export const MAX_DISPLAY_LENGTH = 60;

/** The text with every character that could disguise it removed, whitespace collapsed. */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, ' ').replace(/\s+/gu, ' ').trim();
}

function bounded(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_DISPLAY_LENGTH ? text : `${chars.slice(0, MAX_DISPLAY_LENGTH - 1).join('')}…`;
}

/** The readable form of a device's name, or null when it has none (or nothing readable is left of it). */
export function displayName(name: string | null | undefined): string | null {
  if (!name) return null;
  const clean = neutralise(name);
  if (!clean) return null;
  return bounded(
    fromUserAgent(clean) ?? fromClientHints(clean) ?? fromRuntime(clean) ?? fromModel(clean) ?? clean,
  );
}

/** detect-browser's names, as a person knows them; web views name no browser (the hardware says more). */
const BROWSERS: Partial<Record<string, string>> = {
  chrome: 'Chrome',
  crios: 'Chrome',
  'edge-chromium': 'Edge',
  edge: 'Edge',
  'edge-ios': 'Edge',
  firefox: 'Firefox',
  fxios: 'Firefox',
  safari: 'Safari',
  ios: 'Safari',
  samsung: 'Samsung Internet',
  opera: 'Opera',
  'opera-mini': 'Opera Mini',
  yandexbrowser: 'Yandex Browser',
  silk: 'Silk',
  miui: 'MIUI Browser',
  android: 'Android Browser',
  ie: 'Internet Explorer',
  facebook: 'Facebook',
  instagram: 'Instagram',
  kakaotalk: 'KakaoTalk',
};

function systemName(os: string | null): string | undefined {
  if (!os) return undefined;
  if (os.startsWith('Windows')) return 'Windows';
  return (
    ({ 'Mac OS': 'macOS', 'Android OS': 'Android', 'Chrome OS': 'ChromeOS' } as Record<string, string>)[os] ??
    os
  );
}

/** The hardware a mobile agent names: iPhone or iPad, or the Android model ("SM-S911B" → Samsung Galaxy S23). */
function hardwareName(userAgent: string): string | undefined {
  const apple = /\((iPhone|iPad|iPod)[;)]/.exec(userAgent)?.[1];
  if (apple) return apple;
  // The model is the Android parenthesis' entry that is none of the others (Linux, U, Android 14, a locale, wv),
  // without its build id; Chrome's reduced agent says only "K".
  const entries = /\(Linux;([^)]*Android [\d.]+[^)]*)\)/.exec(userAgent)?.[1]?.split(';') ?? [];
  const model = entries
    .map((entry) => entry.trim().replace(/\sBuild\/.*$/, ''))
    .find((entry) => entry.length > 1 && !/^(U|wv|Android [\d.]+|[a-z]{2}[-_][a-z]{2}|rv:.*)$/i.test(entry));
  if (!model) return undefined;
  return fromModel(model.replace(/^samsung\s+/i, '')) ?? model;
}

/**
 * "Chrome on macOS", "Safari on iPhone", "Chrome on Samsung Galaxy S23": the browser, then the hardware where the
 * agent names it (phones, tablets), else the system. Undefined for anything that is not a browser's User-Agent.
 */
export function fromUserAgent(userAgent: string): string | undefined {
  if (!/^Mozilla\/\d|^Opera\//.test(userAgent)) return undefined;
  const parsed = parseUserAgent(userAgent);
  const browser = /HeadlessChrome\//.test(userAgent) ? 'Headless Chrome' : BROWSERS[parsed?.name ?? ''];
  const where = hardwareName(userAgent) ?? systemName(parsed?.os ?? null);
  if (browser && where) return `${browser} on ${where}`;
  return where ?? browser ?? 'Web browser';
}

/** Amplify JS's Chromium client hints: `${platform} ${platformVersion} ${architecture} ${model} ${platform} ${brands}`. */
function fromClientHints(hints: string): string | undefined {
  const match =
    /^(macOS|Windows|Linux|Android|Chrome OS|Chromium OS|ChromeOS)\s(.*?)\s\1\s(.+\/[\d.]+.*)$/.exec(hints);
  if (!match) return undefined;
  const [, platform = '', middle = '', brandList = ''] = match;
  const brands = brandList
    .split(';')
    .map((entry) => entry.replace(/\/[\d.]+$/, '').trim())
    .filter((brand) => !/not.?a.?brand/i.test(brand));
  const browser =
    (['Microsoft Edge', 'Opera', 'Brave', 'Vivaldi', 'Samsung Internet', 'Google Chrome'] as const)
      .find((known) => brands.includes(known))
      ?.replace(/^(Google|Microsoft) /, '') ?? (brands.includes('Chromium') ? 'Chromium' : brands[0]);
  // After the version comes the architecture (desktop) or the model (phones).
  const model = middle
    .split(' ')
    .slice(1)
    .filter((token) => token && !/^(arm|x86|arm64|x86_64)$/.test(token))
    .join(' ');
  const where = model ? (samsungModel(model) ?? model) : platform.replace(/^Chrom(e|ium) OS$/, 'ChromeOS');
  return browser ? `${browser} on ${where}` : where;
}

/** What amazon-cognito-identity-js writes outside a browser. */
function fromRuntime(name: string): string | undefined {
  if (name === 'react-native') return 'React Native app';
  if (name === 'nodejs' || /^Node\.js\/\d+$/.test(name)) return 'Node.js app';
  return undefined;
}

/** Android `Build.MODEL` values that are codes, or bare model names of a known maker. */
function fromModel(name: string): string | undefined {
  return samsungModel(name) ?? (/^Pixel\b/.test(name) ? `Google ${name}` : undefined);
}

let samsungByCode: Map<string, string> | undefined;
/**
 * "SM-S911B" → "Samsung Galaxy S23", from Google Play's list of supported devices (`samsung-models.json`, by
 * model number without its regional suffix); a model newer than the list keeps its code: "Samsung SM-S938B".
 */
function samsungModel(model: string): string | undefined {
  const match = /^(?:samsung[\s-])?(SM-([A-Z]\d{3})[A-Z0-9]*)$/i.exec(model);
  if (!match) return undefined;
  if (!samsungByCode) {
    samsungByCode = new Map();
    for (const [galaxy, codes] of Object.entries(samsungModels as Record<string, string>)) {
      for (const code of codes.split(' ')) samsungByCode.set(code, `Galaxy ${galaxy}`);
    }
  }
  return `Samsung ${samsungByCode.get((match[2] ?? '').toUpperCase()) ?? (match[1] ?? '').toUpperCase()}`;
}
