// The signer as one classic script for Postman (postman/build.mjs bundles this into
// postman/sigv4.postman.js): the package's API over the wasm2js translation of the Postman
// binary (js/build.mjs: the signer without signingKeyDerivation), synchronous, with no
// WebAssembly, TextEncoder, crypto or globalThis needed.
//
// Only what the Postman scripts call (src/prerequest.js, src/credentials.js: sign, presign,
// inferScope) and what tells a failure apart (SigV4Error, getBackend, version) is made, each
// function on its own as the browsers' entry makes them, so that the bundle carries none of the
// rest: no signingKeyDerivation (the npm package has it), no init() or AwsClient (they
// need fetch or promises), no glue loader that names WebAssembly.
import {
  inferScope as infer,
  signRequest,
  __wbg_get_imports,
  __wbg_finalize_init,
} from '../../js/dist/gen/postman/glue.js';
import instantiateTranslated from '../../js/dist/gen/postman/wasm2js.mjs';
import { createInferScope, createPresign, createSign } from '../../js/src/api.js';
import { SigV4Error } from '../../js/src/errors.js';
import { createBackend, createGetBackend, loadTranslated } from '../../js/src/load.js';

const glue = { __wbg_get_imports, __wbg_finalize_init };
const calls = createBackend(glue, () => loadTranslated(glue, instantiateTranslated));
const sign = createSign(calls, signRequest);

// The library's one global: `var sigv4`, declared by postman/build.mjs's first line, set here to
// a plain object (an ES module's exports would cost a wrapper that copies them as getters).
sigv4 = {
  sign,
  presign: createPresign(calls, signRequest),
  inferScope: createInferScope(calls, infer),
  SigV4Error,
  /** Always 'js': the wasm2js translation of the Postman binary. */
  getBackend: createGetBackend(calls),
  /** The package version this file was built from (set by postman/build.mjs). */
  version: __SIGV4_VERSION__,
};
