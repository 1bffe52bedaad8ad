/**
 * `npm run service-model`: rebuilds local/cognito/service-model.json, the stand-in's copy of Cognito's service model,
 * so that it follows the AWS SDK version this project uses.
 *
 * The SDK's package carries the model's shapes without their constraints (schemas: members, types, errors) and the
 * error list of every operation (its commands' `@throws`); botocore's model carries the constraints (lengths,
 * patterns, enums) and the documentation, but may be older or newer than the SDK. So: the operations the stand-in
 * serves, with every shape they reference, from botocore; then whatever the SDK has that botocore lacks (a member, a
 * shape, an exception) added from the SDK with its type only; and each operation's errors as the SDK lists them.
 * test/local/service-model.test.ts checks the result against the SDK in node_modules.
 *
 * Needs Python's botocore (the AWS CLI has it: `python3 -c 'import botocore'`), or BOTOCORE_MODEL naming a
 * service-2.json(.gz).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { type SdkSchema, sdkErrors, sdkOperationSchema, sdkVersion } from './sdk-model.js';

/** What the stand-in serves (local/cognito/operations). */
const OPERATIONS = [
  'AdminConfirmSignUp',
  'AdminCreateUser',
  'AdminForgetDevice',
  'AdminGetDevice',
  'AdminGetUser',
  'AdminInitiateAuth',
  'AdminListDevices',
  'AdminRespondToAuthChallenge',
  'AdminSetUserPassword',
  'AdminUpdateDeviceStatus',
  'AdminUserGlobalSignOut',
  'AssociateSoftwareToken',
  'CompleteWebAuthnRegistration',
  'ConfirmDevice',
  'ConfirmSignUp',
  'CreateUserPool',
  'CreateUserPoolClient',
  'DeleteWebAuthnCredential',
  'DescribeUserPool',
  'DescribeUserPoolClient',
  'ForgetDevice',
  'GetDevice',
  'GetTokensFromRefreshToken',
  'GetUser',
  'GetUserPoolMfaConfig',
  'GlobalSignOut',
  'InitiateAuth',
  'ListDevices',
  'ListWebAuthnCredentials',
  'RespondToAuthChallenge',
  'RevokeToken',
  'SetUserMFAPreference',
  'SetUserPoolMfaConfig',
  'SignUp',
  'StartWebAuthnRegistration',
  'UpdateDeviceStatus',
  'UpdateUserPool',
  'UpdateUserPoolClient',
  'VerifySoftwareToken',
];

type Json = Record<string, unknown>;
interface Model {
  metadata: Json;
  operations: Record<string, Json & { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, Json & { type: string; members?: Record<string, { shape: string }> }>;
}

function botocoreModel(): { model: Model; version: string } {
  const fromEnv = process.env.BOTOCORE_MODEL;
  const [dir, version] = fromEnv
    ? [dirname(fromEnv), 'given']
    : execFileSync(
        'python3',
        ['-c', 'import botocore, os; print(os.path.dirname(botocore.__file__)); print(botocore.__version__)'],
        {
          encoding: 'utf8',
        },
      )
        .trim()
        .split('\n');
  const file = fromEnv ?? join(dir ?? '', 'data/cognito-idp/2016-04-18/service-2.json.gz');
  const raw = readFileSync(file);
  const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
  return { model: JSON.parse(text) as Model, version: version ?? 'unknown' };
}

const { model: botocore, version: botocoreVersion } = botocoreModel();
const out: Model = { metadata: botocore.metadata, operations: {}, shapes: {} };
const added: string[] = [];

/** Copies a botocore shape and every shape it references. */
function copyShape(name: string): void {
  if (out.shapes[name]) return;
  const shape = botocore.shapes[name];
  if (!shape) throw new Error(`botocore has no shape ${name}`);
  out.shapes[name] = shape;
  const refs = [
    ...Object.values(shape.members ?? {}).map((m) => m.shape),
    ...(['member', 'key', 'value'] as const).map((k) => (shape[k] as { shape?: string } | undefined)?.shape),
  ];
  for (const ref of refs) if (ref) copyShape(ref);
}

/** The shape of an SDK schema, added under its own name when botocore has none (type only, no constraints). */
function fromSdk(schema: SdkSchema): string {
  if (schema.kind === 'simple') return simpleShape(schema.type, schema.sensitive, schema.name);
  // The SDK writes lists and maps of plain values inline, without a name: one is made from what they hold.
  const name =
    schema.name ||
    (schema.kind === 'list'
      ? `${fromSdk(schema.member)}List`
      : schema.kind === 'map'
        ? `${fromSdk(schema.value)}Map`
        : 'SdkStructure');
  if (out.shapes[name]) return name;
  if (botocore.shapes[name]) {
    copyShape(name);
    mergeMembers(name, schema);
    return name;
  }
  added.push(name);
  if (schema.kind === 'structure') {
    out.shapes[name] = { type: 'structure', members: {} };
    mergeMembers(name, schema);
  } else if (schema.kind === 'list') {
    out.shapes[name] = { type: 'list', member: { shape: fromSdk(schema.member) } };
  } else {
    out.shapes[name] = { type: 'map', key: { shape: 'StringType' }, value: { shape: fromSdk(schema.value) } };
    copyShape('StringType');
  }
  return name;
}

/** A plain shape for an SDK member given by type code only. */
function simpleShape(type: string, sensitive: boolean, name?: string): string {
  if (name && botocore.shapes[name]) {
    copyShape(name);
    return name;
  }
  const shapeName = name ?? `Sdk${type[0]?.toUpperCase()}${type.slice(1)}${sensitive ? 'Sensitive' : ''}`;
  if (!out.shapes[shapeName]) {
    out.shapes[shapeName] = { type, ...(sensitive && { sensitive: true }) };
    added.push(shapeName);
  }
  return shapeName;
}

const merged = new Set<string>();

/** Members the SDK's structure has and the copied one lacks, at every depth. */
function mergeMembers(name: string, schema: SdkSchema): void {
  const shape = out.shapes[name];
  if (!shape || merged.has(name)) return;
  merged.add(name);
  if (schema.kind === 'list') {
    const member = (shape.member as { shape?: string } | undefined)?.shape;
    if (member) mergeMembers(member, schema.member);
    return;
  }
  if (schema.kind === 'map') {
    const value = (shape.value as { shape?: string } | undefined)?.shape;
    if (value) mergeMembers(value, schema.value);
    return;
  }
  if (schema.kind !== 'structure') return;
  shape.members ??= {};
  for (const [member, memberSchema] of Object.entries(schema.members)) {
    const existing = shape.members[member];
    if (existing) {
      mergeMembers(existing.shape, memberSchema);
      continue;
    }
    shape.members[member] = { shape: fromSdk(memberSchema) };
    added.push(`${name}.${member}`);
  }
}

for (const operation of OPERATIONS) {
  const sdk = await sdkOperationSchema(operation);
  const definition = botocore.operations[operation];
  if (!definition)
    throw new Error(`botocore has no operation ${operation}: update the AWS CLI or set BOTOCORE_MODEL`);
  const errors = sdkErrors(operation);
  out.operations[operation] = { ...definition, errors: errors.map((shape) => ({ shape })) };
  for (const [part, schema] of [
    ['input', sdk.input],
    ['output', sdk.output],
  ] as const) {
    const ref = definition[part]?.shape;
    if (ref) {
      copyShape(ref);
      mergeMembers(ref, schema);
    }
  }
  for (const error of errors) {
    if (botocore.shapes[error]) copyShape(error);
    else if (!out.shapes[error]) {
      const { status, fault } = await sdkErrorStatus(error);
      out.shapes[error] = {
        type: 'structure',
        members: { message: { shape: 'MessageType' } },
        error: { httpStatusCode: status },
        exception: true,
        ...(fault && { fault: true }),
      };
      copyShape('MessageType');
      added.push(error);
    }
  }
}

async function sdkErrorStatus(error: string): Promise<{ status: number; fault: boolean }> {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@aws-sdk/client-cognito-identity-provider/package.json'));
  const schemas = (await import(pathToFileURL(join(dir, 'dist-es/schemas/schemas_0.js')).href)) as Record<
    string,
    unknown
  >;
  const schema = schemas[`${error}$`] as [number, string, string, { e?: string; hE?: number } & Json];
  const traits = schema[3];
  const status = Object.values(traits).find((v) => typeof v === 'number') as number | undefined;
  return { status: status ?? 400, fault: Object.values(traits).includes('server') };
}

const sorted = <T>(record: Record<string, T>) =>
  Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k] as T]),
  );
writeFileSync(
  new URL('../local/cognito/service-model.json', import.meta.url),
  `${JSON.stringify(
    {
      source: `botocore ${botocoreVersion} cognito-idp 2016-04-18 (constraints, documentation) brought to the model of @aws-sdk/client-cognito-identity-provider ${sdkVersion()} (members, shapes and each operation's errors): the operations the stand-in serves and every shape they reference. Made by npm run service-model.`,
      metadata: out.metadata,
      operations: sorted(out.operations),
      shapes: sorted(out.shapes),
    },
    null,
    2,
  )}\n`,
);
console.log(
  `${Object.keys(out.operations).length} operations, ${Object.keys(out.shapes).length} shapes; from the SDK: ${added.length ? added.join(', ') : 'nothing'}`,
);
