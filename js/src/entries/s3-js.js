// sigv4-wasm/s3 for React Native (Hermes) and runtimes without WebAssembly: the uploads
// binary's wasm2js translation (the signer with S3's chunked uploads and POST policies).
import * as glue from '../../dist/gen/uploads/glue.js';
import instantiateTranslated from '../../dist/gen/uploads/wasm2js.mjs';
import { createEntry, loadTranslated } from '../load.js';
import { createUploads } from '../uploads.js';

const { api, call } = createEntry(glue, () => loadTranslated(glue, instantiateTranslated));
export const { SigV4Error, getBackend, fallbackReason, inferScope } = api;
export const { signChunked, presignPost, postForm, uploadWithPost } = createUploads(glue, call, api.sign);
