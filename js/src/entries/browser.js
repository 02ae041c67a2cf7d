// Browsers, bundlers and any runtime not named below (the default `browser`, `import` and
// `require` conditions): the signer alone, built for size, its wasm inlined so that signing
// is synchronous. No wasm2js translation and no verifier ride along: where WebAssembly is
// refused, the error names sigv4-wasm/js; verify is sigv4-wasm/verify.
import * as glue from '../../dist/gen/signer/glue.js';
import wasmBytes from '../../dist/gen/signer/wasm-bytes.js';
import { createSignAsync } from '../api.js';
import { createAwsClient } from '../aws-client.js';
import { bytesOf, createEntry, loadWasmAsync, loadWasmOrExplain } from '../load.js';

const entry = createEntry(glue, () => loadWasmOrExplain(glue, bytesOf(wasmBytes), 'sigv4-wasm/js'), {
  loadAsync: (input) => loadWasmAsync(glue, input),
});
export const { sign, presign, signingKeyDerivation, inferScope, SigV4Error, init, getBackend } = entry.api;
export const signAsync = /* @__PURE__ */ createSignAsync(entry);
/** aws4fetch's AwsClient over this entry's signer (aws-client.js). */
export const AwsClient = /* @__PURE__ */ createAwsClient({ sign, signAsync, presign });
/** A credentials provider, cached and refreshed ahead of expiry (credentials.js). */
export { cacheCredentials } from '../credentials.js';
