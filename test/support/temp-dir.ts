import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest global setup: every test process gets its own temp folder (TMPDIR, which `os.tmpdir()` and the CDK
 * honour), removed afterwards. Tests must clean up after themselves: anything still there at the end fails
 * the run, with its names.
 */
/** Caches that tools in child processes keep there (tsx, Node's compile cache): removed with the folder. */
const TOOL_CACHES = /^(tsx-\d+|node-compile-cache)$/;

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'cognito-device-bff-test-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    const left = readdirSync(dir).filter((name) => !TOOL_CACHES.test(name));
    rmSync(dir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (left.length > 0) {
      throw new Error(`tests left ${left.length} entries in the temp folder: ${left.slice(0, 5).join(', ')}`);
    }
  };
}
