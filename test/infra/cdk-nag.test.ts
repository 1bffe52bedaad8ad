import { type App, Stack, Validations } from 'aws-cdk-lib';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadStageConfig } from '../../infra/config.js';
import { DeviceBffStack } from '../../infra/device-bff-stack.js';
import { testApp } from '../support/cdk.js';

function nagged(): App {
  const app = testApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

/** Every acknowledged rule with its written reason, as CDK records them in construct metadata. */
function acknowledgements(app: App): Array<{ id: string; reason: string }> {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .flatMap((m) =>
      Object.entries(m.data as Record<string, string>).map(([key, reason]) => ({
        id: key.replace(/^Annotation::/, ''),
        reason,
      })),
    );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    [{ stage: 'dev' }],
    [{ stage: 'prod' }],
    [{ stage: 'prod', mfa: 'required', deviceTracking: 'always' }],
    [{ stage: 'dev', existingUserPool: '{"userPoolId":"eu-west-1_Existing1","clientIds":["abc123"]}' }],
    [{ stage: 'prod', fullDeviceView: 'true' }],
    [{ stage: 'prod', rememberFor: '30d' }],
    [{ stage: 'prod', signInWith: 'email' }],
    [{ stage: 'prod', passwordless: 'email_otp,passkey', passkeyRelyingPartyId: 'app.example.com' }],
  ])('passes for %j, every acknowledgement with a reason', (context) => {
    const app = nagged();
    new DeviceBffStack(app, 'Nagged', {
      config: loadStageConfig(
        (key) => (({ usernameCaseSensitive: false, ...context }) as Record<string, unknown>)[key],
      ),
    });
    expect(() => app.synth()).not.toThrow();
    const acknowledged = acknowledgements(app);
    expect(acknowledged.map((a) => a.id)).toContain('AwsSolutions-APIG4');
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
    if ((context as { mfa?: string }).mfa === 'required')
      expect(acknowledged.map((a) => a.id)).not.toContain('AwsSolutions-COG2');
  });

  it('really runs: a user pool without a password policy fails synthesis', () => {
    const app = nagged();
    new UserPool(new Stack(app, 'Bare'), 'Pool');
    expect(() => app.synth()).toThrow(/COG1|password policy/);
  });
});
