// sigv4-wasm/js (and Postman): the signer's wasm2js translation, the same binary
// as JavaScript, with no wasm bytes in the bundle. For runtimes without WebAssembly and pages
// whose Content-Security-Policy refuses it.
import * as glue from '../../dist/gen/signer/glue.js';
import instantiateTranslated from '../../dist/gen/signer/wasm2js.mjs';
import { createSignAsync } from '../api.js';
import { createAwsClient } from '../aws-client.js';
import { createEntry, loadTranslated } from '../load.js';
import { nodeCryptoSha256 } from '../native-hash.js';

const entry = createEntry(glue, () => loadTranslated(glue, instantiateTranslated), { nativeSha256: nodeCryptoSha256 });
export const { sign, presign, signingKeyDerivation, inferScope, SigV4Error, init, getBackend } = entry.api;
export const signAsync = /* @__PURE__ */ createSignAsync(sign, entry.calls);
/** aws4fetch's AwsClient over this entry's signer (aws-client.js). */
export const AwsClient = /* @__PURE__ */ createAwsClient({ sign, signAsync, presign });
/** A credentials provider, cached and refreshed ahead of expiry (credentials.js). */
export { cacheCredentials } from '../credentials.js';
