import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { StageReader } from './secret-values.js';

/** Reads stages with the AWS SDK (GetSecretValue with VersionStage). */
export function sdkStageReader(client: SecretsManagerClient, secretId: string): StageReader {
  return (stage) =>
    client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage })).then(
      (output) => output.SecretString,
      (error: unknown) => {
        // AWSPENDING and AWSPREVIOUS exist only around rotations.
        if (error instanceof ResourceNotFoundException && stage !== 'AWSCURRENT') return undefined;
        throw error;
      },
    );
}
