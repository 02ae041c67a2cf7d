// The JavaScript-only entry (React Native/Hermes, Postman, strict CSPs): the wasm2js
// translation of the same binary, with no wasm bytes in the bundle.
import * as glue from '../../dist/gen/glue.js';
import instantiateTranslated from '../../dist/gen/wasm2js.mjs';
import { createApi } from '../api.js';
import { loadTranslated } from '../load.js';

let loaded = false;
function ensureLoaded() {
  if (loaded) return;
  loadTranslated(glue, instantiateTranslated);
  loaded = true;
}

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init } = createApi(
  glue,
  ensureLoaded,
  () => Promise.resolve().then(ensureLoaded),
);

/** Always 'js' here. */
export function getBackend() {
  ensureLoaded();
  return 'js';
}
