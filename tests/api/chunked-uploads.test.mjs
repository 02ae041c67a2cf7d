// aws-chunked uploads to the local API (www/server/chunked.mjs): PUT /<stage>/uploads/<name>
// verified chunk by chunk as the body streams in. A good upload of every mode is counted and
// hashed; a tampered chunk, a wrong trailer checksum and a body cut short get S3's answer; a
// bad chunk is answered at once, while the client is still sending; the seed is refused
// before any of the body is read.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash } from 'node:crypto';
import { signChunked } from 'sigv4-wasm/s3';
import { startServer } from '../../www/server/server.mjs';
import { SCOPE } from './helpers.mjs';

const WRITER = { accessKeyId: 'AKIAUPLOADER00000001', secretAccessKey: 'uploader/secret+0123456789abcdefghijkl' };
const READER = { accessKeyId: 'AKIAREADER0000000001', secretAccessKey: 'reader-secret' };
const EXPIRED = { accessKeyId: 'ASIAEXPIRED000000001', secretAccessKey: 'expired/secret+0123456789abcdefghijklm', sessionToken: 'expired-session-token' };
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';
const config = {
  keys: [
    { user: 'uploader', ...WRITER, policy: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/test/PUT/uploads/*` }] } },
    { user: 'reader', ...READER, policy: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/test/GET/*` }] } },
    { user: 'expired', ...EXPIRED, expiration: '2020-01-01T00:00:00Z' },
  ],
};
const BODY = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 31 + (i >> 8)) % 256));

let server;
before(async () => {
  server = await startServer({ port: 0, config, log: () => {}, env: {} });
});
after(() => server.close());

function upload(name, options = {}, key = WRITER) {
  return signChunked({ method: 'PUT', url: `${server.url}/test/uploads/${name}` }, { ...SCOPE, ...key, decodedLength: BODY.length, chunkSize: 8192, ...options });
}

function framesOf(signed, body = BODY) {
  const encoder = signed.encoder();
  return [...encoder.write(body), encoder.end()].map((frame) => Buffer.from(frame));
}

/** Sends the seed's headers and `frames`; with `hold`, keeps the request open after them (a
 * client still sending). Resolves to { status, type, json }. */
function send(signed, frames, { hold = false } = {}) {
  return new Promise((resolve, reject) => {
    // A body sent whole declares its length as sent (a body cut short too).
    const length = frames.reduce((n, frame) => n + frame.length, 0);
    const headers = hold ? signed.headers : { ...signed.headers, 'content-length': String(length) };
    const req = http.request(signed.url, { method: signed.method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, type: res.headers['x-amzn-errortype'], json: JSON.parse(text) });
        req.destroy();
      });
    });
    req.on('error', (error) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    req.flushHeaders();
    for (const frame of frames) req.write(frame);
    if (!hold) req.end();
  });
}

describe('aws-chunked uploads to the local API', () => {
  for (const [label, options] of [
    ['signed chunks', {}],
    ['signed chunks and a CRC32C trailer', { checksum: 'crc32c' }],
    ['unsigned chunks and a SHA-256 trailer', { checksum: 'sha256', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }],
  ]) {
    test(`${label}: verified, counted and hashed`, async () => {
      const signed = upload('file.bin', options);
      const reply = await send(signed, framesOf(signed));
      assert.equal(reply.status, 200, JSON.stringify(reply.json));
      assert.deepEqual(reply.json, { name: 'file.bin', size: BODY.length, sha256: createHash('sha256').update(BODY).digest('hex') });
    });
  }

  test('a tampered chunk: SignatureDoesNotMatch, answered while the client still sends', async () => {
    const signed = upload('tampered.bin');
    const frames = framesOf(signed);
    frames[2][frames[2].length - 10] ^= 1;
    // Only the first three frames, and the request left open: the answer cannot wait for the end.
    const reply = await send(signed, frames.slice(0, 3), { hold: true });
    assert.equal(reply.status, 403);
    assert.equal(reply.type, 'SignatureDoesNotMatch');
    assert.match(reply.json.message, /chunk 3/);
  });

  test('a wrong trailer checksum: BadDigest; a body cut short: IncompleteBody', async () => {
    const unsigned = upload('digest.bin', { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
    const frames = framesOf(unsigned);
    frames[1][100] ^= 1;
    const reply = await send(unsigned, frames);
    assert.deepEqual([reply.status, reply.type], [400, 'BadDigest']);
    // content-length left out of the signature (as S3's trailer example does), so that the
    // body cut short can say its own length.
    const short = upload('short.bin', { unsignedHeaders: ['content-length'] });
    const cut = await send(short, framesOf(short).slice(0, -1));
    assert.deepEqual([cut.status, cut.type], [400, 'IncompleteBody']);
  });

  test('the seed: a tampered header, an unknown key, a policy that denies, another method', async () => {
    const signed = upload('seed.bin');
    const tampered = { ...signed, headers: { ...signed.headers, 'x-amz-decoded-content-length': String(BODY.length - 1) } };
    const mismatch = await send(tampered, framesOf(signed), { hold: true });
    assert.deepEqual([mismatch.status, mismatch.type], [403, 'InvalidSignatureException']);
    const unknown = upload('seed.bin', {}, { accessKeyId: 'AKIANOBODY0000000001', secretAccessKey: 'x'.repeat(40) });
    const refused = await send(unknown, [], { hold: true });
    assert.deepEqual([refused.status, refused.type], [403, 'UnrecognizedClientException']);
    const reader = upload('seed.bin', {}, READER);
    const denied = await send(reader, [], { hold: true });
    assert.deepEqual([denied.status, denied.type], [403, 'AccessDeniedException']);
  });

  test('the seed: temporary credentials past their expiry get ExpiredTokenException, as on every other route', async () => {
    const expired = upload('seed.bin', {}, EXPIRED);
    const refused = await send(expired, [], { hold: true });
    assert.deepEqual([refused.status, refused.type], [403, 'ExpiredTokenException']);
  });
});
