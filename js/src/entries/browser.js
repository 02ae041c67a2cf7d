// Browsers, bundlers and any runtime not named below (the default `browser`, `import` and
// `require` conditions): the signer alone, built for size, its wasm inlined so that signing
// is synchronous. No wasm2js translation and no verifier ride along: where WebAssembly is
// refused, the error names sigv4-wasm/js; verify is sigv4-wasm/verify.
import * as glue from '../../dist/gen/signer/glue.js';
import wasmBase64 from '../../dist/gen/signer/wasm-base64.js';
import { bytesFromBase64, createEntry, loadWasmAsync, loadWasmOrExplain } from '../load.js';

export const { sign, signAsync, presign, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init, getBackend } =
  createEntry(glue, () => loadWasmOrExplain(glue, bytesFromBase64(wasmBase64), 'sigv4-wasm/js'), {
    loadAsync: (input) => loadWasmAsync(glue, input),
  }).api;
