import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { expect } from 'vitest';
import type { ApiResponse } from './local-stack.js';

type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }> }
    >
  >;
  components: unknown;
};

/** The committed OpenAPI document (the contract test proves it is the generated one). */
export const documentedDoc = JSON.parse(
  readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'),
) as Doc;
const doc = documentedDoc;
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'openapi', components: doc.components });

/** Validates a real response against the document's operation (or, for unmatched routes, the Problem schema). */
export function expectConforms(res: ApiResponse, method: string, template: string | undefined) {
  expect(res.headers.get('x-request-id')).toBeTruthy();
  expect(res.headers.get('cache-control')).toBe('no-store');
  const contentType = res.headers.get('content-type') ?? '';
  if (template === undefined) {
    expect(contentType).toBe('application/problem+json');
    if (res.status === 405) expect(res.headers.get('allow')).toMatch(/^[A-Z]+(, [A-Z]+)*$/);
    const validate = ajv.getSchema('openapi#/components/schemas/Problem');
    expect(validate?.(res.body), JSON.stringify(validate?.errors)).toBe(true);
    return;
  }
  const documented = doc.paths[template]?.[method.toLowerCase()]?.responses[String(res.status)];
  expect(documented, `${method} ${template} ${res.status} is not documented`).toBeDefined();
  // Headers the document promises for this status must be there (Location, Retry-After, WWW-Authenticate…).
  for (const header of Object.keys(documented?.headers ?? {})) {
    if (!['X-Request-Id', 'Cache-Control'].includes(header))
      expect(res.headers.get(header), header).toBeTruthy();
  }
  if (!documented?.content) {
    expect(res.text).toBe('');
    return;
  }
  const media = documented.content[contentType] as { schema: { $ref: string } } | undefined;
  expect(media, `${method} ${template} ${res.status} answered ${contentType}, not documented`).toBeDefined();
  const schemaRef = media?.schema.$ref ?? '';
  const validate = ajv.getSchema(`openapi${schemaRef}`);
  expect(
    validate?.(res.body),
    `${method} ${template} ${res.status}: ${JSON.stringify(validate?.errors)}`,
  ).toBe(true);
}
