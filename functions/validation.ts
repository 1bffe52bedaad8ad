import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { BadRequestError, type InvalidParam } from './errors.js';

// zod/mini ships without messages; load only the English ones so clients get readable reasons.
z.config(en());

/** Where a value came from, used to name invalid fields for the client. */
export type InputLocation = 'body' | 'path' | 'query';

function paramName(location: InputLocation, path: readonly PropertyKey[]): string {
  if (location === 'body')
    return `/${path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
  return `${location}:${path.map(String).join('.')}`;
}

function toInvalidParams(location: InputLocation, issues: readonly z.core.$ZodIssue[]): InvalidParam[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          name: paramName(location, [...issue.path, key]),
          reason: 'Unknown field',
        }))
      : [{ name: paramName(location, issue.path), reason: issue.message }],
  );
}

/** Parses `value` or throws a 400 that lists every invalid field; never echoes the value itself. */
export function parseInput<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  location: InputLocation,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const invalidParams = toInvalidParams(location, result.error.issues);
  return failValidation(invalidParams);
}

function failValidation(invalidParams: InvalidParam[]): never {
  throw new BadRequestError({
    code: 'invalid_request',
    detail: `The request is invalid: ${invalidParams.map((p) => `${p.name} (${p.reason})`).join(', ')}`,
    invalidParams,
  });
}
