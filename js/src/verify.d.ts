// sigv4-wasm/verify: verifying requests as a service does, in every runtime. The servers'
// build (Node, Deno, Bun, workerd) shares one instance with sigv4-wasm; elsewhere this
// subpath brings the verifier's own binary, so the signer's bundles never carry it.
import type { RequestToSign } from './index.js';

export { SigV4Error, SigV4ErrorCode, getBackend } from './index.js';

/**
 * Why this build verifies with its JavaScript translation rather than WebAssembly (e.g. 'this
 * runtime refused to compile WebAssembly (...)', said once by console.warn too); undefined
 * when it runs the backend it was built for.
 */
export declare function fallbackReason(): string | undefined;

/** A request as a server received it. */
export interface ReceivedRequest extends RequestToSign {
  /** The SHA-256 of the body received, as 64 lowercase hex digits, in place of `body` (for a server that hashes the body as it streams in). */
  bodySha256?: string;
}

export interface VerifierKey {
  secretAccessKey: string;
  /** Required of the request when set; the request must carry none when not. */
  sessionToken?: string;
}

export interface VerifyOptions {
  /** The region and service the credential scope must name. */
  region: string;
  service: string;
  /** The secret for an access key id, or null for an unknown key. */
  lookup(accessKeyId: string): VerifierKey | null | undefined;
  /** The verifier's clock. Defaults to now. */
  now?: Date | string | number;
  /** Allowed clock skew for header signatures, in seconds: 0 to 604800. Defaults to 900 (AWS's 15 minutes). */
  maxClockSkew?: number;
  /**
   * S3's payload rules (the default with `s3`): the payload hash is what `x-amz-content-sha256`
   * declares, UNSIGNED-PAYLOAD included (the body is then not covered), and presigned URLs sign
   * UNSIGNED-PAYLOAD (verifyChunked: STREAMING-UNSIGNED-PAYLOAD-TRAILER, whose chunks and trailer
   * are unsigned, is taken only with it). Off (the default otherwise): the payload hash is the SHA-256 of the body
   * received, as API Gateway and STS compute it.
   */
  allowUnsignedPayload?: boolean;
  /** Headers that must be signed whenever a request carries them (besides host); `x-amz-*` is a prefix. Defaults to `['x-amz-*']` with `s3`, else none. */
  requireSignedHeaders?: string[];
  s3?: boolean;
  pathEncoding?: 'double' | 'single';
  normalizePath?: boolean;
  queryPlus?: 'literal' | 'space';
  /** The service expects the session token appended after signing (AWS IoT). */
  appendSessionToken?: boolean;
}

export interface Verified {
  accessKeyId: string;
  credentialScope: string;
  signedHeaders: string[];
  signedAt: string;
  /** For a presigned request, its validity in seconds. */
  expiresIn?: number;
  /** What the verifier computed, session token redacted. */
  canonicalRequest: string;
}

/** Verifies a received request; throws SigV4Error when it does not verify. */
export declare function verify(request: ReceivedRequest, options: VerifyOptions): Verified;

/** The web streams where the project's libraries declare them (DOM, @types/node); React Native
 * has none, and there stream() is not for it (decode() is). */
type TransformStreamInstance = typeof globalThis extends { TransformStream: { prototype: infer S } } ? S : never;
type ReadableStreamInstance = typeof globalThis extends { ReadableStream: { prototype: infer S } } ? S : never;

/**
 * The body of an aws-chunked upload whose seed request verified, verified chunk by chunk as it
 * streams in. Each chunk's data is released once its signature (chained from the seed's)
 * checks out; the body as a whole (its decoded length, trailer checksum and trailer signature)
 * is verified when end() returns, or the stream or iterator ends without an error: store what
 * was released only then. The first bad chunk throws a SigV4Error (MALFORMED_CHUNK,
 * CHUNK_SIGNATURE_MISMATCH, DECODED_LENGTH_MISMATCH, INVALID_CHUNK_SIZE,
 * TRAILER_CHECKSUM_MISMATCH, TRAILER_SIGNATURE_MISMATCH), and every later call throws it again.
 * It holds at most one chunk of data (S3's chunks are 8 KiB to 16 MiB here). Use one of
 * write()/end(), stream() or decode() per body.
 */
export interface ChunkedBody {
  /** The seed request, verified. */
  verified: Verified;
  /** Takes the next bytes of the encoded body; returns the data of each chunk they complete, verified (maybe none). A write that throws returns nothing, not even the chunks it completed before the bad one. */
  write(bytes: Uint8Array | ArrayBuffer | ArrayBufferView | string): Uint8Array[];
  /** After the last byte: throws unless the body ended as it must (final chunk, decoded length, trailer). */
  end(): void;
  /** A TransformStream from the encoded body to its verified data; it errors at the first bad chunk. */
  stream(): TransformStreamInstance;
  /** The verified data of `source`, pulled piece by piece; it throws at the first bad chunk. */
  decode(source: AsyncIterable<Uint8Array | ArrayBuffer | string> | Iterable<Uint8Array | ArrayBuffer | string> | ReadableStreamInstance): AsyncIterableIterator<Uint8Array>;
}

/**
 * Verifies the seed request of an aws-chunked upload (`x-amz-content-sha256`
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER, `content-encoding: aws-chunked`,
 * `x-amz-decoded-content-length`, `x-amz-trailer`) and returns the verifier of its body. Throws
 * SigV4Error when the seed does not verify. `request.body` is not read: the body goes through
 * the verifier. `verify` refuses such a request (UNSUPPORTED_PAYLOAD).
 */
export declare function verifyChunked(request: Omit<ReceivedRequest, 'body' | 'bodySha256'>, options: VerifyOptions): ChunkedBody;
