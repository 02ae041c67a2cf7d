// React Native (Hermes): the translation of the native binary, the signer built for speed in
// an interpreter (js/build.mjs), with no wasm bytes in the bundle. Bodies of 1 KiB and more
// go to a `nativeHash` function where the app passes one (react-native-quick-crypto).
import * as glue from '../../dist/gen/native/glue.js';
import instantiateTranslated from '../../dist/gen/native/wasm2js.mjs';
import { createSignAsync } from '../api.js';
import { createAwsClient } from '../aws-client.js';
import { createEntry, loadTranslated } from '../load.js';

const entry = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));
export const { sign, presign, signingKeyDerivation, inferScope, SigV4Error, init, getBackend } = entry.api;
export const signAsync = /* @__PURE__ */ createSignAsync(sign, entry.calls);
/** aws4fetch's AwsClient over this entry's signer (aws-client.js). */
export const AwsClient = /* @__PURE__ */ createAwsClient({ sign, signAsync, presign });
/** A credentials provider, cached and refreshed ahead of expiry (credentials.js). */
export { cacheCredentials } from '../credentials.js';
