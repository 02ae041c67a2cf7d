// The JavaScript-only entry (React Native/Hermes, Postman, strict CSPs): the wasm2js
// translation of the same binary, with no wasm bytes in the bundle.
import * as glue from '../../dist/gen/glue.js';
import instantiateTranslated from '../../dist/gen/wasm2js.mjs';
import { createEntry, loadTranslated } from '../load.js';
import { nodeCryptoSha256 } from '../native-hash.js';

export const { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init, getBackend } =
  createEntry(glue, () => loadTranslated(glue, instantiateTranslated), { nativeSha256: nodeCryptoSha256 });
