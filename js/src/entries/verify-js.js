// sigv4-wasm/verify in React Native (Hermes): verify over the wasm2js translation of the
// servers' binary, with no wasm bytes in the bundle.
import * as glue from '../../dist/gen/server/glue.js';
import instantiateTranslated from '../../dist/gen/server/wasm2js.mjs';
import { createEntry, loadTranslated } from '../load.js';
import { createVerify } from '../verify.js';

const { api, call } = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));
export const { SigV4Error, getBackend, fallbackReason } = api;
export const verify = createVerify(glue, call);
