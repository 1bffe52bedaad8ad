import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * One SigV4-signed JSON call to an AWS service, with the function role's environment credentials: for the two
 * services the API functions call besides Cognito (EventBridge's PutEvents, EventBridge Scheduler's schedules),
 * whose SDK clients would add 20 KB each to a bundle held to 0.9× the SDK floor (docs/performance.md). The SDK's own
 * signer and credentials provider do the AWS part; this only sends the request and reads JSON.
 */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** SHA-256 and HMAC-SHA256 for the signer, from Node's crypto (what the SDK itself uses in Node). */
class Sha256 {
  private readonly hash;

  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }

  update(data: Data): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

export interface AwsJsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

/** A service's answer that is not a 2xx: its status and AWS's error type (`x-amzn-errortype` or `__type`). */
export class AwsServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type || 'AwsServiceError';
  }
}

export interface AwsJsonClient {
  call<T>(request: AwsJsonRequest): Promise<T>;
}

export function awsJsonClient(settings: {
  /** The signing name, e.g. `events`, `scheduler`. */
  readonly service: string;
  readonly region: string;
  /** A stand-in's URL (the local stack); the service's regional endpoint when absent. */
  readonly endpoint?: string | undefined;
  readonly contentType: string;
  readonly timeoutMs: number;
  /** Who calls, as the service's request logs (CloudTrail's `userAgent`) show it. */
  readonly userAgent?: string;
}): AwsJsonClient {
  const url = new URL(settings.endpoint ?? `https://${settings.service}.${settings.region}.amazonaws.com/`);
  const signer = new SignatureV4({
    service: settings.service,
    region: settings.region,
    credentials: fromEnv(),
    sha256: Sha256,
  });
  return {
    async call<T>(req: AwsJsonRequest): Promise<T> {
      const body = req.body === undefined ? undefined : JSON.stringify(req.body);
      const signed = await signer.sign({
        method: req.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port && { port: Number(url.port) }),
        path: req.path,
        query: req.query ?? {},
        headers: {
          host: url.host,
          ...(body !== undefined && { 'content-type': settings.contentType }),
          ...(settings.userAgent && { 'user-agent': settings.userAgent }),
          ...req.headers,
        },
        ...(body !== undefined && { body }),
      });
      const query = new URLSearchParams(req.query ?? {}).toString();
      const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
      return new Promise<T>((resolve, reject) => {
        const request = send(
          {
            method: req.method,
            hostname: url.hostname,
            port: url.port || undefined,
            path: query ? `${req.path}?${query}` : req.path,
            headers: {
              ...signed.headers,
              ...(body !== undefined && { 'content-length': Buffer.byteLength(body) }),
            },
            timeout: settings.timeoutMs,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown;
              try {
                parsed = text ? JSON.parse(text) : {};
              } catch {
                parsed = undefined;
              }
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300 && parsed !== undefined) {
                resolve(parsed as T);
                return;
              }
              const header = String(res.headers['x-amzn-errortype'] ?? '').split(':')[0] ?? '';
              const type =
                header ||
                String((parsed as { __type?: string } | undefined)?.__type ?? '')
                  .split('#')
                  .pop() ||
                '';
              const message = String(
                (parsed as { message?: string; Message?: string } | undefined)?.message ??
                  (parsed as { Message?: string } | undefined)?.Message ??
                  `HTTP ${status}`,
              );
              reject(new AwsServiceError(status, type, message));
            });
          },
        );
        request.on('timeout', () => request.destroy(new Error(`${settings.service} did not answer in time`)));
        request.on('error', reject);
        request.end(body);
      });
    },
  };
}
