// Browsers, bundlers and any runtime not named below (the default `browser`, `import` and
// `require` conditions): the signer alone, built for size, its wasm inlined so that signing
// is synchronous. No wasm2js translation and no verifier ride along: where WebAssembly is
// refused, the error names sigv4-wasm/js; verify is sigv4-wasm/verify.
// Each export is made by its own call, annotated /* @__PURE__ */ (kept in dist/browser.mjs:
// js/build.mjs), and the glue's functions are imported by name, so that a bundler leaves out
// what an app does not use: an app that imports only sign carries no presign, init, AwsClient
// or signAsync, nor the glue's signingKeyDerivation and inferScope.
import { __wbg_finalize_init, __wbg_get_imports, inferScope as infer, signRequest, signingKeyDerivation as derive } from '../../dist/gen/signer/glue.js';
import wasmBytes from '../../dist/gen/signer/wasm-bytes.js';
import { createInferScope, createPresign, createSign, createSignAsync, createSigningKeyDerivation } from '../api.js';
import { createAwsClient } from '../aws-client.js';
import { SigV4Error } from '../errors.js';
import { bytesOf, createBackend, createGetBackend, createInit, loadWasmAsync, loadWasmOrExplain } from '../load.js';

const glue = { __wbg_finalize_init, __wbg_get_imports };
const calls = createBackend(glue, () => loadWasmOrExplain(glue, bytesOf(wasmBytes), 'sigv4-wasm/js'));
export const sign = /* @__PURE__ */ createSign(calls, signRequest);
export const presign = /* @__PURE__ */ createPresign(calls, signRequest);
export const signingKeyDerivation = /* @__PURE__ */ createSigningKeyDerivation(calls, derive);
export const inferScope = /* @__PURE__ */ createInferScope(calls, infer);
export const init = /* @__PURE__ */ createInit(calls, (input) => loadWasmAsync(glue, input));
export const getBackend = /* @__PURE__ */ createGetBackend(calls);
export const signAsync = /* @__PURE__ */ createSignAsync(sign, calls);
/** aws4fetch's AwsClient over this entry's signer (aws-client.js). */
export const AwsClient = /* @__PURE__ */ createAwsClient({ sign, signAsync, presign });
/** A credentials provider, cached and refreshed ahead of expiry (credentials.js). */
export { cacheCredentials } from '../credentials.js';
export { SigV4Error };
