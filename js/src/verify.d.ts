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
   * UNSIGNED-PAYLOAD. Off (the default otherwise): the payload hash is the SHA-256 of the body
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
