import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOriginGuard, ORIGIN_HEADER } from '../../../functions/edge/origin-guard.js';
import { makeOriginSecretRotation } from '../../../functions/edge/rotation.js';
import { sdkStageReader } from '../../../functions/secrets/sdk-stage-reader.js';
import { secretValues } from '../../../functions/secrets/secret-values.js';
import { SecretsStandIn } from '../../../local/secrets/server.js';
import { RecordingLog } from '../../support/recording-log.js';

let secrets: SecretsStandIn;
let client: SecretsManagerClient;
beforeAll(async () => {
  secrets = await SecretsStandIn.start({ region: 'us-east-1' });
  client = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: secrets.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});
afterAll(async () => {
  client?.destroy();
  await secrets?.close();
});

const request = (value?: string) =>
  ({
    headers: value === undefined ? {} : { [ORIGIN_HEADER]: value },
    requestContext: { requestId: 'r-1', http: { sourceIp: '198.51.100.9' } },
  }) as unknown as APIGatewayRequestAuthorizerEventV2;

describe('the origin guard (the API authorizer with the edge on)', () => {
  it('lets through the current secret only, never logging what was presented', async () => {
    const secretId = secrets.createRandom('origin-1');
    const log = new RecordingLog();
    const guard = makeOriginGuard(secretValues(sdkStageReader(client, secretId)), log);
    expect(await guard(request(secrets.value(secretId)))).toEqual({ isAuthorized: true });
    for (const wrong of [undefined, '', 'guessed', `${secrets.value(secretId)}x`]) {
      expect(await guard(request(wrong))).toEqual({ isAuthorized: false });
    }
    expect(JSON.stringify(log.entries)).not.toContain('guessed');
    expect(log.entries.some((e) => e.message === 'origin secret refused')).toBe(true);
  });
});

describe('the origin secret rotation', () => {
  /** A CloudFront distribution whose config the rotation reads and writes. */
  function distribution(value: string) {
    let config: DistributionConfig = {
      CallerReference: 'ref',
      Comment: '',
      Enabled: true,
      Origins: {
        Quantity: 1,
        Items: [
          {
            Id: 'api',
            DomainName: 'abc.execute-api.us-east-1.amazonaws.com',
            CustomHeaders: { Quantity: 1, Items: [{ HeaderName: ORIGIN_HEADER, HeaderValue: value }] },
          },
        ],
      },
      DefaultCacheBehavior: { TargetOriginId: 'api', ViewerProtocolPolicy: 'https-only' },
    };
    const cloudFront = mockClient(CloudFrontClient);
    cloudFront
      .on(GetDistributionConfigCommand)
      .callsFake(() => ({ DistributionConfig: structuredClone(config), ETag: 'E1' }));
    cloudFront.on(UpdateDistributionCommand).callsFake((input) => {
      config = input.DistributionConfig;
      return {};
    });
    const sent = () => config.Origins?.Items?.[0]?.CustomHeaders?.Items?.[0]?.HeaderValue;
    return { cloudFront, sent };
  }

  it('runs the four steps: a new value, sent by CloudFront, then current; the guard accepts old and new meanwhile', async () => {
    const secretId = secrets.createRandom('origin-2');
    const old = secrets.value(secretId) ?? '';
    const edge = distribution(old);
    const rotate = makeOriginSecretRotation({
      secrets: client,
      cloudFront: new CloudFrontClient({ region: 'us-east-1' }),
      distributionId: 'E123',
    });
    const guard = makeOriginGuard(
      secretValues(sdkStageReader(client, secretId), { refreshMs: 0 }),
      new RecordingLog(),
    );
    const token = 'rotation-token-1';
    const event = (Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret') => ({
      SecretId: secretId,
      ClientRequestToken: token,
      Step,
    });
    // Secrets Manager makes the pending version's token known before it calls the function.
    await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    secrets.stagePending(secretId, token);
    await rotate(event('createSecret'));
    const fresh = secrets.value(secretId, 'AWSPENDING') ?? '';
    expect(fresh).not.toBe(old);
    expect(fresh.length).toBeGreaterThanOrEqual(32);
    await rotate(event('setSecret'));
    expect(edge.sent()).toBe(fresh);
    // CloudFront's edges send either value for a while: both get through.
    expect(await guard(request(old))).toEqual({ isAuthorized: true });
    expect(await guard(request(fresh))).toEqual({ isAuthorized: true });
    await rotate(event('testSecret'));
    await rotate(event('finishSecret'));
    expect(secrets.value(secretId)).toBe(fresh);
    expect(secrets.value(secretId, 'AWSPREVIOUS')).toBe(old);
    expect(await guard(request(old))).toEqual({ isAuthorized: true });
    expect(await guard(request('anything else'))).toEqual({ isAuthorized: false });
    edge.cloudFront.restore();
  });
});
