// The signer as one classic script for Postman (postman/build.mjs bundles this into
// postman/sigv4.postman.js): the package's API over the wasm2js translation of the signer's
// binary (no verifier), synchronous, with no WebAssembly, TextEncoder, crypto or globalThis
// needed.
//
// Only the glue's synchronous exports are imported, so its async loaders (which name
// WebAssembly) are left out of the bundle; AwsClient and init() need fetch or promises and
// are left out of the exports.
import {
  inferScope as coreInferScope,
  signRequest,
  signingKeyDerivation as coreSigningKeyDerivation,
  __wbg_get_imports,
  __wbg_finalize_init,
} from '../../js/dist/gen/signer/glue.js';
import instantiateTranslated from '../../js/dist/gen/signer/wasm2js.mjs';
import { createEntry, loadTranslated } from '../../js/src/load.js';

const glue = {
  inferScope: coreInferScope,
  signRequest,
  signingKeyDerivation: coreSigningKeyDerivation,
  __wbg_get_imports,
  __wbg_finalize_init,
};

const { api } = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));

export const sign = api.sign;
export const presign = api.presign;
export const signingKeyDerivation = api.signingKeyDerivation;
export const inferScope = api.inferScope;
export const SigV4Error = api.SigV4Error;
/** Always 'js': the wasm2js translation of the package's binary. */
export const getBackend = api.getBackend;
/** The package version this file was built from (set by postman/build.mjs). */
export const version = __SIGV4_VERSION__;
