// aws-chunked uploads to the local API: `PUT /<stage>/uploads/<name>` with a body in
// Content-Encoding aws-chunked (STREAMING-AWS4-HMAC-SHA256-PAYLOAD, -PAYLOAD-TRAILER or
// STREAMING-UNSIGNED-PAYLOAD-TRAILER), as S3 takes it. The seed request is verified by the
// core (verifyChunked) and authorized by the key's policy before any of the body is read; the
// body is then verified chunk by chunk as it streams in, and the server stops reading and
// answers at the first bad chunk. It holds one chunk at most: the upload is counted and hashed
// (SHA-256 of the decoded bytes), not stored.

import { createHash } from 'node:crypto';
import { verifyChunked } from 'sigv4-wasm/verify';
import { authorizeKey, gatewayError, keyLookup, refusal, verificationError } from './auth.mjs';

/** The resource path of an upload: /uploads/<name>, one segment. */
export const UPLOAD_PATH = /^\/uploads\/[^/]+$/;

/** S3's answer to each way a chunked body fails (its error code as the error type). */
const BODY_ERRORS = {
  CHUNK_SIGNATURE_MISMATCH: [403, 'SignatureDoesNotMatch'],
  TRAILER_SIGNATURE_MISMATCH: [403, 'SignatureDoesNotMatch'],
  TRAILER_CHECKSUM_MISMATCH: [400, 'BadDigest'],
  DECODED_LENGTH_MISMATCH: [400, 'IncompleteBody'],
  MALFORMED_CHUNK: [400, 'IncompleteBody'],
  INVALID_CHUNK_SIZE: [403, 'InvalidChunkSizeError'],
  INVALID_CHUNKED_UPLOAD: [400, 'InvalidRequest'],
  UNSUPPORTED_PAYLOAD: [400, 'InvalidRequest'],
};

function bodyError(error) {
  if (!error || error.name !== 'SigV4Error') throw error;
  const known = BODY_ERRORS[error.code];
  return known ? gatewayError(known[0], known[1], error.message) : verificationError(error);
}

/**
 * Handles an upload: `received` is `{ method, url, headers }`; `send(answer, extra)` answers
 * with `{ status, errorType, body }`. Resolves to the log line's words once answered.
 */
export function chunkedUpload(req, received, resourcePath, config, send) {
  if (req.method !== 'PUT') {
    send(gatewayError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token'));
    return Promise.resolve('MissingAuthenticationTokenException (uploads take PUT)');
  }
  const keys = keyLookup(config);
  let body;
  try {
    // S3 takes STREAMING-UNSIGNED-PAYLOAD-TRAILER (its trailer's checksum guards the body), so
    // this S3-like route allows unsigned payloads; verify refuses them otherwise.
    body = verifyChunked(received, { region: config.region, service: config.service, lookup: keys.lookup, maxClockSkew: config.maxClockSkewSeconds, allowUnsignedPayload: true });
  } catch (error) {
    const answer = error && BODY_ERRORS[error.code] ? bodyError(error) : refusal(keys.found(), error);
    send(answer, { Connection: 'close' });
    return Promise.resolve(`${answer.errorType} (the seed request)`);
  }
  const allowed = authorizeKey(keys.found(), 'PUT', resourcePath, config);
  if (!allowed.ok) {
    send(allowed, { Connection: 'close' });
    return Promise.resolve(allowed.errorType);
  }
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    let size = 0;
    let done = false;
    const fail = (error) => {
      done = true;
      // Stop reading: the answer goes out now, and the connection closes after it.
      req.pause();
      const answer = bodyError(error);
      send(answer, { Connection: 'close' });
      resolve(`${answer.errorType} after ${size} verified bytes`);
    };
    req.on('data', (chunk) => {
      if (done) return;
      try {
        for (const piece of body.write(chunk)) {
          hash.update(piece);
          size += piece.length;
        }
      } catch (error) {
        fail(error);
      }
    });
    req.on('end', () => {
      if (done) return;
      try {
        body.end();
      } catch (error) {
        fail(error);
        return;
      }
      done = true;
      send({ status: 200, body: { name: decodeURIComponent(resourcePath.slice('/uploads/'.length)), size, sha256: hash.digest('hex') } });
      resolve(`(${keys.found().arn.replace(/^.*:/, '')}) ${size} bytes verified chunk by chunk`);
    });
    req.on('error', () => {
      done = true;
      resolve('connection error');
    });
  });
}
