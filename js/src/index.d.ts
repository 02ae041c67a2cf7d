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
  /** Defaults to GET. fetch's rule applies: delete/get/head/options/post/put are uppercased. */
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

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** The session token of temporary credentials. */
  sessionToken?: string;
}

export interface SigningOptions extends Credentials {
  /** The region of the credential scope; inferred from `*.amazonaws.com` hosts when omitted. */
  region?: string;
  /** The service of the credential scope (e.g. 'execute-api', 's3'); inferred from the host when omitted. */
  service?: string;
  /** The signing time: a Date, '20150830T123600Z' or ISO 8601, or milliseconds since 1970. Defaults to now. */
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
  | 'CONFLICTING_HEADER' | 'CONFLICTING_QUERY_PARAMETER' | 'ALREADY_SIGNED' | 'REQUIRED_HEADER_EXCLUDED'
  | 'MISSING_ACCESS_KEY_ID' | 'INVALID_ACCESS_KEY_ID' | 'MISSING_SECRET_ACCESS_KEY' | 'INVALID_SESSION_TOKEN'
  | 'MISSING_REGION' | 'INVALID_REGION' | 'MISSING_SERVICE' | 'INVALID_SERVICE' | 'INVALID_DATE'
  | 'EXPIRES_OUT_OF_RANGE' | 'CLOCK_SKEW_OUT_OF_RANGE' | 'INVALID_PAYLOAD_HASH' | 'PAYLOAD_HASH_MISMATCH' | 'REQUEST_TOO_LARGE'
  | 'MISSING_AUTHENTICATION' | 'MALFORMED_AUTHORIZATION' | 'UNSUPPORTED_ALGORITHM' | 'UNSUPPORTED_PAYLOAD'
  | 'UNKNOWN_ACCESS_KEY' | 'INVALID_SECURITY_TOKEN' | 'CREDENTIAL_SCOPE_MISMATCH' | 'HOST_NOT_SIGNED'
  | 'HEADER_NOT_SIGNED' | 'SIGNATURE_MISMATCH' | 'SIGNATURE_EXPIRED' | 'SIGNATURE_NOT_YET_CURRENT'
  | 'REQUEST_EXPIRED' | 'INVALID_CHUNK_SIZE' | 'INVALID_CHUNKED_UPLOAD' | 'DECODED_LENGTH_MISMATCH'
  | 'INVALID_POST_POLICY' | 'INTERNAL_ERROR' | 'WEBASSEMBLY_UNAVAILABLE';

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
export declare function init(input?: string | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Which backend signs: 'wasm' or 'js' (the wasm2js translation of the same binary). */
export declare function getBackend(): 'wasm' | 'js';

export interface AwsClientOptions extends SigningOptions {
  /** The fetch to use; defaults to the global fetch. */
  fetch?: (input: string, init?: any) => Promise<any>;
}

export interface AwsRequestInit {
  method?: string;
  headers?: HeadersInit;
  body?: BodyInit;
  /** Per-request signing options; `signQuery: true` presigns instead of signing headers. */
  aws?: Partial<PresignOptions> & { signQuery?: boolean };
  [key: string]: any;
}

/** A fetch wrapper in the manner of aws4fetch's AwsClient. Retries are the caller's. */
export declare class AwsClient {
  constructor(options: AwsClientOptions);
  /** The signed request: pass `url` and `init` to fetch. */
  sign(url: string | URL, init?: AwsRequestInit): { url: string; init: Record<string, any>; signed: SignedRequest | PresignedRequest };
  /** Signs and sends. */
  fetch(url: string | URL, init?: AwsRequestInit): Promise<Response>;
}
