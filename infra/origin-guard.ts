import { Duration, Validations } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { IDistribution } from 'aws-cdk-lib/aws-cloudfront';
import { Grant } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_HEADER } from '../functions/edge/origin-header.js';
import { DeviceFunction } from './device-function.js';
import { edgeVariables, loggingVariables, rotationVariables } from './function-environment.js';

export interface OriginGuardProps {
  readonly stageName: string;
  readonly logLevel: string;
  readonly logRetention: RetentionDays;
  readonly reservedConcurrency: number;
  /** How often the secret is replaced. */
  readonly rotateEvery?: Duration;
}

/**
 * With the edge on, nothing may reach a function except through CloudFront: CloudFront sends a secret header to
 * the API, and the HTTP API's authorizer lets through only requests that carry it (HTTP APIs have no resource
 * policy). The secret lives in Secrets Manager and is rotated (`attachRotation`): the rotation puts the new value
 * in the distribution, and the authorizer accepts the pending and previous values meanwhile.
 */
export class OriginGuard extends Construct {
  readonly secret: Secret;
  readonly authorizer: HttpLambdaAuthorizer;
  readonly authorizerFunction: DeviceFunction;
  private readonly props: OriginGuardProps;

  constructor(scope: Construct, id: string, props: OriginGuardProps) {
    super(scope, id);
    this.props = props;
    this.secret = new Secret(this, 'OriginSecret', {
      description: `Cognito device BFF: the header CloudFront sends the API (${props.stageName})`,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    this.authorizerFunction = new DeviceFunction(this, 'Authorizer', {
      handler: 'edge-authorizer',
      description: 'Edge authorizer: lets through requests that carry the origin secret CloudFront adds',
      environment: { ...loggingVariables(props.logLevel), ...edgeVariables(this.secret.secretArn) },
      logRetention: props.logRetention,
      reservedConcurrency: props.reservedConcurrency,
    });
    // The three version stages the authorizer reads; nothing else.
    Grant.addToPrincipal({
      grantee: this.authorizerFunction.fn,
      actions: ['secretsmanager:GetSecretValue'],
      resourceArns: [this.secret.secretArn],
    });
    // Without the header API Gateway answers 401 itself, invoking nothing; each value's answer is cached.
    this.authorizer = new HttpLambdaAuthorizer('OriginGuard', this.authorizerFunction.fn, {
      identitySource: [`$request.header.${ORIGIN_HEADER}`],
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: Duration.minutes(5),
    });
  }

  /** Rotates the secret on a schedule, putting each new value in `distribution`'s origin header. */
  attachRotation(distribution: IDistribution): void {
    const rotation = new DeviceFunction(this, 'Rotation', {
      handler: 'rotate-origin-secret',
      description: 'Rotates the edge origin secret: the new value goes to the CloudFront origin header',
      environment: rotationVariables(distribution.distributionId),
      logRetention: this.props.logRetention,
    });
    distribution.grant(rotation.fn, 'cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution');
    // CDK also grants the function its secret's rotation actions, and Secrets Manager the right to invoke it.
    this.secret.addRotationSchedule('Rotation', {
      rotationLambda: rotation.fn,
      automaticallyAfter: this.props.rotateEvery ?? Duration.days(30),
    });
    Validations.of(rotation).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "aws-cdk-lib's rotation schedule grants secretsmanager:GetRandomPassword on '*': that action reads no resource. Every other action is on this secret or this distribution.",
    });
  }
}
