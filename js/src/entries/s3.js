// sigv4-wasm/s3 outside servers (browsers, bundlers, other runtimes): S3's chunked uploads
// and POST policies over the uploads binary (the signer with the feature `uploads`, built for
// size), its wasm inlined; where WebAssembly is missing or refused, its wasm2js translation.
// The signer's own binary stays without them (27 KB smaller). In Node, Deno, Bun and workerd
// sigv4-wasm/s3 is a facade over the servers' bundle instead (js/build.mjs), one instance for
// every subpath.
import * as glue from '../../dist/gen/uploads/glue.js';
import wasmBytes from '../../dist/gen/uploads/wasm-bytes.js';
import instantiateTranslated from '../../dist/gen/uploads/wasm2js.mjs';
import { bytesOf, createEntry, loadWasmOrTranslated } from '../load.js';
import { createUploads } from '../uploads.js';

// Where WebAssembly is refused, the translation, with one console.warn that says why
// (fallbackReason() to ask), as sigv4-wasm/verify does.
const { api, call } = createEntry(glue, () =>
  loadWasmOrTranslated(glue, bytesOf(wasmBytes), instantiateTranslated, 'sigv4-wasm/s3'));
export const { SigV4Error, getBackend, fallbackReason, inferScope } = api;
export const { signChunked, presignPost, postForm, uploadWithPost } = createUploads(glue, call, api.sign);
