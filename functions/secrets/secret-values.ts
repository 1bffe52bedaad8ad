import { request } from 'node:http';

/**
 * The values of one Secrets Manager secret that are valid now: AWSCURRENT first, then, when they exist, AWSPENDING
 * (a rotation under way: the new value may already be in use) and AWSPREVIOUS (just rotated out: still in use
 * for a while). Fetched once, kept for `ttlMs`, and fetched again at most every `refreshMs` when asked to
 * (`valuesFresh`): a value nobody knew may mean the secret was rotated.
 */
export interface SecretValues {
  /** The valid values, AWSCURRENT first. */
  values(): Promise<readonly string[]>;
  /** The same, fetched again unless that happened less than `refreshMs` ago. */
  valuesFresh(): Promise<readonly string[]>;
}

/** One version stage's value, or undefined when the secret has no version in that stage. */
export type StageReader = (stage: Stage) => Promise<string | undefined>;
export type Stage = (typeof STAGES)[number];

const STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;

export function secretValues(
  read: StageReader,
  options: { ttlMs?: number; refreshMs?: number; now?: () => number; name?: string } = {},
): SecretValues {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const refreshMs = options.refreshMs ?? 30_000;
  const now = options.now ?? Date.now;
  let fetched: { at: number; values: Promise<readonly string[]> } | undefined;

  const fetchAll = async (): Promise<readonly string[]> => {
    const found = await Promise.all(STAGES.map(read));
    if (!found[0]) throw new Error(`Secret ${options.name ?? ''} has no current value`);
    return [...new Set(found.filter((value): value is string => typeof value === 'string' && value !== ''))];
  };
  const load = () => {
    const values = fetchAll();
    fetched = { at: now(), values };
    // A failed fetch is not kept: the next call tries again.
    values.catch(() => {
      if (fetched?.values === values) fetched = undefined;
    });
    return values;
  };
  return {
    values: () => (fetched && now() - fetched.at < ttlMs ? fetched.values : load()),
    valuesFresh: () => (fetched && now() - fetched.at < refreshMs ? fetched.values : load()),
  };
}

/**
 * Reads stages through the AWS Parameters and Secrets Lambda Extension: a cache of Secrets Manager that the
 * function reaches over HTTP on localhost (`/secretsmanager/get`, authorized by the function's session token), so
 * the bundle carries no Secrets Manager client. The local stack serves the same endpoint.
 */
export function extensionStageReader(options: {
  secretId: string;
  port: number;
  sessionToken: string;
  timeoutMs: number;
}): StageReader {
  return (stage) =>
    new Promise((resolve, reject) => {
      const query = new URLSearchParams({ secretId: options.secretId, versionStage: stage });
      const req = request(
        {
          host: 'localhost',
          port: options.port,
          path: `/secretsmanager/get?${query}`,
          headers: { 'X-Aws-Parameters-Secrets-Token': options.sessionToken },
          timeout: options.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          // A connection reset mid-body rejects the read; it must never become an uncaught exception.
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) {
              try {
                resolve((JSON.parse(body) as { SecretString?: string }).SecretString);
              } catch {
                reject(new Error(`The secrets extension answered malformed JSON for ${stage}`));
              }
            } else if (stage !== 'AWSCURRENT') {
              // No version in this stage: it exists only around rotations.
              resolve(undefined);
            } else {
              reject(new Error(`The secrets extension answered ${res.statusCode} for ${stage}`));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('The secrets extension did not answer in time')));
      req.on('error', reject);
      req.end();
    });
}
