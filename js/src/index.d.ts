// Types of the sigv4-wasm package: sigv4-wasm exports this same API in every runtime (each gets
// its own build: js/package.json), and so does sigv4-wasm/js; verify is sigv4-wasm/verify
// (verify.d.ts).

/** Header forms accepted as input. Repeated names are allowed in the pair form. */
export type HeadersInit =
  | Record<string, string | number | readonly string[] | undefined | null>
  | ReadonlyArray<readonly [string, string]>
  | { forEach(callback: (value: string, name: string) => void): void; get(name: string): string | null };

/** Bodies that can be hashed synchronously. Streams, Blobs and FormData cannot: pass `payloadHash`. */
export type BodyInit = string | Uint8Array | ArrayBuffer | ArrayBufferView | URLSearchParams | null | undefined;

export interface RequestToSign {
  /**
   * Defaults to GET. fetch's rule applies: delete/get/head/options/post/put are uppercased;
   * any other method with lowercase letters ('patch') is refused (INVALID_METHOD), since fetch
   * would send it as given and AWS knows methods in uppercase.
   */
  method?: string;
  /**
   * An absolute URL, or a path with a `host` header. Pass a string to keep S3 keys with `..`
   * or `//` as they are: a `URL` object normalizes them away.
   */
  url: string | URL;
  /**
   * The query string as it goes on the wire (`versionId=3`), given apart from the URL. For
   * `pathInput: 'unencoded'`, where every `?` and `#` after the host belongs to the key.
   */
  query?: string;
  headers?: HeadersInit;
  body?: BodyInit;
}

/**
 * Credentials as values. sign, presign and signAsync take values only (sign stays
 * synchronous); for credentials that expire, give AwsClient a provider (`credentials`) or wrap
 * one in cacheCredentials and pass what it resolves to.
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The session token of temporary credentials. */
  sessionToken?: string;
}

export interface SigningOptions extends Credentials {
  /**
   * The region of the credential scope; inferred from `*.amazonaws.com` hosts when omitted.
   * Lowercase; a host that names a region (sts.us-east-1.amazonaws.com) takes only that one
   * (CONFLICTING_REGION).
   */
  region?: string;
  /** The service of the credential scope (e.g. 'execute-api', 's3'); inferred from the host when omitted. */
  service?: string;
  /**
   * The signing time: a Date, '20150830T123600Z' or ISO 8601, or milliseconds since 1970
   * (Date.now()); a number below 1e11 (before March 1973) can only be seconds and is refused
   * (INVALID_DATE). Defaults to now.
   */
  datetime?: Date | string | number;
  /** Apply S3's rules (single encoding, no normalization, x-amz-content-sha256). Defaults to `service === 's3'`. */
  s3?: boolean;
  /** Override the path encoding: 'double' (most services) or 'single' (S3). */
  pathEncoding?: 'double' | 'single';
  /** Remove `.`/`..` segments and collapse `//` (default: true, false for S3). */
  normalizePath?: boolean;
  /** 'encoded' (default): the URL's path is already percent-encoded. 'unencoded': it is literal text (an S3 key). */
  pathInput?: 'encoded' | 'unencoded';
  /** What a raw `+` in the query means: 'literal' (default, signs as %2B) or 'space'. */
  queryPlus?: 'literal' | 'space';
  /** Add the session token after signing instead of signing it (AWS IoT). */
  appendSessionToken?: boolean;
  /** Send and sign `x-amz-content-sha256` (default: true for S3). */
  contentSha256?: boolean;
  /** A payload hash computed elsewhere (64 hex digits) or an S3 literal such as 'UNSIGNED-PAYLOAD'. */
  payloadHash?: string;
  /** Shorthand for `payloadHash: 'UNSIGNED-PAYLOAD'`. */
  unsignedPayload?: boolean;
  /** Hash bodies of 1 KiB and more with the runtime's own SHA-256 where it has one (node:crypto in
   * Node, Deno, Bun), and, in those servers' build, canonical requests of 256 bytes and more too.
   * Default true; `false` hashes everything in the signer. The hash is the same either way.
   * A function is a synchronous SHA-256 of your own for those bodies, returning 64 hex digits or
   * 32 bytes: in React Native, react-native-quick-crypto's
   * `(bytes) => createHash('sha256').update(bytes).digest('hex')`. */
  nativeHash?: boolean | ((body: Uint8Array) => string | Uint8Array | ArrayBuffer);
  /** Headers to sign even though they are unsigned by default (e.g. 'user-agent'). */
  signHeaders?: string[];
  /** Headers to leave out of the signature. `host` and `x-amz-*` signing headers cannot be. */
  unsignedHeaders?: string[];
  /** Sign this host instead of the URL's (SSH tunnels, VPC endpoints). */
  hostOverride?: string;
}

export interface PresignOptions extends SigningOptions {
  /** Seconds the URL stays valid: 1 to 604800. Defaults to 3600. */
  expiresIn?: number;
}

interface SignedBase {
  method: string;
  /** The URL to send. For a presigned request it carries the signature. */
  url: string;
  /** Every header to send, including `host` (which fetch sets itself). A repeated header's values are joined with ','. */
  headers: Record<string, string>;
  /** The canonical request as signed. It contains the session token when one is signed: redact it before logging. */
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  signedHeaders: string;
  payloadHash: string;
  signature: string;
  region: string;
  service: string;
  /** The signing time as '20150830T123600Z'. */
  datetime: string;
  /** Whether S3's rules applied: the `s3` option, or by default service 's3'. */
  s3: boolean;
}

export interface SignedRequest extends SignedBase {
  /** The Authorization header value. */
  authorization: string;
}

export interface PresignedRequest extends SignedBase {
  expiresIn: number;
}

/** The error codes; see the README for when each occurs. */
export type SigV4ErrorCode =
  | 'INVALID_URL' | 'INVALID_METHOD' | 'INVALID_HEADER_NAME' | 'INVALID_HEADER_VALUE' | 'MISSING_HOST'
  | 'CONFLICTING_HEADER' | 'CONFLICTING_QUERY_PARAMETER' | 'CONFLICTING_REGION' | 'ALREADY_SIGNED' | 'REQUIRED_HEADER_EXCLUDED'
  | 'MISSING_ACCESS_KEY_ID' | 'INVALID_ACCESS_KEY_ID' | 'MISSING_SECRET_ACCESS_KEY' | 'INVALID_SECRET_ACCESS_KEY'
  | 'INVALID_SESSION_TOKEN'
  | 'MISSING_REGION' | 'INVALID_REGION' | 'MISSING_SERVICE' | 'INVALID_SERVICE' | 'INVALID_DATE'
  | 'EXPIRES_OUT_OF_RANGE' | 'CLOCK_SKEW_OUT_OF_RANGE' | 'INVALID_PAYLOAD_HASH' | 'PAYLOAD_HASH_MISMATCH' | 'REQUEST_TOO_LARGE'
  | 'MISSING_AUTHENTICATION' | 'MALFORMED_AUTHORIZATION' | 'UNSUPPORTED_ALGORITHM' | 'UNSUPPORTED_PAYLOAD'
  | 'UNKNOWN_ACCESS_KEY' | 'INVALID_SECURITY_TOKEN' | 'CREDENTIAL_SCOPE_MISMATCH' | 'HOST_NOT_SIGNED'
  | 'HEADER_NOT_SIGNED' | 'SIGNATURE_MISMATCH' | 'SIGNATURE_EXPIRED' | 'SIGNATURE_NOT_YET_CURRENT'
  | 'REQUEST_EXPIRED' | 'INVALID_CHUNK_SIZE' | 'INVALID_CHUNKED_UPLOAD' | 'DECODED_LENGTH_MISMATCH'
  | 'MALFORMED_CHUNK' | 'CHUNK_SIGNATURE_MISMATCH' | 'TRAILER_CHECKSUM_MISMATCH' | 'TRAILER_SIGNATURE_MISMATCH'
  | 'INVALID_POST_POLICY' | 'INTERNAL_ERROR' | 'WEBASSEMBLY_UNAVAILABLE'
  | 'INVALID_USER_POOL_ID' | 'INVALID_SRP_PARAMETER' | 'INVALID_SECRET_BLOCK' | 'INVALID_CODE_VERIFIER' | 'INVALID_JWT'
  | 'CREDENTIALS_REFRESH_FAILED' | 'COGNITO_ERROR' | 'S3_ERROR' | 'STS_ERROR' | 'OAUTH_ERROR';

/** Every error of the signer. Bad argument types throw TypeError instead. */
export declare class SigV4Error extends Error {
  constructor(code: SigV4ErrorCode, message: string, details?: { canonicalRequest?: string; stringToSign?: string });
  name: 'SigV4Error';
  code: SigV4ErrorCode;
  /** For SIGNATURE_MISMATCH: what the verifier computed (session token redacted). */
  canonicalRequest?: string;
  stringToSign?: string;
}

/** Signs a request in the Authorization header. */
export declare function sign(request: RequestToSign, options: SigningOptions): SignedRequest;
/**
 * sign, for large bodies: where no synchronous native hash applies (browsers, workerd, React
 * Native without a `nativeHash` function), a body of 16 KiB or more is hashed by WebCrypto
 * (`crypto.subtle`) first. Also takes a Blob body. Resolves with what sign returns.
 */
export declare function signAsync(request: Omit<RequestToSign, 'body'> & { body?: BodyInit | Blob }, options: SigningOptions): Promise<SignedRequest>;
/** Presigns a request: the signature goes into the URL. */
export declare function presign(request: RequestToSign, options: PresignOptions): PresignedRequest;
/** Every step of the signing-key derivation as hex. `date` is YYYYMMDD. */
export declare function signingKeyDerivation(options: {
  secretAccessKey: string;
  date: string;
  region: string;
  service: string;
}): { kDate: string; kRegion: string; kService: string; kSigning: string };
/** The region and service a host names, each undefined when it names none. */
export declare function inferScope(host: string): { region?: string; service?: string };
/**
 * Loads the signer. Without an argument it loads the inlined binary (signing loads it on
 * first use anyway); with a URL, Response, bytes or Module it compiles that .wasm
 * asynchronously (for pages that host the .wasm separately).
 */
export declare function init(input?: string | URL | Response | ArrayBuffer | ArrayBufferView | WasmModule): Promise<void>;
/**
 * WebAssembly.Module where the project's libraries declare it (lib "dom", workers): the types
 * name no global that Node-only (`@types/node`) or React Native projects lack.
 */
type WasmModule = typeof globalThis extends { WebAssembly: { Module: { prototype: infer M } } } ? M : never;
/** ReadableStream where the project's libraries declare it (DOM, @types/node; React Native has none). */
type ReadableStreamInstance = typeof globalThis extends { ReadableStream: { prototype: infer S } } ? S : never;
/** Which backend signs: 'wasm' or 'js' (the wasm2js translation of the same binary). */
export declare function getBackend(): 'wasm' | 'js';

/** What a credentials provider returns. */
export interface TemporaryCredentials extends Credentials {
  /** When they expire: a Date, milliseconds since 1970, or an ISO 8601 string (as STS returns it). */
  expiration?: Date | number | string;
}

/** A function, synchronous or async, returning credentials; called again when they near expiry. */
export type CredentialsProvider = () => TemporaryCredentials | Promise<TemporaryCredentials>;

/** A provider whose credentials are cached: what cacheCredentials returns. */
export interface CachedCredentialsProvider {
  /** The cached credentials, or the provider's new ones (rejects with CREDENTIALS_REFRESH_FAILED). */
  (): Promise<Credentials & { expiration?: Date }>;
  /** Calls the provider now, whatever is cached. */
  refresh(): Promise<Credentials & { expiration?: Date }>;
  /** Drops the cached credentials. */
  invalidate(): void;
  /** The cached credentials if still fresh, else undefined. */
  peek(): (Credentials & { expiration?: Date }) | undefined;
}

/**
 * Caches a provider's credentials until `marginMs` (default 5 minutes) before their expiration;
 * concurrent callers share one call of the provider; a failure is not cached.
 */
export declare function cacheCredentials(
  provider: CredentialsProvider,
  options?: { marginMs?: number; now?: () => number },
): CachedCredentialsProvider;

/**
 * The options of `new AwsClient(...)`: aws4fetch's, plus any of sign's, with the credentials
 * as accessKeyId/secretAccessKey/sessionToken or as `credentials` (a value or a provider).
 */
export type AwsClientOptions =
  | (AwsClientSettings & Credentials & { credentials?: undefined })
  | (AwsClientSettings & {
      /** Credentials as a value, or a provider (cached, refreshed 5 minutes before expiry). sign/presign take values only. */
      credentials: Credentials | CredentialsProvider;
      accessKeyId?: undefined;
      secretAccessKey?: undefined;
      sessionToken?: undefined;
    });

/** AwsClient's options but the credentials. */
export interface AwsClientSettings extends Omit<SigningOptions, 'accessKeyId' | 'secretAccessKey' | 'sessionToken'> {
  /** The client's clock in ms since 1970 (default Date.now); corrected by clockOffsetMs. */
  now?: () => number;
  /** Accepted as aws4fetch's (its derived-key cache); the signer keeps its own key cache. */
  cache?: Map<string, ArrayBuffer>;
  /** Retries of a 5xx or 429 answer before `fetch` returns it. Defaults to 10; 0 for no retrying. */
  retries?: number;
  /** The first retry waits a random time up to this many ms, each next one up to twice as long. Defaults to 50. */
  initRetryMs?: number;
  /** The fetch to send with; defaults to the global fetch at the time of the call. */
  fetch?: (input: any, init?: any) => Promise<any>;
  /** Waits between retries (default: setTimeout); for tests. */
  sleep?: (ms: number) => Promise<unknown> | unknown;
  /** The jitter, a number in [0, 1) (default: Math.random); for tests. */
  random?: () => number;
}

/** The per-request `aws` options: aws4fetch's, plus any of sign's and presign's. */
export interface AwsSigningOptions extends Partial<PresignOptions> {
  /** Presign (the signature goes into the URL) instead of signing the Authorization header. An
   * X-Amz-Expires in the URL is taken as `expiresIn`. */
  signQuery?: boolean;
  /** Sign every header given (content-type, user-agent...), as `signHeaders` with all their names. */
  allHeaders?: boolean;
  /** Encode the path once (`pathEncoding: 'single'`). */
  singleEncode?: boolean;
  /** Accepted as aws4fetch's; unused. */
  cache?: Map<string, ArrayBuffer>;
  /** The signing time, e.g. '20150830T123600Z'. */
  datetime?: Date | string | number;
}

/** fetch's init with the body types AwsClient hashes, and the `aws` options. */
export interface AwsRequestInit {
  method?: string;
  headers?: HeadersInit;
  /** A string, bytes, URLSearchParams or Blob is hashed and signed; a stream needs an
   * x-amz-content-sha256 header (or `aws.payloadHash`), and so does FormData. */
  body?: BodyInit | Blob | ReadableStreamInstance | FormData | null;
  aws?: AwsSigningOptions;
  [key: string]: any;
}

/** What AwsClient takes as a request: a URL string, a URL, a Request, or anything with a toString. */
export type AwsInput = string | URL | Request | { toString(): string };

/** fetch's two arguments, and what was signed. */
export interface SignedFetchArguments {
  url: string;
  init: Record<string, any> & { method: string; headers: Record<string, string> };
  signed: SignedRequest | PresignedRequest;
}

/**
 * aws4fetch's AwsClient (1.0.20): signs fetch calls and retries 5xx and 429 answers with
 * exponential backoff and full jitter. The README lists where it deliberately differs.
 */
export declare class AwsClient {
  constructor(options: AwsClientOptions);
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string | undefined;
  service: string | undefined;
  region: string | undefined;
  cache: Map<string, ArrayBuffer>;
  retries: number;
  initRetryMs: number;
  /** AWS's clock minus the client's (ms), learnt from an answer that said the signature's time was off. */
  clockOffsetMs: number;
  /** Resolves to the signed Request, as aws4fetch's: `fetch(await client.sign(url, init))`. */
  sign(input: AwsInput, init?: AwsRequestInit | null): Promise<Request>;
  /** Signs and sends; retries a 5xx or 429 answer up to `retries` times. */
  fetch(input: AwsInput, init?: AwsRequestInit | null): Promise<Response>;
  /** sign, resolving to fetch's two arguments and the signed details instead of a Request. */
  signDetails(input: AwsInput, init?: AwsRequestInit | null): Promise<SignedFetchArguments>;
  /** signDetails, synchronously: the body must be a string, bytes or URLSearchParams, and a Request input bodiless.
   * With a credentials provider, it signs with the credentials already cached (after sign/fetch), else throws. */
  signSync(input: AwsInput, init?: AwsRequestInit | null): SignedFetchArguments;
}
