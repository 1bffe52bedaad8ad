import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Cognito's model as the AWS SDK this project uses carries it: the schemas its serializer is built from
 * (`dist-es/schemas/schemas_0.js`: members and their types, no constraints) and each command's errors (the `@throws`
 * of its declaration). scripts/service-model.ts brings the stand-in's copy of the model to it, and
 * test/local/service-model.test.ts checks that the copy still matches.
 */
export type SdkSchema =
  | { kind: 'simple'; name?: string; type: string; sensitive: boolean }
  | { kind: 'structure'; name: string; members: Record<string, SdkSchema> }
  | { kind: 'list'; name: string; member: SdkSchema }
  | { kind: 'map'; name: string; value: SdkSchema };

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@aws-sdk/client-cognito-identity-provider/package.json'));

export const sdkVersion = (): string =>
  (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;

let schemas: Promise<Record<string, unknown>> | undefined;
const loadSchemas = () => {
  schemas ??= import(pathToFileURL(join(packageDir, 'dist-es/schemas/schemas_0.js')).href);
  return schemas;
};

/** Smithy's schema type codes, as the SDK's schemas write them. */
const SIMPLE: Record<number, string> = {
  0: 'string',
  1: 'integer',
  2: 'boolean',
  4: 'timestamp',
  15: 'document',
  21: 'blob',
};
const SENSITIVE = 8;

function decode(raw: unknown, traits = 0, depth = 0): SdkSchema {
  if (depth > 40) throw new Error('SDK schema too deep');
  if (typeof raw === 'function') return decode(raw(), traits, depth + 1);
  if (typeof raw === 'number') {
    if (raw & 64) return { kind: 'list', name: '', member: decode(raw & ~64, 0, depth + 1) };
    if (raw & 128) return { kind: 'map', name: '', value: decode(raw & ~128, 0, depth + 1) };
    return { kind: 'simple', type: SIMPLE[raw] ?? 'string', sensitive: (traits & SENSITIVE) !== 0 };
  }
  // Smithy's unit: an operation without input or output.
  if (raw === 'unit') return { kind: 'structure', name: 'Unit', members: {} };
  if (!Array.isArray(raw)) throw new Error(`Unknown SDK schema ${String(raw)}`);
  // A member with traits: [schema, traits].
  if (raw.length === 2 && typeof raw[1] === 'number') return decode(raw[0], traits | raw[1], depth + 1);
  const [kind, , name, ownTraits] = raw as [number, string, string, unknown];
  const all = traits | (typeof ownTraits === 'number' ? ownTraits : 0);
  switch (kind) {
    case 0:
      return {
        kind: 'simple',
        name,
        type: SIMPLE[raw[4] as number] ?? 'string',
        sensitive: (all & SENSITIVE) !== 0,
      };
    case 1:
      return { kind: 'list', name, member: decode(raw[4], 0, depth + 1) };
    case 2:
      return { kind: 'map', name, value: decode(raw[5], 0, depth + 1) };
    case 3:
    case -3: {
      const names = raw[4] as string[];
      const types = raw[5] as unknown[];
      const members: Record<string, SdkSchema> = {};
      // Structures refer to themselves (recursive types): members are decoded lazily, one level at a time.
      names.forEach((member, i) => {
        Object.defineProperty(members, member, {
          enumerable: true,
          get: () => decode(types[i], 0, depth + 1),
        });
      });
      return { kind: 'structure', name, members };
    }
    default:
      throw new Error(`Unknown SDK schema kind ${kind} for ${name}`);
  }
}

/** An operation's input and output structures, as the SDK serializes them. */
export async function sdkOperationSchema(operation: string): Promise<{
  input: Extract<SdkSchema, { kind: 'structure' }>;
  output: Extract<SdkSchema, { kind: 'structure' }>;
}> {
  const op = (await loadSchemas())[`${operation}$`] as [
    number,
    string,
    string,
    unknown,
    () => unknown,
    () => unknown,
  ];
  if (!op) throw new Error(`The SDK has no operation ${operation}`);
  const input = decode(op[4]);
  const output = decode(op[5]);
  if (input.kind !== 'structure' || output.kind !== 'structure')
    throw new Error(`${operation}: not structures`);
  return { input, output };
}

/** The exceptions an operation may raise, as its SDK command declares them (`@throws`), sorted. */
export function sdkErrors(operation: string): string[] {
  const declaration = readFileSync(
    join(packageDir, 'dist-types/commands', `${operation}Command.d.ts`),
    'utf8',
  );
  const errors = [...declaration.matchAll(/@throws \{@link (\w+)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => name !== 'CognitoIdentityProviderServiceException');
  return [...new Set(errors)].sort();
}
