import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { EVENT_LINE_PATTERN } from '../../functions/events/event-log.js';
import { functionOf, functionsOf, routeList } from '../../functions/routes.js';
import { loadStageConfig, StageConfigError } from '../../infra/config.js';
import { DeviceBffStack } from '../../infra/device-bff-stack.js';
import { managedRuleGroups } from '../../infra/edge.js';
import { RETRY_RECEIVES, RETRY_VISIBILITY_SECONDS } from '../../infra/event-delivery.js';
import { testApp } from '../support/cdk.js';

/**
 * Synthesizes a stage's stack as cdk.json configures new deployments (case-insensitive usernames), unless the context
 * says otherwise; bundling is skipped (it is covered once below) to keep these tests fast.
 */
function stackOf(context: Record<string, unknown> = {}): DeviceBffStack {
  const app = testApp({ context: { 'aws:cdk:bundling-stacks': [] } });
  const withDefaults: Record<string, unknown> = { usernameCaseSensitive: false, ...context };
  const config = loadStageConfig((key) => withDefaults[key]);
  return new DeviceBffStack(app, 'Test', { config, env: { region: 'eu-west-1' } });
}
const synth = (context: Record<string, unknown> = {}): Template => Template.fromStack(stackOf(context));
const prodStack = () => stackOf({ stage: 'prod' });

const resourcesOf = (template: Template, type: string) => Object.values(template.findResources(type));

describe('user pool', () => {
  it.each([
    ['always', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false }],
    ['opt-in', { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true }],
    [
      'always-mfa-every-sign-in',
      { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false },
    ],
    [
      'opt-in-mfa-every-sign-in',
      { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: true },
    ],
  ])('device tracking %s sets DeviceConfiguration', (mode, expected) => {
    synth({ deviceTracking: mode }).hasResourceProperties('AWS::Cognito::UserPool', {
      DeviceConfiguration: expected,
    });
  });

  it('device tracking off leaves DeviceConfiguration out', () => {
    synth({ deviceTracking: 'off' }).hasResourceProperties('AWS::Cognito::UserPool', {
      DeviceConfiguration: Match.absent(),
    });
  });

  it('offers optional TOTP MFA, and none when off', () => {
    synth({ mfa: 'optional' }).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    synth({ mfa: 'off' }).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'OFF',
      EnabledMfas: Match.absent(),
    });
  });

  it.each(['dev', 'prod'])(
    '%s: recovery by verified email only, email changes verified first, the Essentials plan',
    (stage) => {
      synth({ stage }).hasResourceProperties('AWS::Cognito::UserPool', {
        AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
        AutoVerifiedAttributes: ['email'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
        UserPoolTier: 'ESSENTIALS',
      });
    },
  );

  it('the feature plan is explicit; refresh-token rotation refuses the Lite plan at synth', () => {
    synth({ featurePlan: 'lite' }).hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'LITE' });
    synth({ featurePlan: 'plus' }).hasResourceProperties('AWS::Cognito::UserPool', { UserPoolTier: 'PLUS' });
    expect(() => synth({ featurePlan: 'lite', refreshTokenRotation: 'spa' })).toThrow(
      /refreshTokenRotation: needs featurePlan essentials or plus/,
    );
    expect(() => synth({ featurePlan: 'free' })).toThrow(/featurePlan/);
  });

  it('a stage that creates its pool must say whether usernames are case-sensitive, and synth names the choices', () => {
    expect(() => stackOf({ usernameCaseSensitive: undefined })).toThrow(
      /usernameCaseSensitive must be set.*usernameCaseSensitive=false for a new pool.*usernameCaseSensitive=existing for a pool deployed before/,
    );
    for (const value of [false, true]) {
      synth({ usernameCaseSensitive: String(value) }).hasResourceProperties('AWS::Cognito::UserPool', {
        UsernameConfiguration: { CaseSensitive: value },
      });
    }
    // An imported pool keeps what it has: nothing to say.
    expect(() =>
      stackOf({
        usernameCaseSensitive: undefined,
        existingUserPool: '{"userPoolId":"eu-west-1_Existing1","clientIds":["abc123"]}',
      }),
    ).not.toThrow();
  });

  it('a pool deployed before the setting existed keeps its template without it, so CloudFormation leaves it in place', () => {
    synth({ usernameCaseSensitive: 'existing' }).hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameConfiguration: Match.absent(),
      AliasAttributes: ['email'],
    });
    // cdk.json must not choose for a deployed stack: any value there would replace an upgraded stack's pool.
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'));
    expect(cdkJson.context.usernameCaseSensitive).toBeUndefined();
  });

  it('signInWith username: a username, or the verified email as an alias', () => {
    synth({ signInWith: 'username' }).hasResourceProperties('AWS::Cognito::UserPool', {
      AliasAttributes: ['email'],
      UsernameAttributes: Match.absent(),
    });
    // The default, and today's pool.
    synth().hasResourceProperties('AWS::Cognito::UserPool', { AliasAttributes: ['email'] });
  });

  it('signInWith email: the email is the username, as Amplify Gen 2 makes pools', () => {
    synth({ signInWith: 'email' }).hasResourceProperties('AWS::Cognito::UserPool', {
      UsernameAttributes: ['email'],
      AliasAttributes: Match.absent(),
      AutoVerifiedAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
    });
    expect(() => synth({ signInWith: 'phone' })).toThrow(/signInWith/);
  });

  it('passwordless: email codes and passkeys beside the password, choice-based sign-in on the clients', () => {
    const template = synth({
      passwordless: 'email_otp,passkey',
      passkeyRelyingPartyId: 'app.example.com',
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] } },
      WebAuthnRelyingPartyID: 'app.example.com',
      WebAuthnUserVerification: 'required',
      UserPoolTier: 'ESSENTIALS',
    });
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.Properties.ExplicitAuthFlows).toEqual(
        expect.arrayContaining(['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH']),
      );
    }
    synth({ passwordless: 'email_otp' }).hasResourceProperties('AWS::Cognito::UserPool', {
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
      WebAuthnRelyingPartyID: Match.absent(),
    });
    // The default: passwords only, no USER_AUTH.
    const plain = synth();
    plain.hasResourceProperties('AWS::Cognito::UserPool', { Policies: { SignInPolicy: Match.absent() } });
    for (const client of resourcesOf(plain, 'AWS::Cognito::UserPoolClient')) {
      expect(client.Properties.ExplicitAuthFlows).not.toContain('ALLOW_USER_AUTH');
    }
  });

  it.each([
    [{ passwordless: 'email_otp', featurePlan: 'lite' }, /passwordless: needs featurePlan essentials/],
    [
      { passwordless: 'email_otp', mfa: 'required' },
      /email_otp cannot be a first factor where MFA is required/,
    ],
    [{ passwordless: 'passkey' }, /passkeyRelyingPartyId: passwordless passkey needs the domain/],
    [
      { passwordless: 'passkey', passkeyRelyingPartyId: 'app.example.com', mfa: 'required' },
      /passkey with mfa required/,
    ],
    [{ passwordless: 'sms_otp' }, /passwordless/],
    [
      {
        passwordless: 'email_otp',
        existingUserPool: '{"userPoolId":"eu-west-1_Existing1","clientIds":["abc123"]}',
      },
      /passwordless: applies to a pool the stack creates/,
    ],
  ])('passwordless %j is refused at synth, saying why', (context, message) => {
    expect(() => synth(context)).toThrow(message);
  });

  it('app clients may write the name and email only, never the phone number or custom attributes', () => {
    for (const client of resourcesOf(synth({ stage: 'prod' }), 'AWS::Cognito::UserPoolClient')) {
      expect([...client.Properties.WriteAttributes].sort()).toEqual(
        ['email', 'family_name', 'given_name', 'locale', 'name', 'preferred_username', 'zoneinfo'].sort(),
      );
    }
  });

  it('is retained and deletion-protected in prod, destroyable in dev', () => {
    const prod = resourcesOf(synth({ stage: 'prod' }), 'AWS::Cognito::UserPool')[0];
    const dev = resourcesOf(synth({ stage: 'dev' }), 'AWS::Cognito::UserPool')[0];
    expect(prod?.Properties.DeletionProtection).toBe('ACTIVE');
    expect(dev?.Properties.DeletionProtection).toBe('INACTIVE');
    expect(prod?.DeletionPolicy).toBe('Retain');
    expect(dev?.DeletionPolicy).toBe('Delete');
  });

  it('has a mobile and an spa client: SRP and refresh only, no secret, revocable tokens', () => {
    const template = synth();
    for (const name of ['mobile-dev', 'spa-dev']) {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        ClientName: name,
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'ENABLED',
      });
    }
    expect(resourcesOf(template, 'AWS::Cognito::UserPoolClient')).toHaveLength(2);
  });

  it('rotates refresh tokens only on the clients the stage names, without REFRESH_TOKEN_AUTH there', () => {
    for (const client of resourcesOf(synth({ stage: 'prod' }), 'AWS::Cognito::UserPoolClient')) {
      expect(client.Properties.RefreshTokenRotation).toBeUndefined();
    }
    const template = synth({ refreshTokenRotation: 'spa', refreshTokenRotationGraceSeconds: '5' });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'spa-dev',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 5 },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      ClientName: 'mobile-dev',
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      RefreshTokenRotation: Match.absent(),
    });
    expect(() => synth({ refreshTokenRotationGraceSeconds: '61' })).toThrow(
      /refreshTokenRotationGraceSeconds/,
    );
    expect(() => synth({ refreshTokenRotation: 'desktop' })).toThrow(/refreshTokenRotation/);
  });

  it.each(['dev', 'prod'])(
    '%s: OAuth is off on every client unless callback URLs are configured',
    (stage) => {
      for (const client of resourcesOf(synth({ stage }), 'AWS::Cognito::UserPoolClient')) {
        expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
        expect(client.Properties.AllowedOAuthFlows).toBeUndefined();
        expect(client.Properties.CallbackURLs).toBeUndefined();
        expect(client.Properties.AllowedOAuthScopes).toBeUndefined();
      }
    },
  );

  it('with callback URLs, the authorization code flow only, to exactly those URLs', () => {
    const template = synth({ stage: 'prod', oauthCallbackUrls: 'https://app.example.org/callback' });
    for (const client of resourcesOf(template, 'AWS::Cognito::UserPoolClient')) {
      expect(client.Properties).toMatchObject({
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        CallbackURLs: ['https://app.example.org/callback'],
        AllowedOAuthScopes: ['openid', 'aws.cognito.signin.user.admin'],
      });
    }
    expect(() => synth({ oauthCallbackUrls: 'http://evil.example.org/cb' })).toThrow(/oauthCallbackUrls/);
  });

  it('can use an existing pool and clients instead of creating them', () => {
    const template = synth({
      existingUserPool: JSON.stringify({
        userPoolId: 'eu-west-1_Existing1',
        clientIds: ['abc123', 'def456'],
      }),
    });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ USER_POOL_ID: 'eu-west-1_Existing1', APP_CLIENT_IDS: 'abc123,def456' }),
      },
    });
  });
});

describe('HTTP API', () => {
  const template = synth({ spaOrigins: 'https://app.example.com,https://admin.example.com' });

  it('has exactly the routes of the route table, plus $default for problem+json 404/405', () => {
    const keys = resourcesOf(template, 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual([...routeList.map((r) => `${r.method} ${r.path}`), '$default'].sort());
  });

  it('answers CORS for the configured SPA origins only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
        AllowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
        AllowHeaders: ['authorization', 'content-type'],
        ExposeHeaders: ['allow', 'location', 'retry-after', 'www-authenticate', 'x-request-id'],
        MaxAge: 3600,
      },
    });
    synth({ spaOrigins: '' }).hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.absent(),
    });
  });

  it('one stage-wide throttle sized to capacity; of the routes only forget-others has its own', () => {
    const [stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage?.Properties.StageName).toBe('$default');
    expect(stage?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    // Its Cognito reads are bounded by it, and no more calls start than its reserved concurrency runs.
    expect(stage?.Properties.RouteSettings).toEqual({
      'POST /devices/forget-others': { ThrottlingRateLimit: 0.5, ThrottlingBurstLimit: 2 },
    });
  });
});

describe('abuse protections, per stage', () => {
  const dev = synth({ stage: 'dev' });
  const prod = synth({ stage: 'prod' });
  const functions = (t: Template) => resourcesOf(t, 'AWS::Lambda::Function');

  it('dev: a modest stage limit, no reserved concurrency, no edge', () => {
    expect(resourcesOf(dev, 'AWS::ApiGatewayV2::Stage')[0]?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    for (const fn of functions(dev)) expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    dev.resourceCountIs('AWS::WAFv2::WebACL', 0);
    dev.resourceCountIs('AWS::CloudFront::Distribution', 0);
  });

  it('prod: 1,000 req/s (burst 2,000) for all callers, 100 reserved executions for the API, 2 for forget-others, 30 for sign-ins', () => {
    expect(resourcesOf(prod, 'AWS::ApiGatewayV2::Stage')[0]?.Properties.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 1_000,
      ThrottlingBurstLimit: 2_000,
    });
    // The API's functions (grouped: api, forgetOthers), and with the edge its authorizer and the secret's rotation.
    const reserved = Object.fromEntries(
      functions(prod).map((fn) => [
        String(fn.Properties.Description).split(':')[0],
        fn.Properties.ReservedConcurrentExecutions,
      ]),
    );
    expect(reserved).toEqual({
      'Cognito device BFF api (prod)': 100,
      'Cognito device BFF forgetOthers (prod)': 2,
      'Edge authorizer': 5,
      'Rotates the edge origin secret': undefined,
      // Sign-ins always have their trigger, whatever the API takes.
      'Cognito device BFF post-authentication trigger (prod)': 30,
    });
  });

  it('refuses at synth reserved concurrency the account cannot hold, naming the quota to request', () => {
    // api 100, forget-others 2, the edge's authorizer 5, the sign-in trigger 30: 137, and 100 unreserved.
    expect(() => synth({ stage: 'prod', accountConcurrency: '236' })).toThrow(
      /reserve 137 concurrent executions .* at least 237; accountConcurrency is 236\. Request a Lambda "Concurrent executions" quota \(Service Quotas, code L-B99A9384\) of at least 237 in eu-west-1.* Stage context keys: accountConcurrency, reservedConcurrency/,
    );
    expect(() => synth({ stage: 'prod', accountConcurrency: '237' })).not.toThrow();
    // With the full device view, apiAdmin reserves as much as api; with rememberFor, the expiry one.
    expect(() => synth({ stage: 'prod', fullDeviceView: 'true', accountConcurrency: '336' })).toThrow(
      /reserve 237 concurrent executions/,
    );
    expect(() => synth({ stage: 'prod', rememberFor: '30d', accountConcurrency: '237' })).toThrow(
      /reserve 138 concurrent executions/,
    );
    expect(() =>
      synth({
        stage: 'prod',
        accountConcurrency: '10',
        reservedConcurrency: '0',
        forgetOthersConcurrency: '0',
        edgeAuthorizerConcurrency: '0',
        triggerConcurrency: '0',
      }),
    ).not.toThrow();
    const warnings = Annotations.fromStack(prodStack()).findWarning(
      '*',
      Match.stringLikeRegexp('new accounts can have 10'),
    );
    expect(warnings).toHaveLength(1);
  });

  it('prod: a WAF edge with per-IP and per-token rate rules and the AWS managed rule groups', () => {
    const [acl] = resourcesOf(prod, 'AWS::WAFv2::WebACL');
    expect(acl?.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl?.Properties.Rules as Array<{
      Name: string;
      Action?: unknown;
      Statement: { ManagedRuleGroupStatement?: { Name: string } };
    }>;
    expect(rules.find((r) => r.Name === 'per-ip')).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: 2_000, EvaluationWindowSec: 300 } },
    });
    const perToken = rules.find((r) => r.Name === 'per-token');
    expect(perToken).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { AggregateKeyType: 'CUSTOM_KEYS', Limit: 300 } },
    });
    const statement = perToken?.Statement as { RateBasedStatement?: { CustomKeys?: unknown[] } } | undefined;
    const [key] = statement?.RateBasedStatement?.CustomKeys ?? [];
    expect(key).toEqual({
      Header: {
        Name: 'authorization',
        TextTransformations: [
          { Priority: 0, Type: 'LOWERCASE' },
          { Priority: 1, Type: 'COMPRESS_WHITE_SPACE' },
        ],
      },
    });
    // What WAF does with those transformations (AWS WAF developer guide, "Text transformation options":
    // LOWERCASE converts A-Z to a-z; COMPRESS_WHITE_SPACE turns whitespace characters into spaces and runs of
    // spaces into one): every form of one token that the functions accept is one key.
    const wafKey = (header: string) => header.toLowerCase().replace(/[\t\n\f\r\v ]+/g, ' ');
    const forms = ['Bearer eyJ.a.b', 'bearer eyJ.a.b', 'BEARER eyJ.a.b', `Bearer${' '.repeat(10)}eyJ.a.b`];
    expect(new Set(forms.map(wafKey)).size).toBe(1);
    expect(rules.flatMap((r) => r.Statement.ManagedRuleGroupStatement?.Name ?? [])).toEqual([
      ...managedRuleGroups,
    ]);
  });

  it('prod: nothing reaches a function but through the edge: every route requires the origin secret CloudFront sends', () => {
    const [authorizer] = resourcesOf(prod, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['$request.header.x-origin-verify'],
      EnableSimpleResponses: true,
      AuthorizerPayloadFormatVersion: '2.0',
      AuthorizerResultTtlInSeconds: 300,
    });
    const authorizerId = Object.keys(prod.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
    const apiRoutes = resourcesOf(prod, 'AWS::ApiGatewayV2::Route');
    expect(apiRoutes).toHaveLength(routeList.length + 1);
    for (const route of apiRoutes) {
      expect(route.Properties, route.Properties.RouteKey).toMatchObject({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: { Ref: authorizerId },
      });
    }
    const [distribution] = resourcesOf(prod, 'AWS::CloudFront::Distribution');
    const [origin] = distribution?.Properties.DistributionConfig.Origins ?? [];
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: 'x-origin-verify',
        HeaderValue: {
          'Fn::Join': [
            '',
            [
              '{{resolve:secretsmanager:',
              { Ref: expect.stringMatching(/OriginSecret/) },
              ':SecretString:::}}',
            ],
          ],
        },
      },
    ]);
    // What reaches the API: the headers it reads and the viewer address CloudFront adds, never Host; and the
    // functions take the viewer's address from there (behind the edge, API Gateway's is CloudFront's).
    const [policy] = resourcesOf(prod, 'AWS::CloudFront::OriginRequestPolicy');
    expect(policy?.Properties.OriginRequestPolicyConfig.HeadersConfig).toEqual({
      HeaderBehavior: 'whitelist',
      Headers: expect.arrayContaining(['CloudFront-Viewer-Address', 'User-Agent', 'Origin', 'Content-Type']),
    });
    expect(JSON.stringify(policy)).not.toMatch(/"Host"/i);
    for (const fn of resourcesOf(prod, 'AWS::Lambda::Function').filter(
      (f) => f.Properties.Environment?.Variables?.ROUTES,
    )) {
      expect(fn.Properties.Environment.Variables.VIEWER_ADDRESS).toBe('cloudfront');
    }
    for (const fn of resourcesOf(synth(), 'AWS::Lambda::Function')) {
      expect(fn.Properties.Environment?.Variables?.VIEWER_ADDRESS).toBeUndefined();
    }
    // The secret rotates monthly; its rotation may change only that distribution, the authorizer only read it.
    expect(resourcesOf(prod, 'AWS::SecretsManager::RotationSchedule')[0]?.Properties).toMatchObject({
      SecretId: { Ref: expect.stringMatching(/OriginSecret/) },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    const statements = (id: RegExp) =>
      resourcesOf(prod, 'AWS::IAM::Policy')
        .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => id.test(r.Ref)))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .filter(
          (st: { Action: string | string[] }) => ![st.Action].flat().every((a) => a.startsWith('logs:')),
        );
    expect(statements(/OriginGuardAuthorizerRole/)).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: expect.stringMatching(/OriginSecret/) },
      },
    ]);
    expect(statements(/OriginGuardRotationRole/)).toEqual(
      expect.arrayContaining([
        {
          Effect: 'Allow',
          Action: ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
          Resource: expect.objectContaining({ 'Fn::Join': expect.anything() }),
        },
      ]),
    );
  });

  it('dev: without the edge there is no authorizer and no origin secret', () => {
    dev.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    for (const route of resourcesOf(dev, 'AWS::ApiGatewayV2::Route'))
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(resourcesOf(dev, 'AWS::SecretsManager::Secret')).toHaveLength(1);
  });

  it('prod: CloudFront in front, behind that WAF, caching nothing and forwarding Authorization', () => {
    const [distribution] = resourcesOf(prod, 'AWS::CloudFront::Distribution');
    const config = distribution?.Properties.DistributionConfig;
    expect(config.WebACLId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BffEdgeWebAcl/), 'Arn'] });
    expect(config.DefaultCacheBehavior).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
    });
    expect(config.Origins[0].CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    prod.hasResourceProperties('AWS::CloudFront::CachePolicy', {
      CachePolicyConfig: Match.objectLike({
        DefaultTTL: 0,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
          HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
        }),
      }),
    });
    // WAF for CloudFront only exists in us-east-1: a deploy elsewhere stops at once with the reason.
    expect(JSON.stringify(prod.toJSON().Rules)).toMatch(/us-east-1/);
    // The URL apps get is CloudFront's, not the API's own (which refuses what did not come through it).
    prod.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^BffEdge'), 'DomainName'] }]],
      },
    });
  });

  it('alarms on requests API Gateway answered itself, on the 401 rate, and (with the edge) on WAF blocks', () => {
    const names = (t: Template) =>
      resourcesOf(t, 'AWS::CloudWatch::Alarm').map((a) => String(a.Properties.AlarmDescription));
    for (const t of [dev, prod]) {
      expect(names(t)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/answered by API Gateway itself/),
          expect.stringMatching(/401/),
        ]),
      );
    }
    expect(names(prod)).toEqual(expect.arrayContaining([expect.stringMatching(/blocked by the edge WAF/)]));
    expect(names(dev).some((n) => /WAF/.test(n))).toBe(false);
    const gateway = resourcesOf(prod, 'AWS::CloudWatch::Alarm').find((a) =>
      /answered by API Gateway itself/.test(String(a.Properties.AlarmDescription)),
    );
    const metrics = (gateway?.Properties.Metrics ?? []) as Array<{ Expression?: string }>;
    const expressions = metrics.map((m) => m.Expression);
    expect(expressions).toContain('MAX([0, requests - invocations])');
  });
});

describe('functions', () => {
  const template = synth();
  const all = resourcesOf(template, 'AWS::Lambda::Function');
  /** The API's functions (each serves routes); the pool's trigger is the one other function of a dev stack. */
  const functions = all.filter((fn) => fn.Properties.Environment.Variables.ROUTES !== undefined);

  it('grouped by privilege and cost, as the route table says: Node 24 on arm64, its routes and config in the environment', () => {
    const served = Object.fromEntries(
      functions.map((fn) => [
        /^Cognito device BFF (\w+)/.exec(String(fn.Properties.Description))?.[1],
        fn.Properties.Environment.Variables.ROUTES,
      ]),
    );
    expect(served).toEqual(
      Object.fromEntries(
        [...functionsOf(false)].map(([fn, routes]) => [fn, routes.map((route) => route.id).join(',')]),
      ),
    );
    expect(served).toEqual({
      api: 'confirmDevice,updateDeviceStatus,listDevices,getDevice,forgetDevice,signOutEverywhere,listPasskeys,startPasskeyRegistration,completePasskeyRegistration,removePasskey,notFound',
      forgetOthers: 'forgetOtherDevices',
    });
    // Each route's integration is the function that serves it; $default is api's.
    const integrationOf: Record<string, string> = Object.fromEntries(
      resourcesOf(template, 'AWS::ApiGatewayV2::Route').map((route) => [
        route.Properties.RouteKey,
        template.toJSON().Resources[route.Properties.Target['Fn::Join'][1][1].Ref].Properties.IntegrationUri[
          'Fn::GetAtt'
        ][0],
      ]),
    );
    const functionIds = Object.fromEntries(
      Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, fn]) => [
        id,
        /^Cognito device BFF (\w+)/.exec(String(fn.Properties.Description))?.[1],
      ]),
    );
    for (const [key, fnId] of Object.entries(integrationOf)) {
      const route = routeList.find((r) => `${r.method} ${r.path}` === key);
      expect(functionIds[fnId], key).toBe(route ? functionOf(route, false) : 'api');
    }
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: 10,
        Environment: {
          Variables: {
            USER_POOL_ID: { Ref: expect.stringMatching(/^UserPool/) },
            APP_CLIENT_IDS: expect.anything(),
            COGNITO_CALL_BUDGET_MS: '5000',
            ROUTES: expect.any(String),
          },
        },
      });
      expect(Number(fn.Properties.Environment.Variables.COGNITO_CALL_BUDGET_MS)).toBeLessThan(
        fn.Properties.Timeout * 1000,
      );
    }
  });

  it('writes API access logs as JSON with the fields ops need, never query strings or token-bearing headers', () => {
    const [stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format).toEqual({
      requestId: '$context.requestId',
      time: '$context.requestTimeEpoch',
      routeKey: '$context.routeKey',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integrationLatency',
      integrationError: '$context.integrationErrorMessage',
      error: '$context.error.message',
      sourceIp: '$context.identity.sourceIp',
      userAgent: '$context.identity.userAgent',
    });
    expect(stage?.Properties.AccessLogSettings.Format).not.toMatch(
      /querystring|header|authorization|caller|\.user\b/i,
    );
  });

  it('logs every function and the API access log to groups with a retention', () => {
    for (const group of resourcesOf(template, 'AWS::Logs::LogGroup'))
      expect(group.Properties.RetentionInDays).toBe(7);
    // Each function's (the API's, the trigger's and the event delivery's) and the API's access log.
    expect(resourcesOf(template, 'AWS::Logs::LogGroup')).toHaveLength(functionsOf(false).size + 3);
    const [stage] = resourcesOf(template, 'AWS::ApiGatewayV2::Stage');
    expect(stage?.Properties.AccessLogSettings).toMatchObject({
      DestinationArn: { 'Fn::GetAtt': [expect.stringMatching(/^BffAccessLogs/), 'Arn'] },
      Format: expect.stringContaining('$context.requestId'),
    });
  });

  it('lets each function write only to its own log group, and the one serving the list read the cursor key; only the event delivery may put events', () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    // The API's functions, the trigger and the event delivery.
    expect(policies).toHaveLength(functionsOf(false).size + 2);
    const logs = {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] },
    };
    const cursorKey = {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: { Ref: expect.stringMatching(/^BffCursorKey/) },
    };
    const writers = resourcesOf(template, 'AWS::Lambda::Function').filter(
      (fn) => !String(fn.Properties.Description).includes('event delivery'),
    );
    // biome-ignore lint/suspicious/noExplicitAny: a template's resource
    const policyOf = (fn: any) =>
      policies.find((p) =>
        p.Properties.Roles.some((r: { Ref: string }) => r.Ref === fn.Properties.Role['Fn::GetAtt'][0]),
      )?.Properties.PolicyDocument.Statement;
    for (const fn of writers) {
      const statements = policyOf(fn);
      expect(statements).toEqual(statements.length === 1 ? [logs] : [logs, cursorKey]);
      // Device events are lines of the function's log, for the delivery.
      expect(fn.Properties.Environment.Variables).toMatchObject({ DEVICE_EVENTS: 'on' });
      expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME).toBeUndefined();
    }
    expect(JSON.stringify(policies.filter((p) => !JSON.stringify(p).includes('EventDelivery')))).not.toMatch(
      /events:PutEvents|sqs:/,
    );
    const lists = resourcesOf(template, 'AWS::Lambda::Function').filter((f) =>
      (f.Properties.Environment.Variables.ROUTES ?? '').split(',').includes('listDevices'),
    );
    expect(lists).toHaveLength(1);
    expect(lists[0]?.Properties.Environment.Variables.CURSOR_KEY_SECRET_ID).toEqual({
      Ref: expect.stringMatching(/^BffCursorKey/),
    });
    expect(lists[0]?.Properties.Layers).toHaveLength(1);
    for (const role of resourcesOf(template, 'AWS::IAM::Role'))
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });

  it("grants the API's functions no Cognito permissions: the user access token authorizes every call; the event delivery may only read a device's name", () => {
    const delivery = (p: { [key: string]: unknown }) =>
      String((p.Properties as { PolicyName: string }).PolicyName).includes('EventDelivery');
    const [deliveryPolicy] = resourcesOf(template, 'AWS::IAM::Policy').filter(delivery);
    expect(
      deliveryPolicy?.Properties.PolicyDocument.Statement.filter((st: { Action: string }) =>
        String(st.Action).startsWith('cognito-idp:'),
      ),
    ).toEqual([
      {
        Effect: 'Allow',
        Action: 'cognito-idp:AdminGetDevice',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^UserPool/), 'Arn'] },
      },
    ]);
    const statements = [
      ...resourcesOf(template, 'AWS::IAM::Policy')
        .filter((p) => !delivery(p))
        .flatMap((p) => p.Properties.PolicyDocument.Statement),
      ...resourcesOf(template, 'AWS::IAM::Role').flatMap((r) =>
        (r.Properties.Policies ?? []).flatMap(
          (p: { PolicyDocument: { Statement: unknown[] } }) => p.PolicyDocument.Statement,
        ),
      ),
    ] as Array<{ Action: string | string[] }>;
    const actions = statements.flatMap((s) => [s.Action].flat());
    expect(actions.filter((a) => a === '*' || a.startsWith('cognito-idp:'))).toEqual([]);
  });

  it('bundles every handler as minified ESM, without the removed code or a map, when synthesized for real', () => {
    const app = testApp();
    const stack = new DeviceBffStack(app, 'Bundled', {
      config: loadStageConfig((key) => (key === 'usernameCaseSensitive' ? false : undefined)),
      env: { region: 'eu-west-1' },
    });
    const assembly = app.synth();
    const bundled = resourcesOf(Template.fromStack(stack), 'AWS::Lambda::Function');
    // The API's functions, the trigger and the event delivery.
    expect(bundled).toHaveLength(functionsOf(false).size + 2);
    for (const fn of bundled) {
      const dir = join(assembly.directory, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import{createRequire as __cr}from'node:module';")).toBe(true);
      expect(code).toMatch(/export\s*\{[^}]*as handler\s*\}/);
      // Minified: whole modules per line (the few line breaks left are inside template literals).
      expect(code.length / code.split('\n').length).toBeGreaterThan(2_000);
      // No source map in the asset (`npm run symbolicate` rebuilds it), and the aliases applied by CDK's
      // esbuild: nothing of the default credential chain or of event streams, and Node's http not imported as
      // an ES module (its facade loads undici).
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(false);
      for (const marker of [
        'credential_process',
        'AWS_WEB_IDENTITY_TOKEN_FILE',
        'sso_start_url',
        ':message-type',
        'from"node:http"',
        'import("node:http")',
      ])
        expect(code.includes(marker), marker).toBe(false);
    }
  });
});

describe('full device view (fullDeviceView), per stage', () => {
  /** Each function's Cognito IAM statements and DEVICE_VISIBILITY, by function id (from its description). */
  function cognitoAccess(template: Template) {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    return Object.fromEntries(
      functions.map((fn) => {
        const id = /^Cognito device BFF ([\w-]+)/.exec(String(fn.Properties.Description))?.[1] ?? 'edge';
        const roleId = fn.Properties.Role['Fn::GetAtt'][0];
        const statements = policies
          .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .filter((st: { Action: string | string[] }) =>
            [st.Action].flat().some((a) => a === '*' || a.startsWith('cognito-idp:')),
          );
        return [id, { statements, visibility: fn.Properties.Environment.Variables?.DEVICE_VISIBILITY }];
      }),
    );
  }
  const poolArn = { 'Fn::GetAtt': [expect.stringMatching(/^UserPool/), 'Arn'] };

  it.each(['dev', 'prod'])('%s: off by default, so no function has any Cognito permission', (stage) => {
    const access = cognitoAccess(synth({ stage }));
    expect(Object.keys(access).sort()).toEqual(
      stage === 'prod'
        ? ['api', 'edge', 'event', 'forgetOthers', 'post-authentication']
        : ['api', 'event', 'forgetOthers', 'post-authentication'],
    );
    const { event: delivery, ...functions } = access;
    for (const { statements, visibility } of Object.values(functions)) {
      expect(statements).toEqual([]);
      expect(visibility).toBeUndefined();
    }
    // The event delivery names devices (AdminGetDevice), whatever the view.
    expect(delivery?.statements).toEqual([
      { Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: poolArn },
    ]);
  });

  it.each(['dev', 'prod'])(
    '%s with it on: the admin actions only where admin code runs, exactly those its routes use, on this pool only',
    (stage) => {
      const {
        edge,
        'post-authentication': trigger,
        event: delivery,
        ...access
      } = cognitoAccess(synth({ stage, fullDeviceView: 'true' }));
      expect(edge?.statements ?? []).toEqual([]);
      expect(trigger?.statements).toEqual([]);
      expect(delivery?.statements).toEqual([
        { Effect: 'Allow', Action: 'cognito-idp:AdminGetDevice', Resource: poolArn },
      ]);
      const single = (...actions: string[]) => ({
        statements: [
          { Effect: 'Allow', Action: actions.length === 1 ? actions[0] : actions, Resource: poolArn },
        ],
        visibility: 'all',
      });
      expect(access).toEqual({
        // confirm, remember, sign out everywhere and $default: no admin code, no admin action.
        api: { statements: [], visibility: undefined },
        // list, get, forget: each one's own admin operation.
        apiAdmin: single(
          'cognito-idp:AdminListDevices',
          'cognito-idp:AdminGetDevice',
          'cognito-idp:AdminForgetDevice',
        ),
        forgetOthers: single('cognito-idp:AdminListDevices', 'cognito-idp:AdminForgetDevice'),
      });
    },
  );

  it('with an imported pool: the ARN of that pool, in the region its id names', () => {
    const access = cognitoAccess(
      synth({
        fullDeviceView: true,
        existingUserPool: { userPoolId: 'us-west-2_AbC123', clientIds: ['abc123'] },
      }),
    );
    expect(access.apiAdmin?.statements).toEqual([
      {
        Effect: 'Allow',
        Action: [
          'cognito-idp:AdminListDevices',
          'cognito-idp:AdminGetDevice',
          'cognito-idp:AdminForgetDevice',
        ],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cognito-idp:us-west-2:',
              { Ref: 'AWS::AccountId' },
              ':userpool/us-west-2_AbC123',
            ],
          ],
        },
      },
    ]);
  });

  it('refuses a value that is not a boolean', () => {
    expect(() => synth({ fullDeviceView: 'yes' })).toThrow(/fullDeviceView/);
  });
});

describe('monitoring', () => {
  const template = synth();

  it('alarms on 5xx rate, Cognito throttling, function errors and throttles, p99 latency, gateway rejections and the 401 rate, to one topic', () => {
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(9);
    const [topicId] = Object.keys(template.findResources('AWS::SNS::Topic'));
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
    }
    const descriptions = alarms.map((a) => String(a.Properties.AlarmDescription));
    expect(descriptions).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^5xx/),
        expect.stringMatching(/throttled by Cognito/),
        expect.stringMatching(/crashed or timed out/),
        expect.stringMatching(/refused invocations/),
        expect.stringMatching(/^p99 latency/),
        expect.stringMatching(/misconfigured \(device tracking off/),
        expect.stringMatching(/^Device events EventBridge refused for 12 hours/),
      ]),
    );
    const throttled = alarms.find((a) =>
      String(a.Properties.AlarmDescription).includes('throttled by Cognito'),
    );
    // Every route together: the functions' `service`-only total (an alarm may sum 10 metrics at most).
    expect(throttled?.Properties.Metrics).toEqual([
      expect.objectContaining({
        MetricStat: expect.objectContaining({
          Metric: {
            Namespace: 'CognitoDeviceBff',
            MetricName: 'Throttled',
            Dimensions: [{ Name: 'service', Value: 'cognito-device-bff' }],
          },
        }),
      }),
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: 3000,
    });
  });

  it('delivers alarms: a rotating customer key CloudWatch may use, and a topic policy that lets CloudWatch publish', () => {
    const [keyId] = Object.keys(template.findResources('AWS::KMS::Key'));
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': Match.anyValue() } }),
          }),
        ]),
      },
    });
    template.hasOutput('AlarmTopicArn', {});
  });

  it('has a dashboard over the API, the functions and the Cognito calls', () => {
    const [dashboard] = resourcesOf(template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const title of [
      'Requests and errors',
      'Latency (ms)',
      'Cognito latency p99 by operation (ms)',
      'Throttled by Cognito (429)',
      'Function errors and throttles',
      'Device events kept for later, and dead-lettered',
      'Oldest event waiting in the retry queue (s)',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).toContain('EventsDeferred');
    expect(body).toContain('ApproximateAgeOfOldestMessage');
  });
});

describe('stage configuration', () => {
  it.each([
    [{ deviceTracking: 'sometimes' }, /deviceTracking/],
    [{ mfa: 'sms' }, /mfa/],
    [{ spaOrigins: 'not-a-url' }, /spaOrigins/],
    [{ apiRateLimit: '0' }, /apiRateLimit/],
    [{ apiRateLimit: '500', apiBurstLimit: '100' }, /apiBurstLimit/],
    [
      { existingUserPool: '{"userPoolId":"nope","clientIds":[]}' },
      /existingUserPool\.userPoolId.*existingUserPool\.clientIds/,
    ],
    [{ existingUserPool: '{not json' }, /not valid JSON/],
    [{ stage: 'qa' }, /Unknown stage "qa"/],
  ])('rejects %j with a message naming the key', (context, message) => {
    expect(() => loadStageConfig((key) => (context as Record<string, unknown>)[key])).toThrow(
      StageConfigError,
    );
    expect(() => loadStageConfig((key) => (context as Record<string, unknown>)[key])).toThrow(message);
  });
});

describe('device events and the new-device alert', () => {
  it('the pool the stack creates runs the trigger, which may only write its log and stops well inside 5 s', () => {
    const template = synth();
    const [pool] = resourcesOf(template, 'AWS::Cognito::UserPool');
    const triggerId = pool?.Properties.LambdaConfig.PostAuthentication['Fn::GetAtt'][0];
    const trigger = template.toJSON().Resources[triggerId];
    expect(trigger.Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Timeout: 3,
      Environment: { Variables: { DEVICE_EVENTS: 'on' } },
    });
    // Cognito may invoke it, for this pool only.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [triggerId, 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserPool'), 'Arn'] },
    });
    const roleId = trigger.Properties.Role['Fn::GetAtt'][0];
    const actions = resourcesOf(template, 'AWS::IAM::Policy')
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .flatMap((st: { Action: string | string[] }) => [st.Action].flat());
    expect(actions.sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it('an imported pool is not changed: the trigger exists for its owner to attach', () => {
    const template = synth({ existingUserPool: { userPoolId: 'eu-west-1_AbC123', clientIds: ['abc123'] } });
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    expect(
      resourcesOf(template, 'AWS::Lambda::Permission').filter(
        (p) => p.Properties.Principal === 'cognito-idp.amazonaws.com',
      ),
    ).toEqual([]);
    expect(
      resourcesOf(template, 'AWS::Lambda::Function').filter((fn) =>
        String(fn.Properties.Description).includes('post-authentication trigger'),
      ),
    ).toHaveLength(1);
  });
});

describe('device events off the request path', () => {
  const template = synth({ rememberFor: '30d' });
  const functions = template.findResources('AWS::Lambda::Function');
  const idOf = (description: string) =>
    Object.entries(functions).find(([, fn]) =>
      String(fn.Properties.Description).includes(description),
    )?.[0] ?? '';
  const delivery = idOf('event delivery');

  it("every function that writes events has its log group subscribed to the delivery, with the events' pattern", () => {
    const filters = resourcesOf(template, 'AWS::Logs::SubscriptionFilter');
    const writers = Object.entries(functions).filter(([id]) => id !== delivery);
    // The API's functions, the trigger, the trust expiry and check.
    expect(writers).toHaveLength(functionsOf(false).size + 3);
    expect(filters).toHaveLength(writers.length);
    for (const [, fn] of writers) {
      expect(filters).toContainEqual({
        Type: 'AWS::Logs::SubscriptionFilter',
        Properties: {
          LogGroupName: { Ref: fn.Properties.LoggingConfig.LogGroup.Ref },
          DestinationArn: { 'Fn::GetAtt': [delivery, 'Arn'] },
          FilterPattern: EVENT_LINE_PATTERN,
          FilterName: 'device-events',
        },
        DependsOn: expect.any(Array),
      });
    }
    // CloudWatch Logs may invoke the delivery, from those log groups only.
    const fromLogs = resourcesOf(template, 'AWS::Lambda::Permission').filter(
      (p) => p.Properties.Principal === 'logs.amazonaws.com',
    );
    expect(fromLogs).toHaveLength(writers.length);
    for (const permission of fromLogs)
      expect(permission.Properties).toMatchObject({
        FunctionName: { 'Fn::GetAtt': [delivery, 'Arn'] },
        SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/Logs/), 'Arn'] },
      });
  });

  it('the delivery puts on the default bus, keeps what it cannot in a retry queue it drains for 12 hours, then a dead-letter queue', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const [dlqId] = Object.keys(queues).filter((id) => /DeadLetters/.test(id));
    const [retryId] = Object.keys(queues).filter((id) => /Retries/.test(id));
    expect(queues[retryId ?? '']?.Properties).toEqual({
      VisibilityTimeout: RETRY_VISIBILITY_SECONDS,
      MessageRetentionPeriod: 4 * 24 * 3600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: RETRY_RECEIVES,
      },
    });
    // A visibility timeout six times the function's, for 12 hours of tries.
    expect(RETRY_VISIBILITY_SECONDS).toBe(6 * functions[delivery]?.Properties.Timeout);
    expect((RETRY_RECEIVES * RETRY_VISIBILITY_SECONDS) / 3600).toBe(12);
    expect(queues[dlqId ?? '']?.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
    // SSL only on both.
    for (const policy of resourcesOf(template, 'AWS::SQS::QueuePolicy'))
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toMatch(/"aws:SecureTransport":"false"/);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [retryId, 'Arn'] },
      FunctionName: { Ref: delivery },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: delivery },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [retryId, 'Arn'] } } },
    });
    expect(functions[delivery]?.Properties.Environment.Variables).toEqual({
      EVENT_BUS_NAME: 'default',
      USER_POOL_ID: { Ref: expect.stringMatching(/^UserPool/) },
      RETRY_QUEUE_URL: { Ref: retryId },
      LOG_LEVEL: 'DEBUG',
      POWERTOOLS_SERVICE_NAME: 'cognito-device-bff',
    });
    const statements = resourcesOf(template, 'AWS::IAM::Policy')
      .filter((p) =>
        p.Properties.Roles.some(
          (r: { Ref: string }) => r.Ref === functions[delivery]?.Properties.Role['Fn::GetAtt'][0],
        ),
      )
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .map((st: { Action: string | string[]; Resource: unknown }) => [
        [st.Action].flat().sort().join(' '),
        st.Resource,
      ]);
    expect(statements).toEqual([
      ['logs:CreateLogStream logs:PutLogEvents', expect.anything()],
      [
        'events:PutEvents',
        expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':event-bus/default'])] }),
      ],
      ['cognito-idp:AdminGetDevice', { 'Fn::GetAtt': [expect.stringMatching(/^UserPool/), 'Arn'] }],
      [expect.stringMatching(/^sqs:.*sqs:SendMessage/), { 'Fn::GetAtt': [retryId, 'Arn'] }],
      [expect.stringMatching(/sqs:DeleteMessage.*sqs:ReceiveMessage/), { 'Fn::GetAtt': [retryId, 'Arn'] }],
    ]);
  });

  it('alarms when an event reaches the dead-letter queue', () => {
    const [dlqId] = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      /DeadLetters/.test(id),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        Match.objectLike({
          MetricStat: {
            Metric: {
              Namespace: 'AWS/SQS',
              MetricName: 'ApproximateNumberOfMessagesVisible',
              Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
            },
            Period: 300,
            Stat: 'Maximum',
          },
        }),
      ],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmDescription: Match.stringLikeRegexp('^Device events EventBridge refused for 12 hours'),
    });
  });
});

describe('rememberFor (trust that expires)', () => {
  /** Each function's IAM statements but its logs', by the start of its description. */
  function permissions(template: Template) {
    const policies = resourcesOf(template, 'AWS::IAM::Policy');
    return Object.fromEntries(
      resourcesOf(template, 'AWS::Lambda::Function').map((fn) => [
        String(fn.Properties.Description).split(' (')[0],
        policies
          .filter((p) =>
            p.Properties.Roles.some((r: { Ref: string }) => r.Ref === fn.Properties.Role['Fn::GetAtt'][0]),
          )
          .flatMap((p) => p.Properties.PolicyDocument.Statement)
          .filter(
            (st: { Action: string | string[] }) => ![st.Action].flat().every((a) => a.startsWith('logs:')),
          )
          .map((st: { Action: string | string[]; Resource: unknown }) => [
            [st.Action].flat().sort().join(' '),
            st.Resource,
          ]),
      ]),
    );
  }
  const onPool = { 'Fn::GetAtt': [expect.stringMatching(/^UserPool/), 'Arn'] };
  const schedules = (kind: string) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':scheduler:eu-west-1:',
        { Ref: 'AWS::AccountId' },
        `:schedule/cognito-device-bff-dev/${kind}-*`,
      ],
    ],
  });

  it('off by default: no schedule group, no trust function, no scheduler permission anywhere', () => {
    const template = synth();
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 0);
    const actions = JSON.stringify(resourcesOf(template, 'AWS::IAM::Policy'));
    expect(actions).not.toMatch(/scheduler:|iam:PassRole|AdminUpdateDeviceStatus/);
    for (const fn of resourcesOf(template, 'AWS::Lambda::Function'))
      expect(fn.Properties.Environment.Variables.REMEMBER_FOR_SECONDS).toBeUndefined();
  });

  it('on: a schedule group, the two targets with exactly their Cognito actions, and each function only what it schedules', () => {
    const template = synth({ rememberFor: '30d' });
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'cognito-device-bff-dev' });
    const granted = permissions(template);
    const passRole = [['iam:PassRole', { 'Fn::GetAtt': [expect.stringMatching(/SchedulerRole/), 'Arn'] }]];
    // The target that ends a device's trust: reads the user and device and forgets it on this pool; reads and
    // deletes records; never makes a schedule (no role to pass).
    expect(granted['Cognito device BFF trust expiry']).toEqual([
      ['cognito-idp:AdminForgetDevice cognito-idp:AdminGetDevice cognito-idp:AdminGetUser', onPool],
      ['scheduler:DeleteSchedule scheduler:GetSchedule', schedules('trust')],
    ]);
    expect(granted['Cognito device BFF trust check']).toHaveLength(4);
    expect(granted['Cognito device BFF trust check']).toEqual(
      expect.arrayContaining([
        [
          'cognito-idp:AdminForgetDevice cognito-idp:AdminGetUser cognito-idp:AdminListDevices cognito-idp:AdminUpdateDeviceStatus',
          onPool,
        ],
        ['scheduler:CreateSchedule scheduler:DeleteSchedule scheduler:GetSchedule', schedules('trust')],
        ['scheduler:ListSchedules', '*'],
        ...passRole,
      ]),
    );
    // The API writes a record once and reads it by name: never updates or lists one, and nothing of Cognito.
    const api = granted['Cognito device BFF api'] ?? [];
    expect(api).toEqual(
      expect.arrayContaining([
        ['scheduler:CreateSchedule scheduler:DeleteSchedule scheduler:GetSchedule', schedules('trust')],
        ...passRole,
      ]),
    );
    expect(JSON.stringify(api)).not.toMatch(/cognito-idp|ListSchedules|UpdateSchedule/);
    expect(granted['Cognito device BFF post-authentication trigger']).toEqual(
      expect.arrayContaining([['scheduler:CreateSchedule', schedules('check')], ...passRole]),
    );
    // Events are log lines: only the delivery puts them on the bus.
    for (const [fn, statements] of Object.entries(granted))
      expect(JSON.stringify(statements).includes('events:PutEvents'), fn).toBe(
        fn === 'Cognito device BFF event delivery',
      );
    // One expiry at a time, whatever ends together.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('trust expiry'),
      ReservedConcurrentExecutions: 1,
    });
    // The scheduler may invoke the two targets and nothing else; PassRole only hands it that role.
    const role = Object.values(template.findResources('AWS::IAM::Role')).find((r) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(JSON.stringify(role)).toMatch(/aws:SourceAccount/);
    const schedulerPolicy = resourcesOf(template, 'AWS::IAM::Policy').find((p) =>
      JSON.stringify(p.Properties.Roles).includes('SchedulerRole'),
    );
    expect(schedulerPolicy?.Properties.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/TrustExpiry/), 'Arn'] }, expect.anything()],
      },
    ]);
    // The check by its fixed name (the pool's trigger names it without depending on it).
    expect(JSON.stringify(schedulerPolicy?.Properties.PolicyDocument.Statement[0].Resource[1])).toContain(
      ':function:cdbff-dev-trust-check',
    );
    for (const fn of resourcesOf(template, 'AWS::Lambda::Function').filter(
      (f) => f.Properties.Environment.Variables.ROUTES !== undefined,
    )) {
      expect(fn.Properties.Environment.Variables.REMEMBER_FOR_SECONDS).toBe(String(30 * 86_400));
    }
  });

  it('refuses at synth less than a minute, or a value that is not a duration', () => {
    expect(() => synth({ rememberFor: '30s' })).toThrow(/rememberFor must be at least a minute/);
    expect(() => synth({ rememberFor: 'a month' })).toThrow(/rememberFor/);
  });
});
