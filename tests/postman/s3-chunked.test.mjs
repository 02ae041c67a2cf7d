// Chunked uploads (aws-chunked) from Node against s3s-fs, an independent Rust S3 server that
// checks the seed signature, each chunk's signature in the chain and the trailer: signed
// chunks with and without a trailing checksum, unsigned chunks with one, each stored byte for
// byte; a chunk changed on the way, a signature out of its place, a signed trailer changed and
// an unsigned trailer with a wrong checksum are refused.
// (Not Postman: it shares this folder's s3s-fs helper, and scripts/test runs it with them.)
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signChunked } from 'sigv4-wasm/s3';
import { startS3s } from './helpers.mjs';

const KEY = { accessKeyId: 'AKIAS3SFSCHUNKED0001', secretAccessKey: 's3s/Chunked+Secret/0123456789abcdefghij' };
// 200,000 bytes: three full 64 KiB chunks and a short one, in pieces that straddle them.
const BODY = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 9)) % 256));

let s3;
before(async () => {
  s3 = await startS3s({ accessKey: KEY.accessKeyId, secretKey: KEY.secretAccessKey, bucket: 'chunked-bucket' });
});
after(async () => {
  if (s3) await s3.stop();
});

/** Pieces of `bytes`, `size` at a time, as an async source. */
async function* pieces(bytes, size) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

/** Sends the signed seed's headers and the encoded frames as they come, with `change` applied
 * to each frame (for the tamper tests); resolves with { status, text }. */
function send(upload, frames, change = (frame) => frame) {
  return new Promise((resolve, reject) => {
    const headers = Object.assign({}, upload.headers);
    const req = http.request(upload.url, { method: upload.method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    // A server that refuses a body may answer and close before it has all been written.
    let answered = false;
    req.on('response', () => { answered = true; });
    req.on('error', (error) => (answered ? undefined : resolve({ status: 0, text: `connection: ${error.message}` })));
    (async () => {
      let index = 0;
      for await (const frame of frames) {
        if (req.destroyed) return;
        req.write(change(Buffer.from(frame), index++));
      }
      req.end();
    })().catch(reject);
  });
}

function sign(key, options) {
  return signChunked({ method: 'PUT', url: `${s3.bucketUrl}/${key}` }, {
    ...KEY, region: 'us-east-1', service: 's3', decodedLength: BODY.length, ...options,
  });
}

const stored = (key) => join(s3.root, s3.bucket, key);

describe('chunked uploads on s3s-fs', () => {
  for (const [label, options] of [
    ['signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', {}],
    ['signed chunks and trailer, CRC32C (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER)', { checksum: 'crc32c' }],
    ['signed chunks and trailer, SHA-256', { checksum: 'sha256' }],
    ['signed chunks and trailer, CRC32', { checksum: 'crc32' }],
    ['unsigned chunks, CRC32 trailer (STREAMING-UNSIGNED-PAYLOAD-TRAILER)', { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }],
  ]) {
    test(`${label}: stored byte for byte`, async () => {
      const key = `object-${label.replace(/[^a-z0-9]+/gi, '-')}`;
      const upload = sign(key, options);
      const reply = await send(upload, upload.encode(pieces(BODY, 10_000)));
      assert.equal(reply.status, 200, `${reply.text}\n${s3.logs.join('').slice(-3000)}`);
      assert.ok(readFileSync(stored(key)).equals(BODY), 'the object is the decoded body');
    });
  }

  test('the TransformStream form, 8 KiB chunks', async () => {
    const upload = sign('object-stream', { chunkSize: 8192, checksum: 'crc32c' });
    const source = new ReadableStream({
      start(controller) {
        for (let at = 0; at < BODY.length; at += 3000) controller.enqueue(BODY.subarray(at, at + 3000));
        controller.close();
      },
    });
    const reply = await send(upload, source.pipeThrough(upload.stream()));
    assert.equal(reply.status, 200, reply.text);
    assert.ok(readFileSync(stored('object-stream')).equals(BODY));
  });

  test('a byte of the second chunk changed on the way: refused, nothing stored', async () => {
    const upload = sign('object-tampered', {});
    const flip = (frame, index) => {
      if (index === 1) frame[frame.length - 10] ^= 1; // in the data, before the closing CRLF
      return frame;
    };
    const reply = await send(upload, upload.encode(pieces(BODY, 65_536)), flip);
    assert.notEqual(reply.status, 200, 'a tampered chunk must not be accepted');
    assert.ok(!existsSync(stored('object-tampered')), 'nothing is stored');
    // And untouched, the same upload signed anew goes through: the refusal was the tampering.
    const again = sign('object-tampered', {});
    assert.equal((await send(again, again.encode(pieces(BODY, 65_536)))).status, 200);
  });

  test("a chunk's signature replaced by another's: refused", async () => {
    const upload = sign('object-reordered', {});
    const frames = [];
    for await (const frame of upload.encode(pieces(BODY, 65_536))) frames.push(Buffer.from(frame));
    // The first chunk's signature in the second chunk's header.
    const signatureOf = (frame) => frame.toString('latin1').match(/chunk-signature=([0-9a-f]{64})/)[1];
    frames[1] = Buffer.from(frames[1].toString('latin1').replace(signatureOf(frames[1]), signatureOf(frames[0])), 'latin1');
    const reply = await send(upload, frames);
    assert.notEqual(reply.status, 200);
    assert.ok(!existsSync(stored('object-reordered')));
  });

  /** Changes the trailer of the encoded body: its checksum value, or its signature. */
  const changeTrailer = (what) => (frame) => {
    const text = frame.toString('latin1');
    const changed = what === 'checksum'
      ? text.replace(/(x-amz-checksum-crc32c:)[A-Za-z0-9+/=]{8}/, '$1AAAAAA==') // the same length
      : text.replace(/(x-amz-trailer-signature:)[0-9a-f]{4}/, '$10000');
    return changed === text ? frame : Buffer.from(changed, 'latin1');
  };

  test('a signed trailer whose checksum, or whose signature, is changed: refused, nothing stored', async () => {
    for (const what of ['checksum', 'signature']) {
      const key = `object-signed-trailer-${what}`;
      const upload = sign(key, { checksum: 'crc32c' });
      const reply = await send(upload, upload.encode(pieces(BODY, 65_536)), changeTrailer(what));
      assert.notEqual(reply.status, 200, `a changed trailer ${what} must not be accepted`);
      assert.ok(!existsSync(stored(key)), `nothing is stored (${what})`);
    }
  });

  test('an unsigned trailer whose checksum is wrong: BadDigest', async () => {
    const upload = sign('object-bad-checksum', { checksum: 'crc32c', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
    const reply = await send(upload, upload.encode(pieces(BODY, 65_536)), changeTrailer('checksum'));
    assert.equal(reply.status, 400, reply.text);
    assert.match(reply.text, /BadDigest/);
    // (s3s-fs 0.14.1 writes the object before it compares the checksum, and leaves it there:
    // the refusal is the answer, not the disk.)
  });
});
