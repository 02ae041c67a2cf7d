// sigv4-wasm/verify outside servers (browsers, bundlers, other runtimes): verify over the
// servers' binary, its wasm inlined; where WebAssembly is missing or refused, its wasm2js
// translation.
import * as glue from '../../dist/gen/server/glue.js';
import wasmBytes from '../../dist/gen/server/wasm-bytes.js';
import instantiateTranslated from '../../dist/gen/server/wasm2js.mjs';
import { bytesOf, createEntry, loadTranslated, loadWasmSync } from '../load.js';
import { createVerify } from '../verify.js';

const { api, call } = createEntry(glue, () => {
  try {
    return loadWasmSync(glue, bytesOf(wasmBytes));
  } catch (refused) {
    return loadTranslated(glue, instantiateTranslated);
  }
});
export const { SigV4Error, getBackend } = api;
export const verify = createVerify(glue, call);
