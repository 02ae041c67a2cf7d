// sigv4-wasm/verify in React Native (Hermes): verify over the wasm2js translation of the
// verifier's binary, with no wasm bytes in the bundle.
import * as glue from '../../dist/gen/verifier/glue.js';
import instantiateTranslated from '../../dist/gen/verifier/wasm2js.mjs';
import { createEntry, loadTranslated } from '../load.js';
import { createVerify, createVerifyChunked } from '../verify.js';

const { api, call } = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));
export const { SigV4Error, getBackend, fallbackReason } = api;
export const verify = createVerify(glue, call);
export const verifyChunked = createVerifyChunked(glue, call);
