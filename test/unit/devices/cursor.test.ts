import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursors } from '../../../functions/devices/cursor.js';
import { extensionStageReader, secretValues } from '../../../functions/secrets/secret-values.js';
import { SecretsStandIn } from '../../../local/secrets/server.js';
import { fixedSecret } from '../../support/fake-directory.js';

const alice = { sub: 'alice-sub', view: 'remembered' as const };
const refusal = { status: 400, code: 'invalid_cursor' };

describe('cursors', () => {
  const cursors = createCursors(fixedSecret('the-key'));

  it('opens what it sealed, for the same user and view only', async () => {
    const cursor = await cursors.seal('cognito-page-token', alice);
    expect(cursor).toMatch(/^[\w-]+\.[\w-]{43}$/);
    await expect(cursors.open(cursor, alice)).resolves.toBe('cognito-page-token');
    await expect(cursors.open(cursor, { ...alice, sub: 'bob-sub' })).rejects.toMatchObject(refusal);
    await expect(cursors.open(cursor, { ...alice, view: 'all' })).rejects.toMatchObject(refusal);
  });

  it('refuses anything it did not seal: a forged position, another key, a tampered or truncated cursor', async () => {
    const cursor = await cursors.seal('page', alice);
    const [body, tag] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify([1, 'alice-sub', 'remembered', 'forged-token'])).toString(
      'base64url',
    );
    for (const bad of [
      `${forged}.${tag}`,
      await createCursors(fixedSecret('another-key')).seal('page', alice),
      `${body}.${tag?.slice(0, -2)}`,
      `${body}x.${tag}`,
      `${body}.${tag}.x`,
      body ?? '',
    ]) {
      await expect(cursors.open(bad, alice)).rejects.toMatchObject(refusal);
    }
  });

  describe('with the key in Secrets Manager, read through the secrets extension, rotated', () => {
    let secrets: SecretsStandIn;
    let client: SecretsManagerClient;
    beforeAll(async () => {
      secrets = await SecretsStandIn.start({ region: 'eu-west-1' });
      client = new SecretsManagerClient({
        region: 'eu-west-1',
        endpoint: secrets.url,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
    });
    afterAll(async () => {
      client?.destroy();
      await secrets?.close();
    });

    it('a cursor sealed before a rotation still opens; one sealed after opens in a function that has not refetched', async () => {
      const secretId = secrets.createRandom('cursor-key');
      let clock = 0;
      const read = extensionStageReader({
        secretId,
        port: secrets.port,
        sessionToken: 'session',
        timeoutMs: 1_000,
      });
      const issuing = createCursors(secretValues(read, { now: () => clock, refreshMs: 1_000 }));
      const reading = createCursors(secretValues(read, { now: () => clock, refreshMs: 1_000 }));
      const before = await issuing.seal('before', alice);
      await reading.open(before, alice);
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: 'rotated-key' }));
      clock += 2_000;
      // The issuing side fetched nothing since; its cursor was sealed with the key now previous.
      await expect(reading.open(before, alice)).resolves.toBe('before');
      const fresh = createCursors(secretValues(read));
      const after = await fresh.seal('after', alice);
      // `reading` still holds the old values: the unknown tag makes it fetch them again, once.
      await expect(reading.open(after, alice)).resolves.toBe('after');
    });
  });
});
