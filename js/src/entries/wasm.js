// The wasm-only entry: the real wasm, inlined; no fallback (a clear error where WebAssembly
// is unavailable).
import * as glue from '../../dist/gen/glue.js';
import wasmBase64 from '../../dist/gen/wasm-base64.js';
import { createApi } from '../api.js';
import { bytesFromBase64, loadWasmAsync, loadWasmSync } from '../load.js';

let loaded = false;
function ensureLoaded() {
  if (loaded) return;
  if (typeof WebAssembly === 'undefined') {
    throw new Error('sigv4-wasm/wasm: this runtime has no WebAssembly; import sigv4-wasm or sigv4-wasm/js instead');
  }
  loadWasmSync(glue, bytesFromBase64(wasmBase64));
  loaded = true;
}

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init } = createApi(
  glue,
  ensureLoaded,
  (input) => loadWasmAsync(glue, input).then(() => {
    loaded = true;
  }),
);

/** Always 'wasm' here. */
export function getBackend() {
  ensureLoaded();
  return 'wasm';
}
