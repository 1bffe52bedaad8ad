import { Aws, CfnRule, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  OriginSslPolicy,
  PriceClass,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ORIGIN_HEADER } from '../functions/edge/origin-header.js';

export interface EdgeProps {
  readonly api: HttpApi;
  readonly stageName: string;
  /** WAF rate rules, requests per 5 minutes: from one IP address, and with one Authorization header. */
  readonly rateLimitPerIp: number;
  readonly rateLimitPerToken: number;
  /** The secret CloudFront sends the API as `x-origin-verify`, which the API's authorizer requires. */
  readonly originSecret: ISecret;
}

/** AWS managed rule groups the edge applies, in order: common exploits, known bad inputs, IP reputation. */
/**
 * The headers CloudFront passes on to the API: what the functions and API Gateway's CORS read, and
 * `CloudFront-Viewer-Address`, the viewer's address and port, which CloudFront adds itself (device events' "from
 * where": behind the edge, API Gateway only sees CloudFront). `Authorization` reaches the API through the cache policy;
 * never `Host` (API Gateway routes by its own). Without `User-Agent` here CloudFront would send its own.
 */
export const FORWARDED_HEADERS = [
  'Content-Type',
  'User-Agent',
  'Origin',
  'Access-Control-Request-Method',
  'Access-Control-Request-Headers',
  'CloudFront-Viewer-Address',
] as const;

export const managedRuleGroups = [
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesAmazonIpReputationList',
] as const;

/**
 * CloudFront + AWS WAF in front of the HTTP API (which cannot attach WAF itself): per-IP and per-token rate
 * rules and AWS managed rule groups drop floods at the edge, so they never reach the stage's shared throttle.
 * Nothing is cached (every answer is `Cache-Control: no-store`); the Authorization header is forwarded.
 */
export class Edge extends Construct {
  readonly distribution: Distribution;
  readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: EdgeProps) {
    super(scope, id);
    // WAF web ACLs for CloudFront can only be created in us-east-1: fail the deploy early and say so.
    new CfnRule(this, 'EdgeRegion', {
      assertions: [
        {
          assert: Fn.conditionEquals(Aws.REGION, 'us-east-1'),
          assertDescription:
            'The edge (CloudFront + WAF) needs the stack in us-east-1, where WAF for CloudFront lives. Deploy there, or with -c edge=false.',
        },
      ],
    });
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${props.stageName}-${name}`,
    });
    const rateRule = (
      name: string,
      priority: number,
      key: Omit<CfnWebACL.RateBasedStatementProperty, 'limit' | 'evaluationWindowSec'>,
      limit: number,
    ): CfnWebACL.RuleProperty => ({
      name,
      priority,
      action: { block: {} },
      statement: { rateBasedStatement: { limit, evaluationWindowSec: 300, ...key } },
      visibilityConfig: metric(name),
    });
    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `cognito-device-bff-${props.stageName}`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      rules: [
        rateRule('per-ip', 0, { aggregateKeyType: 'IP' }, props.rateLimitPerIp),
        rateRule(
          'per-token',
          1,
          {
            aggregateKeyType: 'CUSTOM_KEYS',
            // One key per token, however the header is written: HTTP makes the scheme case-insensitive and
            // RFC 6750 allows more than one space, so `bearer x`, `BEARER x` and `Bearer    x` count as one.
            // The functions refuse any other form of a token (padding, stray characters) before verifying it.
            customKeys: [
              {
                header: {
                  name: 'authorization',
                  textTransformations: [
                    { priority: 0, type: 'LOWERCASE' },
                    { priority: 1, type: 'COMPRESS_WHITE_SPACE' },
                  ],
                },
              },
            ],
          },
          props.rateLimitPerToken,
        ),
        ...managedRuleGroups.map((name, i) => ({
          name,
          priority: 10 + i,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
          visibilityConfig: metric(name),
        })),
      ],
    });

    // No caching, but GET requests only reach the origin with Authorization if it is part of the cache key.
    const cachePolicy = new CachePolicy(this, 'ForwardAuthorization', {
      comment: 'Nothing is cached (no-store answers); Authorization and the query reach the API',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: CacheHeaderBehavior.allowList('Authorization'),
      queryStringBehavior: CacheQueryStringBehavior.all(),
    });
    const apiDomain = `${props.api.apiId}.execute-api.${Stack.of(this).region}.${Aws.URL_SUFFIX}`;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `Cognito device BFF edge (${props.stageName})`,
      webAclId: this.webAcl.attrArn,
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: new HttpOrigin(apiDomain, {
          protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
          originSslProtocols: [OriginSslPolicy.TLS_V1_2],
          // Resolved by CloudFormation from Secrets Manager at deploy; rotations update the distribution itself.
          customHeaders: { [ORIGIN_HEADER]: props.originSecret.secretValue.unsafeUnwrap() },
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy,
        originRequestPolicy: new OriginRequestPolicy(this, 'ForwardToApi', {
          comment: 'What the API reads of a request, and the viewer address CloudFront adds (never Host)',
          headerBehavior: OriginRequestHeaderBehavior.allowList(...FORWARDED_HEADERS),
          queryStringBehavior: OriginRequestQueryStringBehavior.all(),
          cookieBehavior: OriginRequestCookieBehavior.none(),
        }),
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Users sign in from anywhere; the WAF rate rules and IP reputation list limit abuse instead of geography.',
      },
      {
        id: 'AwsSolutions-CFR3',
        reason:
          "Every request that passes the edge is in the API's JSON access log (request id, source IP, status); WAF keeps sampled requests of every rule. A CloudFront log bucket is left to ops (cost).",
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'The default CloudFront certificate cannot pin TLS 1.2 for viewers; the origin leg is TLS 1.2 only. A custom domain with its own certificate (TLSv1.2_2021) is the upgrade path.',
      },
    );
  }
}
