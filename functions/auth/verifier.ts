import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, NonRetryableFetchError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { type Jwks, SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { CognitoAccessTokenPayload } from 'aws-jwt-verify/jwt-model';

/** The most the JWKS download may take (at cold start, or for a key the cache does not know). */
const JWKS_TIMEOUT_MS = 1_500;

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
  /** Verified tokens remembered per process (0: none). */
  readonly cacheSize?: number;
}

export interface AccessTokenVerifier {
  /** The verified payload, or one of aws-jwt-verify's errors. */
  verify(token: string): Promise<CognitoAccessTokenPayload>;
  /** Loads the JWKS now (cold start) instead of at the first request. */
  hydrate(): Promise<void>;
  /** Uses this key set (tests and benchmarks that serve no JWKS). */
  cacheJwks(jwks: Jwks): void;
}

/**
 * Tokens remembered by default. A warm function sees the same token on every request of a session (an app
 * lists, then acts); 1,000 entries of ~1 KiB each stay far inside the function's memory.
 */
export const VERIFIED_TOKEN_CACHE_SIZE = 1_000;

/**
 * Builds the process-wide verifier: access tokens only, from the allowed clients, carrying the admin scope.
 *
 * A token that verified is remembered, so the same token on the next request costs a map lookup instead of an
 * RSA signature check. A remembered token is used only until its `exp` (checked on every use, then it goes
 * back to aws-jwt-verify, which answers why it is refused), and every one is forgotten when the key set is
 * fetched again (key rotation). Failures are never remembered. Revocation was never the verifier's to see:
 * Cognito checks it on every device operation.
 */
export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const verified = new VerifiedTokens(options.cacheSize ?? VERIFIED_TOKEN_CACHE_SIZE);
  const jwksCache = new ObservedJwksCache(
    () => verified.clear(),
    options.jwksUri === undefined
      ? undefined
      : new PinnedJwksFetcher(options.jwksUri, options.jwksTimeoutMs ?? JWKS_TIMEOUT_MS),
  );
  const verifier = CognitoJwtVerifier.create(
    {
      userPoolId: options.userPoolId,
      tokenUse: 'access',
      clientId: [...options.clientIds],
      scope: REQUIRED_SCOPE,
      // Decoded claims on errors (only once the signature verified), to tell 403 from 401 on scope failures.
      includeRawJwtInErrors: true,
    },
    { jwksCache },
  );
  return {
    async verify(token) {
      const known = verified.get(token);
      if (known) return known;
      const payload = await verifier.verify(token);
      verified.set(token, payload);
      return payload;
    },
    hydrate: () => verifier.hydrate(),
    cacheJwks: (jwks) => verifier.cacheJwks(jwks),
  };
}

/** Successful verifications by token, least recently used out first, each valid until its `exp`. */
class VerifiedTokens {
  private readonly entries = new Map<string, CognitoAccessTokenPayload>();

  constructor(private readonly max: number) {}

  get(token: string): CognitoAccessTokenPayload | undefined {
    const payload = this.entries.get(token);
    if (payload === undefined) return undefined;
    this.entries.delete(token);
    if (Date.now() >= payload.exp * 1000) return undefined;
    this.entries.set(token, payload);
    return payload;
  }

  set(token: string, payload: CognitoAccessTokenPayload): void {
    if (this.max === 0) return;
    this.entries.set(token, payload);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** aws-jwt-verify's own JWKS cache, telling us whenever a key set arrives (so remembered tokens are dropped). */
class ObservedJwksCache extends SimpleJwksCache {
  constructor(
    private readonly onKeySet: () => void,
    fetcher: Fetcher | undefined,
  ) {
    super(fetcher && { fetcher });
  }

  override addJwks(jwksUri: string, jwks: Jwks): void {
    super.addJwks(jwksUri, jwks);
    this.onKeySet();
  }

  override async getJwks(jwksUri: string): Promise<Jwks> {
    const jwks = await super.getJwks(jwksUri);
    this.onKeySet();
    return jwks;
  }
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
