// sigv4-wasm/verify outside servers (browsers, bundlers, other runtimes): verify over the
// verifier's binary (the signer and verifyRequest, built for size), its wasm inlined; where WebAssembly is missing or refused, its wasm2js
// translation, with one console.warn that says why (and fallbackReason() to ask).
import * as glue from '../../dist/gen/verifier/glue.js';
import wasmBytes from '../../dist/gen/verifier/wasm-bytes.js';
import instantiateTranslated from '../../dist/gen/verifier/wasm2js.mjs';
import { bytesOf, createEntry, loadWasmOrTranslated } from '../load.js';
import { createVerify, createVerifyChunked } from '../verify.js';

const { api, call } = createEntry(glue, () =>
  loadWasmOrTranslated(glue, bytesOf(wasmBytes), instantiateTranslated, 'sigv4-wasm/verify'));
export const { SigV4Error, getBackend, fallbackReason } = api;
export const verify = createVerify(glue, call);
export const verifyChunked = createVerifyChunked(glue, call);
