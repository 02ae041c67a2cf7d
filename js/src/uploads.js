// S3's other upload forms over the core: signed chunked uploads (src/chunked.rs) and presigned
// POST policies (src/post_policy.rs), through the calls of src/bindings/uploads.rs.
//
// A chunked upload's state is JavaScript's: the binary's instance keeps nothing between calls
// (api.js puts it back as new whenever a call leaves anything allocated), so each chunk goes
// into `encodeChunk` with the previous signature and the checksum's state, and both come back
// for the next. What holds memory is one chunk here and one framed chunk on its way out: a
// 5 GB body streams in the same memory as a 5 MB one.
// Written without `class`, async generators or for-await, as api.js is, for Hermes.

import { SigV4Error } from './errors.js';
import {
  CHUNKED_UPLOAD, CHUNKED_UPLOAD_RESULT, ENCODED_CHUNK, ENCODE_CHUNK, PRESIGNED_POST, PRESIGN_POST, SEP, at, encode,
} from './protocol.js';
import { Utf8Encoder } from './utf8.js';
import { datetimeOf, headersOf, optionalString, optionsOf, requestOf, typeError } from './api.js';
import { postForm, uploadWithPost } from './post-form.js';
import { transformPieces } from './pieces.js';

const utf8 = new Utf8Encoder();
const UPLOAD_FIELD = at(CHUNKED_UPLOAD);
const UPLOAD_RESULT = at(CHUNKED_UPLOAD_RESULT);
const CHUNK_FIELD = at(ENCODE_CHUNK);
const CHUNK_RESULT = at(ENCODED_CHUNK);
const POST_FIELD = at(PRESIGN_POST);
const POST_RESULT = at(PRESIGNED_POST);

/** A whole number of bytes or seconds as the protocol's decimal digits ('' when absent). */
function count(value, name) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'number' || !(value >= 0) || Math.floor(value) !== value || value > Number.MAX_SAFE_INTEGER) {
    throw typeError(`${name} must be a whole number, not ${typeof value === 'number' ? value : typeof value}`);
  }
  return String(value);
}

/** The bytes of one piece of a body: a Uint8Array, another view, an ArrayBuffer or a string. */
function piece(value) {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return utf8.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw typeError('a chunked upload takes the body as Uint8Array, ArrayBuffer or string pieces');
}

/** `name\0value...` as [name, value] pairs. */
function pairsOf(joined) {
  const parts = joined ? joined.split(SEP) : [];
  const pairs = [];
  for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i], parts[i + 1]]);
  return pairs;
}

/** Builds signChunked and presignPost around a build's glue, its `call` and its `sign`. */
export function createUploads(glue, call, sign) {
  /**
   * Signs the seed request of a chunked upload and returns it, with the encoders of its body.
   * options: the credentials and rules of sign(), and `decodedLength` (the body's length),
   * `chunkSize` (8 KiB to 16 MiB, 64 KiB by default), `checksum` ('crc32', 'crc32c' or
   * 'sha256': in a trailer), `payloadHash` (the mode, STREAMING-…: by default signed chunks,
   * with a signed trailer when there is a checksum).
   */
  function signChunked(request, options) {
    requestOf(request);
    optionsOf(options);
    if (request.body !== undefined && request.body !== null) {
      throw typeError("a chunked upload's body goes through its encoder (stream(), encode() or encoder()), not request.body");
    }
    const headers = headersOf(request.headers);
    const fields = new Array(CHUNKED_UPLOAD.length);
    fields[UPLOAD_FIELD.payloadHash] = optionalString(options.payloadHash, 'payloadHash', 'INVALID_CHUNKED_UPLOAD');
    fields[UPLOAD_FIELD.decodedLength] = count(options.decodedLength, 'decodedLength');
    if (fields[UPLOAD_FIELD.decodedLength] === '') throw typeError("decodedLength, the body's length in bytes, is required");
    fields[UPLOAD_FIELD.chunkSize] = count(options.chunkSize, 'chunkSize');
    fields[UPLOAD_FIELD.checksum] = optionalString(options.checksum, 'checksum', 'INVALID_CHUNKED_UPLOAD');
    const out = call(() => glue.chunkedUpload(encode(CHUNKED_UPLOAD, fields, headers))).split(SEP);
    const payloadHash = out[UPLOAD_RESULT.payloadHash];
    const seedHeaders = pairsOf(headers).concat(pairsOf(out.slice(CHUNKED_UPLOAD_RESULT.length).join(SEP)));
    const signed = sign(
      { method: request.method, url: request.url, query: request.query, headers: seedHeaders },
      Object.assign({}, options, { payloadHash, unsignedPayload: false }),
    );
    const upload = {
      payloadHash,
      decodedLength: Number(fields[UPLOAD_FIELD.decodedLength]),
      encodedLength: Number(out[UPLOAD_RESULT.encodedLength]),
      chunkSize: Number(out[UPLOAD_RESULT.chunkSize]),
      checksum: fields[UPLOAD_FIELD.checksum],
      secretAccessKey: optionalString(options.secretAccessKey, 'secretAccessKey'),
    };
    const result = Object.assign({}, signed, {
      decodedLength: upload.decodedLength,
      encodedLength: upload.encodedLength,
      chunkSize: upload.chunkSize,
      trailer: out[UPLOAD_RESULT.checksum] || undefined,
    });
    /** A synchronous encoder: write(bytes) returns the chunks they complete, framed (maybe
     * none: an empty array), end() the rest and the end of the body. */
    result.encoder = () => framer(upload, signed);
    /** A TransformStream from the body's bytes to the encoded body. */
    result.stream = () => {
      if (typeof TransformStream !== 'function') throw typeError('this runtime has no TransformStream; use encode() or encoder()');
      const frames = framer(upload, signed);
      return new TransformStream({
        transform(bytes, controller) {
          frames.write(bytes).forEach((frame) => controller.enqueue(frame));
        },
        flush(controller) {
          controller.enqueue(frames.end());
        },
      });
    };
    /** The encoded body, as an async iterator over the framed chunks of `source` (an async or
     * sync iterable of byte pieces, or a ReadableStream). */
    result.encode = (source) => {
      const frames = framer(upload, signed);
      return transformPieces(source, frames.write, () => [frames.end()], 'encode');
    };
    return result;
  }

  /** The encoder's state machine: one chunk buffered, the chain and checksum carried. */
  function framer(upload, signed) {
    const size = upload.chunkSize;
    let buffer = new Uint8Array(size);
    let filled = 0;
    let written = 0;
    let previous = signed.signature;
    let state = '';
    let ended = false;

    function frame(chunk, last) {
      const fields = new Array(ENCODE_CHUNK.length);
      fields[CHUNK_FIELD.secretAccessKey] = upload.secretAccessKey;
      fields[CHUNK_FIELD.datetime] = signed.datetime;
      fields[CHUNK_FIELD.region] = signed.region;
      fields[CHUNK_FIELD.service] = signed.service;
      fields[CHUNK_FIELD.payloadHash] = upload.payloadHash;
      fields[CHUNK_FIELD.decodedLength] = String(upload.decodedLength);
      fields[CHUNK_FIELD.chunkSize] = String(size);
      fields[CHUNK_FIELD.checksum] = upload.checksum;
      fields[CHUNK_FIELD.written] = String(written);
      fields[CHUNK_FIELD.last] = last ? 'true' : 'false';
      fields[CHUNK_FIELD.previousSignature] = previous;
      fields[CHUNK_FIELD.checksumState] = state;
      const out = call(() => glue.encodeChunk(encode(ENCODE_CHUNK, fields, ''), chunk)).split(SEP);
      const head = utf8.encode(out[CHUNK_RESULT.head]);
      const tail = utf8.encode(out[CHUNK_RESULT.tail]);
      const framed = new Uint8Array(head.length + chunk.length + tail.length);
      framed.set(head, 0);
      framed.set(chunk, head.length);
      framed.set(tail, head.length + chunk.length);
      written += chunk.length;
      previous = out[CHUNK_RESULT.signature];
      state = out[CHUNK_RESULT.checksumState];
      return framed;
    }

    function open() {
      if (ended) throw SigV4Error('INVALID_CHUNKED_UPLOAD', 'the chunked upload is finished: nothing can be written after end()');
    }

    return {
      write(value) {
        open();
        const bytes = piece(value);
        const frames = [];
        let at = 0;
        while (at < bytes.length) {
          if (filled === 0 && bytes.length - at >= size) {
            frames.push(frame(bytes.subarray(at, at + size), false)); // straight from the input
            at += size;
            continue;
          }
          const take = Math.min(size - filled, bytes.length - at);
          buffer.set(bytes.subarray(at, at + take), filled);
          filled += take;
          at += take;
          if (filled === size) {
            frames.push(frame(buffer, false));
            filled = 0;
          }
        }
        return frames;
      },
      end() {
        open();
        const last = frame(buffer.subarray(0, filled), true);
        ended = true;
        buffer.fill(0);
        buffer = new Uint8Array(0);
        return last;
      },
      /** The last signature of the chain: the trailer's (or the final chunk's) after end(). */
      get previousSignature() {
        return previous;
      },
    };
  }

  /** The conditions option as tagged pairs: `{ name: value }` (equals) and
   * `['starts-with' | 'eq', '$name', value]`. */
  function conditionPairs(conditions, pairs) {
    if (conditions === undefined || conditions === null) return;
    if (!Array.isArray(conditions)) throw typeError('conditions must be an array');
    conditions.forEach((condition) => {
      if (Array.isArray(condition) && condition.length === 3 && typeof condition[1] === 'string' && condition[1][0] === '$') {
        const kind = condition[0] === 'starts-with' ? 'starts-with' : condition[0] === 'eq' ? 'equals' : undefined;
        if (!kind) throw typeError(`a condition ['${condition[0]}', ...] is not one presignPost writes; use 'starts-with' or 'eq' (and contentLengthRange)`);
        pairs.push(`${kind}:${condition[1].slice(1)}`, optionalString(condition[2], 'a condition value', 'INVALID_POST_POLICY'));
      } else if (condition && typeof condition === 'object' && !Array.isArray(condition)) {
        Object.keys(condition).forEach((name) => pairs.push(`equals:${name}`, optionalString(condition[name], name, 'INVALID_POST_POLICY')));
      } else {
        throw typeError("a condition must be { name: value } or ['starts-with', '$name', prefix]");
      }
    });
  }

  /** Name/value pairs of an object option, tagged with `kind`. */
  function objectPairs(value, kind, name, pairs) {
    if (value === undefined || value === null) return;
    if (typeof value !== 'object' || Array.isArray(value)) throw typeError(`${name} must be an object of names and values`);
    Object.keys(value).forEach((key) => pairs.push(`${kind}:${key}`, optionalString(value[key], key, 'INVALID_POST_POLICY')));
  }

  /**
   * A presigned POST policy: `{ url, fields }` for an HTML form (or FormData) that uploads a
   * file straight to S3, and the policy, its string to sign and signature.
   * policy: bucket, key (ending in ${filename}: any key with that prefix), expiresIn (seconds,
   * default 3600), contentLengthRange [min, max], contentType, successActionStatus, metadata,
   * fields, conditions, url. options: the credentials, region, service ('s3'), datetime.
   */
  function presignPost(policy, options) {
    if (!policy || typeof policy !== 'object') throw typeError('the policy must be an object with at least a bucket and a key');
    optionsOf(options);
    const fields = new Array(PRESIGN_POST.length);
    fields[POST_FIELD.accessKeyId] = optionalString(options.accessKeyId, 'accessKeyId', 'INVALID_ACCESS_KEY_ID');
    fields[POST_FIELD.secretAccessKey] = optionalString(options.secretAccessKey, 'secretAccessKey');
    fields[POST_FIELD.sessionToken] = optionalString(options.sessionToken, 'sessionToken', 'INVALID_SESSION_TOKEN');
    fields[POST_FIELD.region] = optionalString(options.region, 'region', 'INVALID_REGION');
    fields[POST_FIELD.service] = optionalString(options.service, 'service', 'INVALID_SERVICE');
    fields[POST_FIELD.datetime] = datetimeOf(options.datetime, 'datetime');
    fields[POST_FIELD.bucket] = optionalString(policy.bucket, 'bucket', 'INVALID_POST_POLICY');
    fields[POST_FIELD.key] = optionalString(policy.key, 'key', 'INVALID_POST_POLICY');
    fields[POST_FIELD.expiresIn] = count(policy.expiresIn === undefined ? 3600 : policy.expiresIn, 'expiresIn');
    const range = policy.contentLengthRange;
    if (range !== undefined && !(Array.isArray(range) && range.length === 2)) throw typeError('contentLengthRange must be [min, max]');
    fields[POST_FIELD.contentLengthMin] = range ? count(range[0], 'contentLengthRange[0]') : '';
    fields[POST_FIELD.contentLengthMax] = range ? count(range[1], 'contentLengthRange[1]') : '';
    fields[POST_FIELD.contentType] = optionalString(policy.contentType, 'contentType', 'INVALID_POST_POLICY');
    const status = policy.successActionStatus;
    fields[POST_FIELD.successActionStatus] = typeof status === 'number' ? String(status) : optionalString(status, 'successActionStatus', 'INVALID_POST_POLICY');
    fields[POST_FIELD.url] = policy.url === undefined ? '' : typeof policy.url === 'object' && policy.url ? String(policy.url.href) : optionalString(policy.url, 'url', 'INVALID_URL');
    const pairs = [];
    objectPairs(policy.metadata, 'meta', 'metadata', pairs);
    objectPairs(policy.fields, 'field', 'fields', pairs);
    conditionPairs(policy.conditions, pairs);
    const out = call(() => glue.presignPost(encode(PRESIGN_POST, fields, pairs.join(SEP)))).split(SEP);
    const form = {};
    for (let i = PRESIGNED_POST.length; i + 1 < out.length; i += 2) form[out[i]] = out[i + 1];
    return {
      url: out[POST_RESULT.url],
      fields: form,
      policy: out[POST_RESULT.policy],
      stringToSign: out[POST_RESULT.stringToSign],
      credentialScope: out[POST_RESULT.credentialScope],
      signature: out[POST_RESULT.signature],
      expiration: out[POST_RESULT.expiration],
    };
  }

  return { signChunked, presignPost, postForm, uploadWithPost };
}
