// The default entry (Node, browsers, Deno, Bun, bundlers): the real wasm, inlined so that
// loading is synchronous; where WebAssembly is missing or refuses the module (iOS
// JavaScriptCore, a CSP without 'wasm-unsafe-eval', old Chrome's 4 KB main-thread limit),
// the wasm2js translation of the same binary.
import * as glue from '../../dist/gen/glue.js';
import wasmBase64 from '../../dist/gen/wasm-base64.js';
import instantiateTranslated from '../../dist/gen/wasm2js.mjs';
import { createApi } from '../api.js';
import { bytesFromBase64, loadTranslated, loadWasmAsync, loadWasmSync } from '../load.js';

let backend;
function ensureLoaded() {
  if (backend) return;
  try {
    loadWasmSync(glue, bytesFromBase64(wasmBase64));
    backend = 'wasm';
  } catch (refused) {
    loadTranslated(glue, instantiateTranslated);
    backend = 'js';
  }
}

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init } = createApi(
  glue,
  ensureLoaded,
  (input) => loadWasmAsync(glue, input).then(() => {
    backend = backend || 'wasm';
  }),
);

/** Which backend signs: 'wasm' or 'js' (the wasm2js translation). Loads it if needed. */
export function getBackend() {
  ensureLoaded();
  return backend;
}
