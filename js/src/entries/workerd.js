// Cloudflare Workers (workerd) and other edge runtimes that refuse to compile wasm from
// bytes: the servers' binary, imported as a module, which the platform compiles at upload
// time. Published through the facades workerd.mjs and workerd-verify.mjs, as server.js is.
import * as glue from '../../dist/gen/server/glue.js';
import wasmModule from './sigv4-server.wasm';
import { createSignAsync } from '../api.js';
import { createAwsClient } from '../aws-client.js';
import { createEntry, loadWasmSync } from '../load.js';
import { nodeCryptoCanonicalSha256, nodeCryptoSha256 } from '../native-hash.js';
import { createUploads } from '../uploads.js';
import { createVerify, createVerifyChunked } from '../verify.js';

const entry = createEntry(glue, () => loadWasmSync(glue, wasmModule), { nativeSha256: nodeCryptoSha256, canonicalSha256: nodeCryptoCanonicalSha256 });
export const { sign, presign, signingKeyDerivation, inferScope, SigV4Error, init, getBackend, fallbackReason } = entry.api;
export const signAsync = /* @__PURE__ */ createSignAsync(sign, entry.calls);
/** aws4fetch's AwsClient over this entry's signer (aws-client.js). */
export const AwsClient = /* @__PURE__ */ createAwsClient({ sign, signAsync, presign });
/** A credentials provider, cached and refreshed ahead of expiry (credentials.js). */
export { cacheCredentials } from '../credentials.js';
export const verify = createVerify(glue, entry.call);
export const verifyChunked = createVerifyChunked(glue, entry.call);
export const { signChunked, presignPost, postForm, uploadWithPost } = createUploads(glue, entry.call, sign);
