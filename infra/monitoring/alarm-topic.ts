import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

/**
 * The alarm topic: a customer-managed key, SSL only, CloudWatch of this account allowed to publish. Made in `scope`
 * itself, so that the ids of a deployed stack's resources stay.
 */
export function alarmTopic(scope: Construct, stageName: string): Topic {
  // A customer-managed key: CloudWatch cannot use the AWS-managed SNS key, so alarms on a topic encrypted
  // with it are never delivered. CloudWatch gets exactly the key use publishing needs.
  const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const key = new Key(scope, 'AlarmTopicKey', {
    description: `Encrypts the Cognito device BFF alarm topic (${stageName})`,
    enableKeyRotation: true,
  });
  key.grant(cloudwatch, 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new Topic(scope, 'AlarmTopic', {
    displayName: `Cognito device BFF alarms (${stageName})`,
    enforceSSL: true,
    masterKey: key,
  });
  // enforceSSL writes a topic policy that replaces the default one: CloudWatch alarms of this account
  // must be allowed to publish explicitly.
  const { account, region } = Stack.of(scope);
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarms',
      principals: [cloudwatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: {
          'aws:SourceArn': `arn:${Stack.of(scope).partition}:cloudwatch:${region}:${account}:alarm:*`,
        },
      },
    }),
  );
  return topic;
}
