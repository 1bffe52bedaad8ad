import { readFileSync } from 'node:fs';

/** A shape of the Cognito service model (the subset of fields the stand-in uses). */
export interface Shape {
  type:
    | 'structure'
    | 'string'
    | 'integer'
    | 'long'
    | 'boolean'
    | 'list'
    | 'map'
    | 'timestamp'
    | 'blob'
    | 'double';
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  exception?: boolean;
  fault?: boolean;
  error?: { httpStatusCode?: number };
}

export interface ServiceModel {
  operations: Record<
    string,
    {
      input?: { shape: string };
      output?: { shape: string };
      errors?: { shape: string }[];
      /** `["smithy.api#noAuth"]` for the public operations; absent means the service's SigV4. */
      auth?: string[];
    }
  >;
  shapes: Record<string, Shape>;
}

/**
 * The official model (botocore's service-2.json subset, Apache-2.0), vendored beside the stand-in so that
 * its validation and error codes come from AWS's own definitions rather than from memory.
 */
export const serviceModel: ServiceModel = JSON.parse(
  readFileSync(new URL('./service-model.json', import.meta.url), 'utf8'),
);

const patterns = new Map<string, RegExp>();
/** Model patterns are Java regexes matched against the whole value; `(?s)` becomes the `s` flag. */
function patternOf(shapeName: string, pattern: string): RegExp {
  let regex = patterns.get(shapeName);
  if (!regex) {
    const dotAll = pattern.startsWith('(?s)');
    regex = new RegExp(`^(?:${dotAll ? pattern.slice(4) : pattern})$`, dotAll ? 'us' : 'u');
    patterns.set(shapeName, regex);
  }
  return regex;
}

/** A wrong JSON type is a serialization failure in AWS, not a validation failure. */
export class SerializationError extends Error {}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * Validates an operation's input against the model the way AWS reports it:
 * "2 validation errors detected: Value at 'deviceKey' failed to satisfy constraint: ...".
 * Returns the messages; members the model does not know are ignored, as AWS does.
 */
export function validateInput(operation: string, input: unknown): string[] {
  const shapeName = serviceModel.operations[operation]?.input?.shape;
  if (!shapeName) return [];
  const errors: string[] = [];
  check(shapeName, input, '', errors);
  return errors;
}

/**
 * Shapes whose members are secrets although the member shapes are not marked `sensitive` in the model
 * (the device verifier and salt are `StringType`).
 */
const SENSITIVE_CONTAINERS = new Set(['DeviceSecretVerifierConfigType']);

/** `sensitive` is inherited: a password inside `AuthParameters` (a sensitive map of plain strings) stays secret. */
function check(shapeName: string, value: unknown, path: string, errors: string[], inSensitive = false): void {
  const shape = serviceModel.shapes[shapeName];
  if (!shape || value === undefined || value === null) return;
  const secret = inSensitive || shape.sensitive === true || SENSITIVE_CONTAINERS.has(shapeName);
  const at = (constraint: string) => {
    const shown = secret || typeof value === 'object' ? '' : ` '${String(value)}'`;
    errors.push(`Value${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  };
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new SerializationError(`Expected an object at '${path}'`);
      const record = value as Record<string, unknown>;
      for (const name of shape.required ?? []) {
        if (record[name] === undefined || record[name] === null) {
          errors.push(
            `Value null at '${path ? `${path}.` : ''}${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`,
          );
        }
      }
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        check(
          member.shape,
          record[name],
          path ? `${path}.${lowerFirst(name)}` : lowerFirst(name),
          errors,
          secret,
        );
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') throw new SerializationError(`Expected a string at '${path}'`);
      const length = [...value].length;
      if (shape.min !== undefined && length < shape.min)
        at(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && length > shape.max)
        at(`Member must have length less than or equal to ${shape.max}`);
      if (shape.pattern && !patternOf(shapeName, shape.pattern).test(value)) {
        at(`Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      if (shape.enum && !shape.enum.includes(value))
        at(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      return;
    }
    case 'integer':
    case 'long':
    case 'double': {
      if (typeof value !== 'number' || (shape.type !== 'double' && !Number.isInteger(value))) {
        throw new SerializationError(`Expected a number at '${path}'`);
      }
      if (shape.min !== undefined && value < shape.min)
        at(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max)
        at(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new SerializationError(`Expected a boolean at '${path}'`);
      return;
    case 'list': {
      if (!Array.isArray(value)) throw new SerializationError(`Expected a list at '${path}'`);
      if (shape.min !== undefined && value.length < shape.min)
        at(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max)
        at(`Member must have length less than or equal to ${shape.max}`);
      value.forEach((item, i) => {
        check(shape.member?.shape ?? '', item, `${path}.${i + 1}.member`, errors, secret);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value))
        throw new SerializationError(`Expected a map at '${path}'`);
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        check(shape.key?.shape ?? '', key, `${path}.key`, errors, secret);
        check(shape.value?.shape ?? '', item, `${path}.${key}`, errors, secret);
      }
      return;
    }
    case 'timestamp':
      if (typeof value !== 'number' && typeof value !== 'string')
        throw new SerializationError(`Expected a timestamp at '${path}'`);
      return;
    default:
      return;
  }
}
