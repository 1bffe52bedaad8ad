// The README's Amplify Gen 2 snippet (docs/snippets/amplify-gen2.ts) on a pool made as Gen 2's auth construct makes it
// for `defineAuth({ loginWith: { email: true }, multifactor: { mode: 'OPTIONAL', totp: true } })`.
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AccountRecovery, type CfnUserPool, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { describe, expect, it } from 'vitest';
import { addDeviceBff } from '../../docs/snippets/amplify-gen2.js';
import { DeviceBff } from '../../infra/device-bff.js';
import { testApp } from '../support/cdk.js';

/**
 * A backend as `defineBackend({ auth })` gives it, its pool and client configured as aws-amplify/amplify-backend's
 * auth construct does (packages/auth-construct/src/construct.ts and defaults.ts): the email is the username
 * (`signInAliases: { email: true }`, which CDK makes `UsernameAttributes: [email]`), case-insensitive, self sign-up,
 * the email verified, recovery by email, and an app client with SRP and custom auth and user-existence errors hidden.
 * Gen 2 puts each part in its own (nested) stack; here each is a stack of one app, so references cross stacks as they
 * do there.
 */
function gen2Backend() {
  const app = testApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const auth = new Stack(app, 'auth', { env: { region: 'eu-west-1', account: '123456789012' } });
  const userPool = new UserPool(auth, 'amplifyAuthUserPool', {
    signInCaseSensitive: false,
    signInAliases: { phone: false, email: true },
    selfSignUpEnabled: true,
    autoVerify: { email: true },
    standardAttributes: { email: { required: true, mutable: true } },
    accountRecovery: AccountRecovery.EMAIL_ONLY,
    mfa: Mfa.OPTIONAL,
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 8,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
    },
  });
  const userPoolClient = new UserPoolClient(auth, 'amplifyAuthUserPoolAppClient', {
    userPool,
    authFlows: { userSrp: true, custom: true },
    preventUserExistenceErrors: true,
  });
  const backend = {
    createStack: (name: string) =>
      new Stack(app, name, { env: { region: 'eu-west-1', account: '123456789012' } }),
    auth: {
      resources: {
        userPool,
        userPoolClient,
        cfnResources: { cfnUserPool: userPool.node.defaultChild as CfnUserPool },
      },
    },
  };
  return { app, auth, backend };
}

describe('DeviceBff in an Amplify Gen 2 backend', () => {
  it('turns device tracking on in the Gen 2 pool, whose users sign in with their email', () => {
    const { auth, backend } = gen2Backend();
    addDeviceBff(backend);
    const pool = Template.fromStack(auth);
    pool.hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AliasAttributes: Match.absent(),
      UsernameConfiguration: { CaseSensitive: false },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    });
    pool.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH']),
    });
  });

  it('serves the device routes in a stack of its own, for that pool and its client; no API function has a Cognito permission', () => {
    const { app, backend } = gen2Backend();
    const bff = addDeviceBff(backend);
    const stack = Stack.of(bff);
    expect(stack.stackName).toBe('device-bff');
    app.synth();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /devices' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'PUT /devices/{deviceKey}/status',
    });
    // The pool and client come from the auth stack, by reference.
    const environments = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) => fn.Properties.Environment?.Variables ?? {},
    );
    const api = environments.find((variables) => variables.APP_CLIENT_IDS !== undefined);
    expect(JSON.stringify(api?.USER_POOL_ID)).toMatch(/ImportValue/);
    expect(JSON.stringify(api?.APP_CLIENT_IDS)).toMatch(/ImportValue/);
    // The event delivery alone may read a device's name (the events of a status change name it after the response).
    const actions = Object.entries(template.findResources('AWS::IAM::Policy')).flatMap(([id, p]) =>
      p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[] }) =>
        [s.Action].flat().map((action) => `${id.includes('EventDelivery') ? 'delivery' : 'other'} ${action}`),
      ),
    );
    expect(actions.filter((a) => a.includes(' cognito-idp:'))).toEqual([
      'delivery cognito-idp:AdminGetDevice',
    ]);
  });

  it('with device events off, the stack holds no Cognito permission at all', () => {
    const { app, backend } = gen2Backend();
    const { userPool, userPoolClient } = backend.auth.resources;
    const bff = new DeviceBff(backend.createStack('device-bff'), 'DeviceBff', {
      userPool,
      userPoolClients: [userPoolClient],
      events: { enabled: false },
    });
    app.synth();
    const template = Template.fromStack(Stack.of(bff));
    const actions = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((s: { Action: string | string[] }) => [s.Action].flat());
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('cognito-idp:') || a.startsWith('events:'))).toEqual([]);
    expect(bff.eventDelivery).toBeUndefined();
  });
});
