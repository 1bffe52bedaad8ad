import { BadRequestError } from '../errors.js';

/** Wraps Cognito's pagination token so clients treat it as opaque and cannot depend on its shape. */
export function encodeCursor(pageToken: string): string {
  return Buffer.from(pageToken, 'utf8').toString('base64url');
}

/** Unwraps a cursor; a cursor that could not have come from {@link encodeCursor} is a 400, not a Cognito call. */
export function decodeCursor(cursor: string): string {
  const pageToken = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^\S+$/u.test(pageToken) || encodeCursor(pageToken) !== cursor) {
    throw new BadRequestError({
      code: 'invalid_cursor',
      detail: 'The cursor is not one this API returned',
      invalidParams: [{ name: 'query:cursor', reason: 'Not a cursor from a previous page' }],
    });
  }
  return pageToken;
}
