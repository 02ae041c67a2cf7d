// The wasm-only entry: the real wasm, inlined; no fallback (a clear error where WebAssembly
// is unavailable).
import * as glue from '../../dist/gen/glue.js';
import wasmBase64 from '../../dist/gen/wasm-base64.js';
import { bytesFromBase64, createEntry, loadWasmAsync, loadWasmSync } from '../load.js';
import { nodeCryptoSha256 } from '../native-hash.js';

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init, getBackend } =
  createEntry(
    glue,
    () => {
      if (typeof WebAssembly === 'undefined') {
        throw new Error('sigv4-wasm/wasm: this runtime has no WebAssembly; import sigv4-wasm or sigv4-wasm/js instead');
      }
      return loadWasmSync(glue, bytesFromBase64(wasmBase64));
    },
    { loadAsync: (input) => loadWasmAsync(glue, input), nativeSha256: nodeCryptoSha256 },
  );
