// Cloudflare Workers (workerd) and other edge runtimes that refuse to compile wasm from
// bytes: the .wasm is imported as a module, which the platform compiles at upload time.
import * as glue from '../../dist/gen/glue.js';
import wasmModule from './sigv4_bg.wasm';
import { createApi } from '../api.js';
import { loadWasmSync } from '../load.js';

let loaded = false;
function ensureLoaded() {
  if (loaded) return;
  loadWasmSync(glue, wasmModule);
  loaded = true;
}

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init } = createApi(
  glue,
  ensureLoaded,
  () => Promise.resolve().then(ensureLoaded),
);

/** Always 'wasm' here. */
export function getBackend() {
  ensureLoaded();
  return 'wasm';
}
