import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';

/** The scope Cognito puts in access tokens that may call the self-service user APIs (device operations included). */
export const REQUIRED_SCOPE = 'aws.cognito.signin.user.admin';

export interface AccessTokenVerifierOptions {
  readonly userPoolId: string;
  /** App clients whose tokens are accepted (`client_id` claim). */
  readonly clientIds: readonly string[];
  /**
   * Serve the JWKS from here instead of the pool's regional URL: the local stack's Cognito stand-in (it signs
   * tokens with the real issuer, so every other check stays exactly as in production), or a `file:` URL
   * (the benchmark). Unset in AWS.
   */
  readonly jwksUri?: string | undefined;
  /** Budget for one JWKS download. */
  readonly jwksTimeoutMs?: number;
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;

/** Builds the process-wide verifier: access tokens only, from the allowed clients, carrying the admin scope. */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions) {
  const jwksCache =
    options.jwksUri === undefined
      ? undefined
      : new SimpleJwksCache({
          fetcher: new PinnedJwksFetcher(options.jwksUri, options.jwksTimeoutMs ?? 1_500),
        });
  return CognitoJwtVerifier.create(
    {
      userPoolId: options.userPoolId,
      tokenUse: 'access',
      clientId: [...options.clientIds],
      scope: REQUIRED_SCOPE,
      // Decoded claims on errors (only once the signature verified), to tell 403 from 401 on scope failures.
      includeRawJwtInErrors: true,
    },
    jwksCache && { jwksCache },
  );
}

/** Fetches every JWKS request from one fixed URI: http, https or file (the library's own fetcher is https-only). */
class PinnedJwksFetcher implements Fetcher {
  constructor(
    private readonly uri: string,
    private readonly timeoutMs: number,
  ) {}

  async fetch(): Promise<ArrayBuffer> {
    if (this.uri.startsWith('file:')) {
      const { readFile } = await import('node:fs/promises');
      const bytes = await readFile(new URL(this.uri));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }
    let response: Response;
    try {
      response = await fetch(this.uri, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new FetchError(this.uri, error instanceof Error ? error.message : String(error));
    }
    if (response.status !== 200) {
      throw new NonRetryableFetchError(this.uri, `Status code is ${response.status}, expected 200`);
    }
    return response.arrayBuffer();
  }
}
