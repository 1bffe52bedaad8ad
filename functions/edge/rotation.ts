import { randomBytes } from 'node:crypto';
import {
  type CloudFrontClient,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { ORIGIN_HEADER } from './origin-guard.js';

/**
 * Rotates the edge's origin secret, as Secrets Manager's rotation steps ask ("Lambda rotation functions"):
 * createSecret makes the new value (AWSPENDING); setSecret puts it in the CloudFront distribution's origin header;
 * testSecret checks the distribution carries it; finishSecret makes it AWSCURRENT (the old one becomes
 * AWSPREVIOUS). The authorizer accepts all three meanwhile, so no request through the edge is refused while
 * CloudFront's edges take the new header.
 */
export interface RotationDeps {
  readonly secrets: SecretsManagerClient;
  readonly cloudFront: CloudFrontClient;
  readonly distributionId: string;
}

export function makeOriginSecretRotation(deps: RotationDeps) {
  const pendingValue = async (secretId: string, token: string) =>
    (
      await deps.secrets.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
      )
    ).SecretString ?? '';

  const steps = {
    async createSecret(secretId: string, token: string) {
      await deps.secrets.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSCURRENT' }));
      try {
        await pendingValue(secretId, token);
        return;
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      await deps.secrets.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: randomBytes(32).toString('base64url'),
          VersionStages: ['AWSPENDING'],
        }),
      );
    },
    async setSecret(secretId: string, token: string) {
      const pending = await pendingValue(secretId, token);
      const { DistributionConfig: config, ETag } = await deps.cloudFront.send(
        new GetDistributionConfigCommand({ Id: deps.distributionId }),
      );
      if (!config?.Origins?.Items) throw new Error('The distribution has no origins');
      for (const origin of config.Origins.Items) {
        const items = (origin.CustomHeaders?.Items ?? []).filter(
          (h) => h.HeaderName?.toLowerCase() !== ORIGIN_HEADER,
        );
        items.push({ HeaderName: ORIGIN_HEADER, HeaderValue: pending });
        origin.CustomHeaders = { Quantity: items.length, Items: items };
      }
      await deps.cloudFront.send(
        new UpdateDistributionCommand({ Id: deps.distributionId, IfMatch: ETag, DistributionConfig: config }),
      );
    },
    async testSecret(secretId: string, token: string) {
      const pending = await pendingValue(secretId, token);
      const { DistributionConfig: config } = await deps.cloudFront.send(
        new GetDistributionConfigCommand({ Id: deps.distributionId }),
      );
      const sends = (config?.Origins?.Items ?? []).every((origin) =>
        origin.CustomHeaders?.Items?.some(
          (h) => h.HeaderName?.toLowerCase() === ORIGIN_HEADER && h.HeaderValue === pending,
        ),
      );
      if (!sends) throw new Error('The distribution does not send the pending origin secret');
    },
    async finishSecret(secretId: string, token: string) {
      const { VersionIdsToStages: stages = {} } = await deps.secrets.send(
        new DescribeSecretCommand({ SecretId: secretId }),
      );
      const current = Object.entries(stages).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
      if (current === token) return;
      await deps.secrets.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          RemoveFromVersionId: current,
        }),
      );
    },
  };

  return async (event: SecretsManagerRotationEvent): Promise<void> => {
    const { VersionIdsToStages: stages = {} } = await deps.secrets.send(
      new DescribeSecretCommand({ SecretId: event.SecretId }),
    );
    const labels = stages[event.ClientRequestToken];
    if (!labels) throw new Error('The rotation token is no version of the secret');
    if (labels.includes('AWSCURRENT')) return;
    if (!labels.includes('AWSPENDING')) throw new Error('The rotation token is not pending');
    await steps[event.Step](event.SecretId, event.ClientRequestToken);
  };
}
