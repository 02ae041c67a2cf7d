// A presigned POST policy's form, filled and sent: presignPost (uploads.js, the core's policy
// and signature) gives { url, fields }; these put the file after the fields, as S3 requires,
// and turn S3's XML answer into a result or a SigV4Error S3_ERROR. Nothing here signs or
// decides: the fields go out exactly as signed (only `key`, within the policy's `starts-with`,
// may be chosen per file).
// Written without `class` or async functions, as api.js is, for Hermes.

import { SigV4Error } from './errors.js';
import { typeError } from './api.js';

/** The text of `<name>` in S3's XML answer, entities decoded; undefined when absent. */
function xmlText(xml, name) {
  const found = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  if (!found) return undefined;
  return found[1].replace(/&(lt|gt|quot|apos|amp);/g, (m, entity) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[entity]);
}

/** What to fix, for S3's refusals of a POST upload. */
const HINTS = {
  AccessDenied: 'the policy expired or its key may not write here: sign a new one (presignPost) just before the upload',
  SignatureDoesNotMatch: 'a form field changed after signing, or the secret is not the access key id\'s: send the fields exactly as presignPost returned them',
  InvalidPolicyDocument: 'a form field does not meet a condition of the policy: the key must keep the policy\'s prefix, and other fields their signed values',
  EntityTooLarge: 'the file is larger than the policy\'s contentLengthRange allows',
  EntityTooSmall: 'the file is smaller than the policy\'s contentLengthRange allows',
  RequestTimeTooSkewed: 'the policy was signed with a time more than 15 minutes from the server\'s: check the clock, or the datetime option',
  InvalidAccessKeyId: 'the server does not know the access key id the policy was signed with',
  NoSuchBucket: 'the form posts to a bucket that does not exist: check presignPost\'s bucket and url',
};

/** S3's XML error answer (or any other failed one) as a SigV4Error S3_ERROR with `s3Code`, `status` and `requestId`. */
function s3Error(status, body) {
  const text = typeof body === 'string' ? body : '';
  const code = xmlText(text, 'Code');
  const said = xmlText(text, 'Message');
  const hint = code && HINTS[code];
  const what = code ? `${code}${said ? `: ${said}` : ''}` : `an answer that is not S3's XML error${text ? ` (${text.slice(0, 200)})` : ''}`;
  const error = SigV4Error('S3_ERROR', `sigv4-wasm: S3 refused the POST upload (HTTP ${status}, ${what})${hint ? `; ${hint}` : ''}`);
  error.s3Code = code;
  error.status = status;
  error.requestId = xmlText(text, 'RequestId');
  return error;
}

/** The file as a Blob and its name: a File, a Blob, bytes or a string. */
function blobOf(file, filename) {
  if (typeof Blob !== 'function') throw typeError('this runtime has no Blob: build the multipart body from presigned.fields yourself');
  const name = filename !== undefined ? filename : file && typeof file.name === 'string' && file.name ? file.name : 'file';
  if (typeof name !== 'string') throw typeError('filename must be a string');
  if (file instanceof Blob) return { blob: file, name };
  if (typeof file === 'string' || file instanceof ArrayBuffer || ArrayBuffer.isView(file)) return { blob: new Blob([file]), name };
  throw typeError('the file must be a File, Blob, Uint8Array, ArrayBuffer or string');
}

function presignedOf(presigned) {
  if (!presigned || typeof presigned.url !== 'string' || !presigned.fields || typeof presigned.fields !== 'object') {
    throw typeError("the first argument must be presignPost's result: { url, fields }");
  }
  return presigned;
}

/**
 * The FormData of a POST upload: presigned.fields in their order, then the file, last (S3
 * ignores fields after it). options: `key` (the object's key, for a policy whose key is a
 * prefix: `uploads/${filename}`; S3 refuses one outside it), `filename` (the file part's name,
 * which S3 puts in place of `${filename}`; a File's own name by default).
 */
export function postForm(presigned, file, options) {
  return formOf(presigned, file, options || {}).form;
}

/** postForm's FormData, and the file's size. */
function formOf(presigned, file, opts) {
  presignedOf(presigned);
  if (typeof FormData !== 'function') throw typeError('this runtime has no FormData: build the multipart body from presigned.fields yourself');
  if (opts.key !== undefined && typeof opts.key !== 'string') throw typeError('key must be a string');
  const { blob, name } = blobOf(file, opts.filename);
  const form = new FormData();
  Object.keys(presigned.fields).forEach((field) => {
    form.append(field, field === 'key' && opts.key !== undefined ? opts.key : presigned.fields[field]);
  });
  form.append('file', blob, name);
  return { form, size: blob.size };
}

/** The result of a successful upload from S3's answer: its status and, when S3 says them, where it stored the file. */
function resultOf(status, text, headers) {
  return {
    status,
    location: xmlText(text, 'Location') || headers('location') || undefined,
    bucket: xmlText(text, 'Bucket'),
    key: xmlText(text, 'Key'),
    etag: xmlText(text, 'ETag') || headers('etag') || undefined,
  };
}

/** The upload with XMLHttpRequest, for its upload progress events. */
function sendWithXhr(presigned, form, opts) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', presigned.url);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) opts.onProgress(event.loaded, event.total);
    };
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, headers: (name) => xhr.getResponseHeader(name) });
    xhr.onerror = () => reject(new TypeError(`sigv4-wasm: the POST upload to ${presigned.url} failed before S3 answered (network, or CORS: the bucket's CORS rules must allow POST from this origin)`));
    xhr.onabort = () => reject(opts.signal && opts.signal.reason ? opts.signal.reason : new Error('the upload was aborted'));
    if (opts.signal) opts.signal.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}

/**
 * Uploads `file` with a presigned POST policy: postForm, then a POST to presigned.url.
 * Resolves with { status, location, bucket, key, etag } (S3's answer: with
 * successActionStatus 201 it names them); rejects with a SigV4Error S3_ERROR (`s3Code`,
 * `status`) when S3 refuses. options: postForm's, `fetch` (default: the global one),
 * `onProgress(sent, total)` (where there is XMLHttpRequest and no `fetch` option, it sends
 * with it and reports the multipart body's bytes as they go; elsewhere the file's size once,
 * at the end), `signal` (an AbortSignal).
 */
export function uploadWithPost(presigned, file, options) {
  const opts = options || {};
  let form;
  let size;
  try {
    ({ form, size } = formOf(presigned, file, opts));
  } catch (error) {
    return Promise.reject(error);
  }
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') return Promise.reject(typeError('onProgress must be a function'));
  const useXhr = opts.onProgress && !opts.fetch && typeof XMLHttpRequest === 'function';
  let sent;
  if (useXhr) sent = sendWithXhr(presigned, form, opts);
  else {
    const fetcher = opts.fetch || (typeof fetch === 'function' ? fetch : undefined);
    if (typeof fetcher !== 'function') return Promise.reject(typeError('this runtime has no fetch: pass options.fetch'));
    sent = Promise.resolve(fetcher(presigned.url, { method: 'POST', body: form, signal: opts.signal })).then((response) =>
      response.text().then((text) => ({ status: response.status, text, headers: (name) => response.headers.get(name) })));
  }
  return sent.then((answer) => {
    if (answer.status < 200 || answer.status >= 300) throw s3Error(answer.status, answer.text);
    if (opts.onProgress && !useXhr) opts.onProgress(size, size); // the file's bytes, all sent
    return resultOf(answer.status, answer.text, answer.headers);
  });
}
