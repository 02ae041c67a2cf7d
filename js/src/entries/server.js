// Servers (Node, Deno, Bun): the whole API, verify included, built for speed, its wasm inlined.
// js/build.mjs publishes it through two facades, node.* (sigv4-wasm) and node-verify.*
// (sigv4-wasm/verify), so that both subpaths share one instance.
import * as glue from '../../dist/gen/server/glue.js';
import wasmBytes from '../../dist/gen/server/wasm-bytes.js';
import { createSignAsync } from '../api.js';
import { createAwsClient } from '../aws-client.js';
import { bytesOf, createEntry, loadWasmAsync, loadWasmOrExplain } from '../load.js';
import { nodeCryptoCanonicalSha256, nodeCryptoSha256 } from '../native-hash.js';
import { createUploads } from '../uploads.js';
import { createVerify, createVerifyChunked } from '../verify.js';

const entry = createEntry(glue, () => loadWasmOrExplain(glue, bytesOf(wasmBytes), 'sigv4-wasm/js'), {
  loadAsync: (input) => loadWasmAsync(glue, input),
  nativeSha256: nodeCryptoSha256,
  canonicalSha256: nodeCryptoCanonicalSha256,
});
export const { sign, presign, signingKeyDerivation, inferScope, SigV4Error, init, getBackend, fallbackReason } = entry.api;
export const signAsync = /* @__PURE__ */ createSignAsync(sign, entry.calls);
/** aws4fetch's AwsClient over this entry's signer (aws-client.js). */
export const AwsClient = /* @__PURE__ */ createAwsClient({ sign, signAsync, presign });
/** A credentials provider, cached and refreshed ahead of expiry (credentials.js). */
export { cacheCredentials } from '../credentials.js';
export const verify = createVerify(glue, entry.call);
export const verifyChunked = createVerifyChunked(glue, entry.call);
export const { signChunked, presignPost, postForm, uploadWithPost } = createUploads(glue, entry.call, sign);
