// The default entry (Node, browsers, Deno, Bun, bundlers): the real wasm, inlined so that
// loading is synchronous; where WebAssembly is missing or refuses the module (iOS
// JavaScriptCore, a CSP without 'wasm-unsafe-eval', old Chrome's 4 KB main-thread limit),
// the wasm2js translation of the same binary.
import * as glue from '../../dist/gen/glue.js';
import wasmBase64 from '../../dist/gen/wasm-base64.js';
import instantiateTranslated from '../../dist/gen/wasm2js.mjs';
import { bytesFromBase64, createEntry, loadTranslated, loadWasmAsync, loadWasmSync } from '../load.js';
import { nodeCryptoSha256 } from '../native-hash.js';

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init, getBackend } =
  createEntry(
    glue,
    () => {
      try {
        return loadWasmSync(glue, bytesFromBase64(wasmBase64));
      } catch (refused) {
        return loadTranslated(glue, instantiateTranslated);
      }
    },
    { loadAsync: (input) => loadWasmAsync(glue, input), nativeSha256: nodeCryptoSha256 },
  );
