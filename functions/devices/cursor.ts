import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../errors.js';
import type { SecretValues } from '../secrets/secret-values.js';
import type { DeviceVisibility } from './directory.js';

/** Whom a cursor was issued to, and for which view of their devices: a cursor is good for that alone. */
export interface CursorBinding {
  readonly sub: string;
  readonly view: DeviceVisibility;
}

/**
 * Opaque cursors around Cognito's pagination tokens, sealed with an HMAC under the stack's cursor key (a Secrets
 * Manager secret): a cursor this API did not issue, or issued to another user or for another view, is refused
 * with 400 `invalid_cursor` and never becomes a PaginationToken (with the full view, an IAM-signed
 * AdminListDevices would otherwise take whatever a caller forged).
 */
export interface Cursors {
  seal(pageToken: string, binding: CursorBinding): Promise<string>;
  /** The pagination token inside, or a 400 `invalid_cursor`. */
  open(cursor: string, binding: CursorBinding): Promise<string>;
}

const VERSION = 1;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

function mac(key: string, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest();
}

function invalidCursor(): BadRequestError {
  return new BadRequestError({
    code: 'invalid_cursor',
    detail: 'The cursor is not one this API returned to you for this list',
    invalidParams: [{ name: 'query:cursor', reason: 'Not a cursor from a previous page of your devices' }],
  });
}

export function createCursors(keys: SecretValues): Cursors {
  /** The body of `cursor` when one of `values` sealed it. */
  const verified = (values: readonly string[], body: string, tag: Buffer) =>
    values.some((key) => {
      const expected = mac(key, body);
      return expected.length === tag.length && timingSafeEqual(expected, tag);
    });
  return {
    async seal(pageToken, binding) {
      const [key] = await keys.values();
      if (!key) throw new Error('no cursor key');
      const body = b64(JSON.stringify([VERSION, binding.sub, binding.view, pageToken]));
      return `${body}.${mac(key, body).toString('base64url')}`;
    },
    async open(cursor, binding) {
      const [body = '', tagText = '', extra] = cursor.split('.');
      const tag = Buffer.from(tagText, 'base64url');
      if (extra !== undefined || tag.length !== 32) throw invalidCursor();
      // A key nobody knew may mean the key was rotated since the values were fetched: fetch them once more.
      if (!verified(await keys.values(), body, tag) && !verified(await keys.valuesFresh(), body, tag)) {
        throw invalidCursor();
      }
      let content: unknown;
      try {
        content = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        throw invalidCursor();
      }
      const [version, sub, view, pageToken] = Array.isArray(content) ? content : [];
      if (version !== VERSION || sub !== binding.sub || view !== binding.view) throw invalidCursor();
      if (typeof pageToken !== 'string' || !/^\S+$/u.test(pageToken)) throw invalidCursor();
      return pageToken;
    },
  };
}
