// Cloudflare Workers (workerd) and other edge runtimes that refuse to compile wasm from
// bytes: the .wasm is imported as a module, which the platform compiles at upload time.
import * as glue from '../../dist/gen/glue.js';
import wasmModule from './sigv4_bg.wasm';
import { createEntry, loadWasmSync } from '../load.js';
import { nodeCryptoSha256 } from '../native-hash.js';

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init, getBackend } =
  createEntry(glue, () => loadWasmSync(glue, wasmModule), { nativeSha256: nodeCryptoSha256 });
