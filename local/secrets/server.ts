import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, signedFor } from '../listen.js';

/**
 * A local stand-in for AWS Secrets Manager, enough for what the product keeps there (the edge's origin secret and the
 * cursor key) and for its rotation: CreateSecret, GetSecretValue, PutSecretValue, UpdateSecretVersionStage,
 * DescribeSecret over AWS JSON 1.1, with the staging labels as AWS documents them ("Secrets Manager concepts",
 * PutSecretValue, UpdateSecretVersionStage): a version moved to AWSCURRENT makes the one before it AWSPREVIOUS.
 * The unmodified AWS SDK talks to it with an endpoint override. In memory: these secrets are made anew at each start.
 */
interface Version {
  readonly id: string;
  /** Absent for the version RotateSecret stages AWSPENDING before the rotation function's createSecret fills it. */
  value?: string;
  readonly created: number;
  stages: Set<string>;
}

interface Secret {
  readonly name: string;
  readonly arn: string;
  readonly versions: Map<string, Version>;
}

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const TARGET_PREFIX = 'secretsmanager.';
const SIGV4 = signedFor('secretsmanager');

export class SecretsStandIn {
  private readonly secrets = new Map<string, Secret>();

  private constructor(
    private readonly closeServer: () => Promise<void>,
    readonly url: string,
    private readonly region: string,
  ) {}

  static async start(
    options: { host?: string; port?: number; region?: string } = {},
  ): Promise<SecretsStandIn> {
    const { url, serve, close } = await listen(options, (res) =>
      send(res, 500, { __type: 'InternalServiceError', message: 'Internal error' }),
    );
    const instance = new SecretsStandIn(close, url, options.region ?? 'us-east-1');
    serve((req, res) => instance.handle(req, res));
    return instance;
  }

  /** Creates a secret holding a new random value (as the stack's generated secrets do); returns its ARN. */
  createRandom(name: string): string {
    return this.create(name, randomBytes(32).toString('base64url')).arn;
  }

  /**
   * What RotateSecret does before it invokes the rotation function: a new version id, staged AWSPENDING, with no
   * value yet ("How rotation works": the function's createSecret step puts the value).
   */
  stagePending(secretId: string, token: string): void {
    const secret = this.find(secretId);
    for (const v of secret.versions.values()) v.stages.delete('AWSPENDING');
    secret.versions.set(token, { id: token, created: Date.now(), stages: new Set(['AWSPENDING']) });
  }

  /** The port the stand-in listens on: the secrets extension's, for the local functions. */
  get port(): number {
    return Number(new URL(this.url).port);
  }

  /** The value under `stage` (AWSCURRENT unless given), for tests and the local edge. */
  value(secretId: string, stage = 'AWSCURRENT'): string | undefined {
    const secret = this.secrets.get(this.nameOf(secretId));
    return secret && [...secret.versions.values()].find((v) => v.stages.has(stage))?.value;
  }

  async close(): Promise<void> {
    await this.closeServer();
  }

  private create(name: string, value: string, token: string = randomUUID()): Secret {
    if (this.secrets.has(name)) {
      throw new ServiceError(
        'ResourceExistsException',
        `The operation failed because the secret ${name} already exists.`,
      );
    }
    const arn = `arn:aws:secretsmanager:${this.region}:123456789012:secret:${name}-${randomBytes(3).toString('hex')}`;
    const secret: Secret = { name, arn, versions: new Map() };
    secret.versions.set(token, { id: token, value, created: Date.now(), stages: new Set(['AWSCURRENT']) });
    this.secrets.set(name, secret);
    return secret;
  }

  private nameOf(secretId: string): string {
    for (const secret of this.secrets.values()) if (secret.arn === secretId) return secret.name;
    return secretId;
  }

  private find(secretId: unknown): Secret {
    const secret = typeof secretId === 'string' ? this.secrets.get(this.nameOf(secretId)) : undefined;
    if (!secret)
      throw new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return secret;
  }

  /** Puts `stage` on `version`, taking it off any other; a new AWSCURRENT makes the old one AWSPREVIOUS. */
  private label(secret: Secret, stage: string, version: Version): void {
    for (const other of secret.versions.values()) {
      if (other === version || !other.stages.has(stage)) continue;
      other.stages.delete(stage);
      if (stage === 'AWSCURRENT') {
        for (const v of secret.versions.values()) v.stages.delete('AWSPREVIOUS');
        other.stages.add('AWSPREVIOUS');
      }
    }
    version.stages.add(stage);
    // A version made current is no longer pending (the end of a rotation).
    if (stage === 'AWSCURRENT') version.stages.delete('AWSPENDING');
  }

  private readonly operations: Record<string, (input: Record<string, unknown>) => unknown> = {
    CreateSecret: (input) => {
      if (typeof input.Name !== 'string' || typeof input.SecretString !== 'string') {
        throw new ServiceError('InvalidParameterException', 'Name and SecretString are required.');
      }
      const secret = this.create(
        input.Name,
        input.SecretString,
        input.ClientRequestToken as string | undefined,
      );
      return { ARN: secret.arn, Name: secret.name, VersionId: [...secret.versions.keys()][0] };
    },
    GetSecretValue: (input) => {
      const secret = this.find(input.SecretId);
      const stage =
        (input.VersionStage as string | undefined) ?? (input.VersionId ? undefined : 'AWSCURRENT');
      const version = [...secret.versions.values()].find(
        (v) =>
          (stage === undefined || v.stages.has(stage)) &&
          (input.VersionId === undefined || v.id === input.VersionId),
      );
      if (version?.value === undefined) {
        throw new ServiceError(
          'ResourceNotFoundException',
          `Secrets Manager can't find the specified secret value for ${stage ? `staging label: ${stage}` : 'VersionId'}`,
        );
      }
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        SecretString: version.value,
        VersionStages: [...version.stages],
        CreatedDate: version.created / 1000,
      };
    },
    PutSecretValue: (input) => {
      const secret = this.find(input.SecretId);
      if (typeof input.SecretString !== 'string') {
        throw new ServiceError('InvalidParameterException', 'You must provide SecretString or SecretBinary.');
      }
      const token = (input.ClientRequestToken as string | undefined) ?? randomUUID();
      const existing = secret.versions.get(token);
      if (existing?.value !== undefined && existing.value !== input.SecretString) {
        throw new ServiceError('ResourceExistsException', 'A version with this token already exists.');
      }
      const version: Version = existing ?? { id: token, created: Date.now(), stages: new Set<string>() };
      version.value = input.SecretString;
      secret.versions.set(token, version);
      for (const stage of (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT'])
        this.label(secret, stage, version);
      return { ARN: secret.arn, Name: secret.name, VersionId: token, VersionStages: [...version.stages] };
    },
    UpdateSecretVersionStage: (input) => {
      const secret = this.find(input.SecretId);
      const stage = input.VersionStage as string;
      const target = input.MoveToVersionId ? secret.versions.get(input.MoveToVersionId as string) : undefined;
      if (input.MoveToVersionId && !target)
        throw new ServiceError('ResourceNotFoundException', 'No such version.');
      // Moving the label takes it off the version named in RemoveFromVersionId (AWSCURRENT leaves AWSPREVIOUS).
      if (target) this.label(secret, stage, target);
      else if (input.RemoveFromVersionId)
        secret.versions.get(input.RemoveFromVersionId as string)?.stages.delete(stage);
      return { ARN: secret.arn, Name: secret.name };
    },
    DescribeSecret: (input) => {
      const secret = this.find(input.SecretId);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionIdsToStages: Object.fromEntries(
          [...secret.versions.values()].map((v) => [v.id, [...v.stages]]),
        ),
      };
    },
  };

  /**
   * The Parameters and Secrets Lambda Extension's endpoint, which a function reaches on localhost:
   * `GET /secretsmanager/get?secretId=…&versionStage=…` with `X-Aws-Parameters-Secrets-Token` (the function's session
   * token), answering GetSecretValue's JSON (AWS Lambda developer guide, "Use Secrets Manager secrets in Lambda
   * functions"). The port is the `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` the local functions get.
   */
  private serveExtension(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!req.headers['x-aws-parameters-secrets-token']) {
      send(res, 401, { __type: 'Unauthorized', message: 'Missing X-Aws-Parameters-Secrets-Token' });
      return;
    }
    try {
      send(
        res,
        200,
        this.operations.GetSecretValue?.({
          SecretId: url.searchParams.get('secretId') ?? '',
          ...(url.searchParams.get('versionStage') && { VersionStage: url.searchParams.get('versionStage') }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      send(res, 400, { __type: error.type, message: error.message });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && (req.url ?? '').startsWith('/secretsmanager/get'))
      return this.serveExtension(req, res);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!SIGV4.test(String(req.headers.authorization ?? ''))) {
      return send(res, 400, {
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
    }
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation =
      this.operations[target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : ''];
    if (!operation)
      return send(res, 400, { __type: 'UnknownOperationException', message: 'Unknown operation' });
    try {
      send(res, 200, operation(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      send(res, 400, { __type: error.type, message: error.message });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const type = (body as { __type?: string }).__type;
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(type && status >= 400 && { 'x-amzn-errortype': type }),
  });
  res.end(JSON.stringify(body));
}
