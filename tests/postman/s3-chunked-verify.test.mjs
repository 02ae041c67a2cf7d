// A differential of verifyChunked (sigv4-wasm/verify) against s3s-fs, an independent Rust S3
// server that verifies aws-chunked bodies itself: the same bodies, untouched and tampered, go
// to both, and each accepts exactly what the other accepts. (Not Postman: it shares this
// folder's s3s-fs helper, and scripts/test runs it with them.)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { signChunked } from 'sigv4-wasm/s3';
import { verifyChunked } from 'sigv4-wasm/verify';
import { startS3s } from './helpers.mjs';

const KEY = { accessKeyId: 'AKIAS3SFSDIFFERENT01', secretAccessKey: 's3s/Differential+Secret/0123456789abcd' };
const BODY = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 131 + (i >> 7)) % 256));

let s3;
before(async () => {
  s3 = await startS3s({ accessKey: KEY.accessKeyId, secretKey: KEY.secretAccessKey, bucket: 'differential' });
});
after(async () => {
  if (s3) await s3.stop();
});

function upload(key, options) {
  const signed = signChunked({ method: 'PUT', url: `${s3.bucketUrl}/${key}` }, {
    ...KEY, region: 'us-east-1', service: 's3', decodedLength: BODY.length, chunkSize: 8192, ...options,
  });
  const encoder = signed.encoder();
  return { signed, frames: [...encoder.write(BODY), encoder.end()].map((frame) => Buffer.from(frame)) };
}

/** s3s-fs's verdict: whether it stored the object (200). */
function s3sAccepts(signed, wire) {
  return new Promise((resolve, reject) => {
    // The encoded length as sent: a tampered body may be longer or shorter.
    const headers = { ...signed.headers, 'content-length': String(wire.length) };
    const req = http.request(signed.url, { method: 'PUT', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', (error) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve(false) : reject(error)));
    req.end(wire);
  });
}

/** verifyChunked's verdict, with the same seed (the host as s3s-fs received it). */
function oursAccepts(signed, wire) {
  try {
    const body = verifyChunked({ method: 'PUT', url: signed.url, headers: signed.headers },
      { region: 'us-east-1', service: 's3', s3: true, lookup: (id) => (id === KEY.accessKeyId ? KEY : null) });
    const out = body.write(wire);
    body.end();
    assert.ok(Buffer.concat(out).equals(BODY), 'an accepted body decodes to what was signed');
    return true;
  } catch (error) {
    if (error.name !== 'SigV4Error') throw error;
    return false;
  }
}

const flip = (frames, index, from) => frames.map((frame, i) => {
  if (i !== index) return frame;
  const copy = Buffer.from(frame);
  copy[from < 0 ? copy.length + from : from] ^= 1;
  return copy;
});

const CASES = [
  ['untouched, signed chunks', {}, (f) => f, true],
  ['untouched, signed trailer CRC32C', { checksum: 'crc32c' }, (f) => f, true],
  ['untouched, unsigned chunks, CRC32 trailer', { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, (f) => f, true],
  ['a data byte flipped, signed chunks', {}, (f) => flip(f, 1, -10), false],
  ['a data byte flipped, signed trailer', { checksum: 'sha256' }, (f) => flip(f, 2, -100), false],
  ['a data byte flipped, unsigned chunks (the trailer checksum catches it)', { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, (f) => flip(f, 2, -100), false],
  ['chunks reordered', {}, (f) => [f[1], f[0], ...f.slice(2)], false],
  ['a chunk dropped', {}, (f) => [f[0], ...f.slice(2)], false],
  ['a chunk duplicated', {}, (f) => [f[0], ...f], false],
  ['the final chunk missing', {}, (f) => f.slice(0, -1), false],
  ['a signature digit changed', {}, (f) => flip(f, 0, 30), false],
];

describe('verifyChunked and s3s-fs agree', () => {
  for (const [label, options, tamper, expected] of CASES) {
    test(label, async () => {
      const { signed, frames } = upload(`object-${label.replace(/[^a-z0-9]+/gi, '-')}`, options);
      const wire = Buffer.concat(tamper(frames));
      const ours = oursAccepts(signed, wire);
      const theirs = await s3sAccepts(signed, wire);
      assert.equal(ours, expected, `verifyChunked ${ours ? 'accepted' : 'refused'}`);
      assert.equal(theirs, ours, `s3s-fs ${theirs ? 'accepted' : 'refused'} what verifyChunked ${ours ? 'accepted' : 'refused'}\n${s3.logs.join('').slice(-2000)}`);
    });
  }
});
