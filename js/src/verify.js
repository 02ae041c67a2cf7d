// verify, for the entries whose binary has the verifier (the cargo feature `verify`): the
// servers' build and the sigv4-wasm/verify subpath. Browser, React Native and Postman builds
// of the signer never import this file.

import { CHUNKS_VERIFIED, RULES, SEP, VERIFIED, VERIFIED_CHUNKED, VERIFY_CHUNKS, VERIFY_REQUEST, at, encode } from './protocol.js';
import { EMPTY, bodyOf, datetimeOf, flag, headersOf, listOf, methodOf, optionalString, optionsOf, requestOf, rulesOf,
  typeError, urlOf } from './api.js';
import { SigV4Error } from './errors.js';
import { transformPieces } from './pieces.js';

const VERIFY_FIELD = at(VERIFY_REQUEST);
const VERIFIED_FIELD = at(VERIFIED);
const CHUNKED_FIELD = at(VERIFIED_CHUNKED);
const CHUNKS_FIELD = at(VERIFY_CHUNKS);
const CHUNKS_RESULT = at(CHUNKS_VERIFIED);
/** The most bytes of a body passed to the binary in one call: a larger write is split, so that
 * the instance's memory stays below what api.js keeps (MAX_RETAINED_BYTES). */
const VERIFY_PIECE_BYTES = 1024 * 1024;

/** The fields of verifyRequest and verifyChunkedRequest from `request` and `options`, and the
 * lookup to pass the binary (it remembers the key it returned, in `found`). */
function verifyCall(request, options, name) {
  requestOf(request);
  optionsOf(options);
  if (typeof options.lookup !== 'function') throw typeError(`${name} needs lookup(accessKeyId) => { secretAccessKey, sessionToken? } | null`);
  const region = optionalString(options.region, 'region', 'INVALID_REGION');
  const service = optionalString(options.service, 'service', 'INVALID_SERVICE');
  if (!region || !service) throw typeError(`${name} needs the region and service of the endpoint it protects`);
  const fields = new Array(VERIFY_REQUEST.length);
  rulesOf(options).forEach((rule, i) => { fields[VERIFY_FIELD[RULES[i]]] = rule; });
  if (options.maxClockSkew !== undefined && typeof options.maxClockSkew !== 'number') throw typeError('maxClockSkew must be a number of seconds');
  if (options.presignedPayload !== undefined) throw typeError('presignedPayload is gone; use allowUnsignedPayload (true applies S3\'s payload rules)');
  if (options.allowUnsignedPayload !== undefined && typeof options.allowUnsignedPayload !== 'boolean') throw typeError('allowUnsignedPayload must be a boolean');
  const found = { key: null };
  const lookup = (accessKeyId) => {
    const key = options.lookup(accessKeyId);
    if (key === undefined || key === null) return null;
    const token = key && key.sessionToken;
    if (typeof key !== 'object' || typeof key.secretAccessKey !== 'string' ||
      (token !== undefined && token !== null && typeof token !== 'string')) {
      throw typeError('lookup must return { secretAccessKey: string, sessionToken?: string } or null');
    }
    found.key = key;
    return key;
  };
  const headers = headersOf(request.headers);
  fields[VERIFY_FIELD.method] = methodOf(request.method);
  fields[VERIFY_FIELD.url] = urlOf(request.url);
  fields[VERIFY_FIELD.now] = datetimeOf(options.now, 'now');
  fields[VERIFY_FIELD.region] = region;
  fields[VERIFY_FIELD.service] = service;
  fields[VERIFY_FIELD.maxClockSkew] = options.maxClockSkew === undefined ? '' : String(options.maxClockSkew);
  fields[VERIFY_FIELD.allowUnsignedPayload] = flag(options.allowUnsignedPayload);
  fields[VERIFY_FIELD.requireSignedHeaders] = listOf(options.requireSignedHeaders, 'requireSignedHeaders');
  return { fields, headers, lookup, found };
}

/** The Verified object of the fields `out` (VERIFIED's or VERIFIED_CHUNKED's, `names`). */
function verifiedOf(out, names) {
  const result = {
    accessKeyId: out[names.accessKeyId],
    credentialScope: out[names.credentialScope],
    signedHeaders: out[names.signedHeaders].split(';'),
    signedAt: out[names.signedAt],
    canonicalRequest: out[names.canonicalRequest],
  };
  if (out[names.expiresIn]) result.expiresIn = Number(out[names.expiresIn]);
  return result;
}

/** verify over `glue.verifyRequest`, calling into the binary through api.js's `call`. */
export function createVerify(glue, call) {
  /** Verifies a signed request as a service does; throws SigV4Error when it does not verify. */
  function verify(request, options) {
    const { fields, headers, lookup } = verifyCall(request, options, 'verify');
    // The SHA-256 of the body, computed by the server as the body streamed in.
    const bodySha256 = optionalString(request.bodySha256, 'bodySha256', 'INVALID_PAYLOAD_HASH');
    fields[VERIFY_FIELD.bodySha256] = bodySha256;
    if (bodySha256 && request.body !== undefined && request.body !== null) throw typeError('pass the body or its bodySha256, not both');
    const body = bodySha256 ? EMPTY : bodyOf(request.body);
    const out = call(() => glue.verifyRequest(encode(VERIFY_REQUEST, fields, headers), body, lookup)).split(SEP);
    return verifiedOf(out, VERIFIED_FIELD);
  }
  return verify;
}

/** verifyChunked over `glue.verifyChunkedRequest` and `glue.verifyChunks`. */
export function createVerifyChunked(glue, call) {
  /** Verifies the seed request of an aws-chunked upload (throws SigV4Error when it does not
   * verify), and returns the verifier of its body: write(bytes) gives back the data of each
   * chunk verified (an array, maybe empty), end() checks the body ended well; stream() and
   * decode(source) are the same as a TransformStream and an async iterator. */
  function verifyChunked(request, options) {
    const { fields, headers, lookup, found } = verifyCall(request, options, 'verifyChunked');
    if (request.body !== undefined && request.body !== null) throw typeError('verifyChunked takes the body through write(), stream() or decode(), not request.body');
    if (request.bodySha256 !== undefined && request.bodySha256 !== null) throw typeError('verifyChunked hashes each chunk itself; pass no bodySha256');
    fields[VERIFY_FIELD.bodySha256] = '';
    const out = call(() => glue.verifyChunkedRequest(encode(VERIFY_REQUEST, fields, headers), lookup)).split(SEP);
    const verified = verifiedOf(out, CHUNKED_FIELD);
    const secret = found.key ? found.key.secretAccessKey : '';
    let state = out[CHUNKED_FIELD.state];
    let held = []; // the current chunk's data, until it verifies
    let failure = null; // the error the body was refused with, thrown again by every later call
    let ended = false;

    function step(bytes, end, released) {
      const callFields = new Array(VERIFY_CHUNKS.length);
      callFields[CHUNKS_FIELD.secretAccessKey] = secret;
      callFields[CHUNKS_FIELD.state] = state;
      callFields[CHUNKS_FIELD.end] = end ? 'true' : 'false';
      let result;
      try {
        result = call(() => glue.verifyChunks(encode(VERIFY_CHUNKS, callFields, ''), bytes)).split(SEP);
      } catch (error) {
        failure = error;
        held = [];
        throw error;
      }
      state = result[CHUNKS_RESULT.state];
      const events = result[CHUNKS_RESULT.events];
      if (!events) return;
      for (const event of events.split(',')) {
        if (event === 'v') {
          for (const piece of held) released.push(piece);
          held = [];
        } else if (event !== 'e') {
          const dash = event.indexOf('-');
          held.push(bytes.slice(Number(event.slice(0, dash)), Number(event.slice(dash + 1))));
        }
      }
    }

    function open() {
      if (failure) throw failure;
      if (ended) throw SigV4Error('MALFORMED_CHUNK', 'malformed aws-chunked body: write() after end(); the body had ended');
    }

    const body = {
      verified,
      /** Takes the next bytes of the body; returns the data of each chunk they complete, verified. */
      write(value) {
        open();
        const bytes = bodyOf(value);
        const released = [];
        for (let at = 0; at < bytes.length; at += VERIFY_PIECE_BYTES) {
          step(bytes.subarray(at, Math.min(bytes.length, at + VERIFY_PIECE_BYTES)), false, released);
        }
        return released;
      },
      /** After the last byte: throws unless the body ended as it must (final chunk, length, trailer). */
      end() {
        open();
        step(EMPTY, true, []);
        ended = true;
      },
      /** A TransformStream from the aws-chunked body to its verified data; errors at the first bad chunk. */
      stream() {
        if (typeof TransformStream !== 'function') throw typeError('this runtime has no TransformStream; use write() and end(), or decode()');
        return new TransformStream({
          transform(bytes, controller) {
            body.write(bytes).forEach((piece) => controller.enqueue(piece));
          },
          flush() {
            body.end();
          },
        });
      },
      /** The verified data of `source` (an async or sync iterable of byte pieces, or a
       * ReadableStream), as an async iterator; it throws at the first bad chunk. */
      decode(source) {
        return transformPieces(source, body.write, () => (body.end(), []), 'decode');
      },
    };
    return body;
  }
  return verifyChunked;
}
