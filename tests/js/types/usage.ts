// Compiled by tests/js/types.test.mjs with tsc --strict: the package's declarations must
// accept what the README shows and reject what the API rejects.
import { sign, signAsync, presign, signingKeyDerivation, inferScope, init, getBackend, AwsClient, SigV4Error, cacheCredentials } from 'sigv4-wasm';
import type { SignedRequest, PresignedRequest, SigV4ErrorCode, SignedFetchArguments } from 'sigv4-wasm';
import { verify, SigV4Error as VerifyError } from 'sigv4-wasm/verify';
import type { Verified } from 'sigv4-wasm/verify';
// @ts-expect-error verify is sigv4-wasm/verify's, in every runtime
import { verify as notHere } from 'sigv4-wasm';
import * as js from 'sigv4-wasm/js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const signed: SignedRequest = sign({ method: 'GET', url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod' }, { ...credentials, datetime: new Date() });
const authorization: string = signed.authorization;
const headers: Record<string, string> = signed.headers;
const presigned: PresignedRequest = presign({ url: new URL('https://b.s3.amazonaws.com/k') }, { ...credentials, expiresIn: 60, s3: true });
const expires: number = presigned.expiresIn;
sign({ url: '/p', headers: [['host', 'h'], ['x-a', 'b']], body: new Uint8Array(2) }, { ...credentials, region: 'us-east-1', service: 'x', unsignedPayload: true, pathInput: 'unencoded' });
sign({ url: '/p', headers: { host: 'h', 'x-list': ['a', 'b'] }, body: new URLSearchParams('a=1') }, { ...credentials, queryPlus: 'space', signHeaders: ['user-agent'] });
const verified: Verified = verify({ url: '/p', headers: signed.headers }, { region: 'us-east-1', service: 'execute-api', lookup: (id) => (id === 'AKIDEXAMPLE' ? { secretAccessKey: 'secret' } : null) });
const scope: { region?: string; service?: string } = inferScope('sts.amazonaws.com');
const steps: string = signingKeyDerivation({ secretAccessKey: 's', date: '20150830', region: 'r', service: 'v' }).kSigning;
const ready: Promise<void> = init();
const backend: 'wasm' | 'js' = getBackend() ?? js.getBackend();
const client = new AwsClient({ ...credentials, service: 'execute-api' });
const response: Promise<Response> = client.fetch('https://abc.execute-api.us-east-1.amazonaws.com/prod', { method: 'POST', body: '{}', aws: { signQuery: false } });
// AwsClient is aws4fetch's (aws4fetch.ts compares the two where aws4fetch's types compile: with the DOM library).
const retrying = new AwsClient({ ...credentials, sessionToken: 't', cache: new Map(), retries: 0, initRetryMs: 20, sleep: async () => {}, random: () => 0.5 });
const signedRequest: Promise<Request> = retrying.sign(new Request('https://b.s3.amazonaws.com/k', { method: 'PUT', body: 'x' }),
  { aws: { signQuery: true, allHeaders: true, singleEncode: true, appendSessionToken: true, datetime: '20150830T123600Z', expiresIn: 60 } });
const details: Promise<SignedFetchArguments> = retrying.signDetails(new URL('https://b.s3.amazonaws.com/k'));
const sent: Promise<Response> = retrying.signDetails('https://b.s3.amazonaws.com/k').then(({ url, init }) => fetch(url, init));
const synchronous: string = retrying.signSync('https://b.s3.amazonaws.com/k', { body: new Uint8Array(1) }).signed.signature;
void signedRequest, details, sent, synchronous;
// @ts-expect-error retries is a number
new AwsClient({ ...credentials, retries: '3' });
// @ts-expect-error signQuery is a flag
retrying.sign('https://h/', { aws: { signQuery: 'yes' } });
// @ts-expect-error the credentials are required
new AwsClient({ region: 'us-east-1' });
// Credentials as a value or a provider (sync or async), cached by cacheCredentials.
const provided = new AwsClient({ credentials: async () => ({ ...credentials, sessionToken: 't', expiration: '2030-01-01T00:00:00Z' }), now: () => Date.now() });
new AwsClient({ credentials: () => ({ ...credentials, expiration: new Date() }) });
new AwsClient({ credentials });
const offset: number = provided.clockOffsetMs;
const cached = cacheCredentials(() => credentials, { marginMs: 60000 });
const fresh: Promise<string> = cached().then((c) => c.accessKeyId);
const peeked: string | undefined = cached.peek()?.accessKeyId;
void offset, fresh, peeked;
// @ts-expect-error either credentials or the keys, not both
new AwsClient({ credentials, accessKeyId: 'A', secretAccessKey: 's' });
// @ts-expect-error a provider returns credentials
new AwsClient({ credentials: () => 'AKID' });
try {
  sign({ url: 'x' }, credentials);
} catch (error) {
  if (error instanceof SigV4Error) {
    const code: SigV4ErrorCode = error.code;
    const detail: string | undefined = error.canonicalRequest;
    void code, detail;
  }
}

// @ts-expect-error the url is required
sign({ method: 'GET' }, credentials);
// @ts-expect-error expiresIn belongs to presign
sign({ url: 'https://h/' }, { ...credentials, expiresIn: 60 });
// @ts-expect-error pathInput is 'encoded' or 'unencoded'
sign({ url: 'https://h/' }, { ...credentials, pathInput: 'raw' });
const later: Promise<SignedRequest> = signAsync({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', body: new Blob(['x']) },
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', nativeHash: (bytes: Uint8Array) => bytes.subarray(0, 32) });
void later;
// @ts-expect-error nativeHash returns the hash, not a promise
sign({ url: 'https://b.s3.amazonaws.com/k' }, { accessKeyId: 'A', secretAccessKey: 's', nativeHash: async () => 'x' });
const sameError: SigV4Error = new VerifyError('SIGNATURE_MISMATCH', 'm');
void sameError;
void notHere;
// @ts-expect-error verify needs a lookup
verify({ url: '/p' }, { region: 'r', service: 's' });
// @ts-expect-error codes are a closed set
const unknown: SigV4ErrorCode = 'NOT_A_CODE';

void authorization, headers, expires, verified, scope, steps, ready, backend, response, unknown;

// sigv4-wasm/s3: chunked uploads and POST policies.
import { signChunked, presignPost } from 'sigv4-wasm/s3';
import type { SignedChunkedUpload, PresignedPost } from 'sigv4-wasm/s3';
// @ts-expect-error signChunked is sigv4-wasm/s3's, in every runtime
import { signChunked as notInTheSigner } from 'sigv4-wasm';
const upload: SignedChunkedUpload = signChunked({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k' }, { ...credentials, decodedLength: 10, checksum: 'crc32c', chunkSize: 8192 });
const framed: Uint8Array[] = upload.encoder().write(new Uint8Array(10));
const transform = upload.stream();   // a TransformStream where the libraries declare one (aws4fetch.ts, DOM only, pipes it)
const encodedLength: number = upload.encodedLength;
// @ts-expect-error a chunked upload's length is required
signChunked({ url: 'https://b.s3.amazonaws.com/k' }, { ...credentials });
// @ts-expect-error md5 is no trailing checksum S3 takes
signChunked({ url: 'https://b.s3.amazonaws.com/k' }, { ...credentials, decodedLength: 1, checksum: 'md5' });
const post: PresignedPost = presignPost({ bucket: 'b', key: 'uploads/${filename}', contentLengthRange: [1, 100], conditions: [['starts-with', '$Content-Type', 'image/']] }, { ...credentials, region: 'us-east-1' });
const formFields: Record<string, string> = post.fields;
// @ts-expect-error presignPost needs the region
presignPost({ bucket: 'b', key: 'k' }, { ...credentials });
// The form, filled and sent: S3's refusal rejects with an S3Error.
import { postForm, uploadWithPost } from 'sigv4-wasm/s3';
import type { PostUploadResult, S3Error } from 'sigv4-wasm/s3';
const form: FormData = postForm(post, new Uint8Array(3), { key: 'uploads/a.bin' });
const uploaded: Promise<PostUploadResult> = uploadWithPost(post, 'text', { onProgress: (sent: number, total: number) => sent / total });
uploaded.catch((error: S3Error) => error.s3Code === 'AccessDenied' && error.status === 403);
// @ts-expect-error the file is bytes, a Blob or text
postForm(post, 42);
// @ts-expect-error the key is a string
uploadWithPost(post, 'text', { key: 1 });
