// sigv4-wasm/s3: S3's chunked uploads and POST policies, over the servers' binary in every
// runtime (the signer's binary, sigv4-wasm in browsers, stays without them).
import type { Credentials, RequestToSign, SignedRequest, SigningOptions } from './index.js';
export { SigV4Error, SigV4ErrorCode, getBackend, inferScope } from './index.js';
import type { SigV4Error } from './index.js';
/**
 * Why this build signs with its JavaScript translation rather than WebAssembly (said once by
 * console.warn too); undefined when it runs the backend it was built for.
 */
export declare function fallbackReason(): string | undefined;

/** The web streams where the project's libraries declare them (DOM, @types/node); React Native
 * has none, and there stream() is not for it. */
type TransformStreamInstance = typeof globalThis extends { TransformStream: { prototype: infer S } } ? S : never;
type ReadableStreamInstance = typeof globalThis extends { ReadableStream: { prototype: infer S } } ? S : never;
type AbortSignalInstance = typeof globalThis extends { AbortSignal: { prototype: infer S } } ? S : never;

/** A chunked upload (Content-Encoding: aws-chunked): the body signed chunk by chunk. */
export interface ChunkedUploadOptions extends Omit<SigningOptions, 'payloadHash' | 'unsignedPayload'> {
  /** The body's length in bytes (x-amz-decoded-content-length): S3 needs it before the first chunk. */
  decodedLength: number;
  /** Bytes per chunk but the last: 8192 (S3's minimum, INVALID_CHUNK_SIZE below) to 16 MiB; 65536 by default. */
  chunkSize?: number;
  /** A checksum of the whole body, sent in a trailer (x-amz-checksum-crc32, -crc32c or -sha256). */
  checksum?: 'crc32' | 'crc32c' | 'sha256';
  /** The mode; by default signed chunks, with a signed trailer when there is a checksum. */
  payloadHash?: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
}

/** A synchronous aws-chunked encoder. */
export interface ChunkedEncoder {
  /** The chunks these bytes complete, framed (often none). */
  write(bytes: Uint8Array | ArrayBuffer | ArrayBufferView | string): Uint8Array[];
  /** The last chunk, the final empty chunk and the trailer. Throws DECODED_LENGTH_MISMATCH for a body shorter than declared. */
  end(): Uint8Array;
  /** The last signature of the chain. */
  readonly previousSignature: string;
}

/** The signed seed request of a chunked upload (send `headers`, with the encoded body), and its encoders. Each encoder encodes one body. */
export interface SignedChunkedUpload extends SignedRequest {
  decodedLength: number;
  /** The Content-Length of the encoded body (in `headers` too). */
  encodedLength: number;
  chunkSize: number;
  /** The trailing header's name, when there is a trailer. */
  trailer?: string;
  encoder(): ChunkedEncoder;
  /** A TransformStream from the body's bytes to the encoded body (browsers, Node, Deno, Bun, workerd). */
  stream(): TransformStreamInstance;
  /** The encoded body as an async iterator, pulling `source` one piece at a time (also where there is no TransformStream: React Native). */
  encode(source: AsyncIterable<Uint8Array | ArrayBuffer | string> | Iterable<Uint8Array | ArrayBuffer | string> | ReadableStreamInstance): AsyncIterableIterator<Uint8Array>;
}

/** Signs the seed request of a chunked upload to S3. The request has no body and none of the headers the upload sets. */
export declare function signChunked(request: Omit<RequestToSign, 'body'>, options: ChunkedUploadOptions): SignedChunkedUpload;

/** A POST policy: what an HTML form may upload to S3. */
export interface PostPolicy {
  bucket: string;
  /** The object key; ending in `${filename}`, any key with the part before it as prefix (S3 puts the file's name there). */
  key: string;
  /** Seconds the form can be used, from the signing time: 1 to 604800; 3600 by default. */
  expiresIn?: number;
  /** The smallest and largest file, in bytes. */
  contentLengthRange?: [number, number];
  contentType?: string;
  successActionStatus?: '200' | '201' | '204' | 200 | 201 | 204;
  /** User metadata, names without the x-amz-meta- prefix. */
  metadata?: Record<string, string>;
  /** Other form fields, each also a condition of exactly its value (acl, success_action_redirect, x-amz-server-side-encryption, ...). */
  fields?: Record<string, string>;
  /** More conditions, in the policy only: `{ name: value }`, `['eq', '$name', value]` or `['starts-with', '$name', prefix]`. */
  conditions?: Array<Record<string, string> | ['starts-with' | 'eq', string, string]>;
  /** The form's action URL; by default the bucket's virtual-hosted URL (path-style for a bucket name with a dot). */
  url?: string | URL;
}

export interface PresignedPost {
  url: string;
  /** The form's fields in order; append the file after them, last. */
  fields: Record<string, string>;
  /** The policy document (JSON). */
  policy: string;
  /** The document in base64: the `policy` field, and the string to sign. */
  stringToSign: string;
  credentialScope: string;
  signature: string;
  /** When the policy expires, as the document writes it. */
  expiration: string;
}

/** Signs a POST policy for a browser upload straight to S3. `region` is required; `service` is 's3' by default. */
export declare function presignPost(policy: PostPolicy, options: Credentials & { region: string; service?: string; datetime?: Date | string | number }): PresignedPost;

/** A file for a POST upload: a browser's File (its name is the file part's), a Blob, bytes or text. */
export type PostFile = Blob | ArrayBuffer | ArrayBufferView | string;

export interface PostFormOptions {
  /** The object's key, for a policy whose key is a prefix (`uploads/${filename}`): S3 refuses one outside it (InvalidPolicyDocument). */
  key?: string;
  /** The file part's name, which S3 puts in place of `${filename}`; a File's own name, else 'file'. */
  filename?: string;
}

/** The FormData of a POST upload: `presigned.fields` in their order, then the file, last (as S3 requires). */
export declare function postForm(presigned: Pick<PresignedPost, 'url' | 'fields'>, file: PostFile, options?: PostFormOptions): FormData;

export interface PostUploadOptions extends PostFormOptions {
  /** The fetch to send with (default: the global one). */
  fetch?: (url: string, init: { method: 'POST'; body: FormData; signal?: AbortSignalInstance }) => Promise<Response>;
  /** Bytes sent so far and in all: the multipart body's, as they go, where there is XMLHttpRequest (browsers) and no `fetch` option; elsewhere the file's size, once, at the end. */
  onProgress?: (sent: number, total: number) => void;
  signal?: AbortSignalInstance;
}

/** S3's answer to a POST upload; `location`, `bucket`, `key` and `etag` where S3 says them (successActionStatus 201 has all). */
export interface PostUploadResult {
  status: number;
  location?: string;
  bucket?: string;
  key?: string;
  etag?: string;
}

/** S3's refusal of a POST upload: a SigV4Error whose `code` is 'S3_ERROR'. */
export interface S3Error extends SigV4Error {
  code: 'S3_ERROR';
  /** S3's error code (AccessDenied, InvalidPolicyDocument, EntityTooLarge, SignatureDoesNotMatch...); undefined when the answer was not S3's XML. */
  s3Code?: string;
  status: number;
  requestId?: string;
}

/** Uploads a file with a presigned POST policy (postForm, then a POST to its url); rejects with an S3Error when S3 refuses. */
export declare function uploadWithPost(presigned: Pick<PresignedPost, 'url' | 'fields'>, file: PostFile, options?: PostUploadOptions): Promise<PostUploadResult>;
