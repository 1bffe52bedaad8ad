import { expect } from 'vitest';

/**
 * Captures everything written to stdout and stderr (where the functions' Powertools logger and the local
 * servers write) until `stop()`; the captured text is then checked for secrets.
 */
export function captureOutput() {
  const chunks: string[] = [];
  const original = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  const record = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  process.stdout.write = record as typeof process.stdout.write;
  process.stderr.write = record as typeof process.stderr.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = original.out;
      process.stderr.write = original.err;
    },
  };
}

/**
 * Asserts that no secret, nor the signature part of any JWT among them, appears in `text`. Signatures are
 * checked on their own because a leaked token may be logged split or truncated.
 */
export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < 8) continue;
    needles.add(secret);
    const parts = secret.split('.');
    if (parts.length === 3 && parts[2] && parts[2].length >= 16) needles.add(parts[2]);
  }
  const leaked = [...needles].filter((needle) => text.includes(needle));
  expect(leaked.map((l) => `${l.slice(0, 12)}…`)).toEqual([]);
}
