// The stand-in's copy of the service model follows the AWS SDK this project uses (scripts/service-model.ts makes it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serviceModel } from '../../local/cognito/model.js';
import { sdkErrors, sdkOperationSchema, sdkVersion } from '../../scripts/sdk-model.js';

const source = (
  JSON.parse(readFileSync(new URL('../../local/cognito/service-model.json', import.meta.url), 'utf8')) as {
    source: string;
  }
).source;

const membersOf = (shape: string | undefined) =>
  Object.keys(serviceModel.shapes[shape ?? '']?.members ?? {}).sort();

describe('the stand-in’s service model', () => {
  it('was made from the SDK version in package.json (else: npm run service-model)', () => {
    expect(source).toContain(`@aws-sdk/client-cognito-identity-provider ${sdkVersion()}`);
  });

  it.each(Object.keys(serviceModel.operations))(
    '%s: the members and errors the SDK knows',
    async (operation) => {
      const sdk = await sdkOperationSchema(operation);
      const definition = serviceModel.operations[operation];
      expect(membersOf(definition?.input?.shape)).toEqual(Object.keys(sdk.input.members).sort());
      expect(membersOf(definition?.output?.shape)).toEqual(Object.keys(sdk.output.members).sort());
      expect((definition?.errors ?? []).map((e) => e.shape).sort()).toEqual(sdkErrors(operation));
      for (const error of sdkErrors(operation)) expect(serviceModel.shapes[error]?.exception).toBe(true);
    },
  );
});
