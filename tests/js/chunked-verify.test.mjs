// verifyChunked (sigv4-wasm/verify): an aws-chunked upload verified chunk by chunk as it
// streams, in every build verify ships in (the servers' binary, the browsers' verifier, and
// its wasm2js translation for runtimes without WebAssembly). Bodies come from signChunked's
// encoder: every mode and checksum round-trips in any pieces, through write()/end(), the
// TransformStream and the async iterator; each tampering is refused with its code, at the
// first bad chunk, with nothing of that chunk released. (The rules one by one, with bodies
// framed by hand: tests/chunked_verify.rs.)
// Run: node --test tests/js/chunked-verify.test.mjs (after node js/build.mjs).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';

import { loadBuild } from './builds.mjs';

const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const AT = '20130524T000000Z';
const URL_ = 'https://examplebucket.s3.amazonaws.com/chunkObject.txt';
const OPTIONS = { region: 'us-east-1', service: 's3', s3: true, now: AT, lookup: (id) => (id === KEY.accessKeyId ? KEY : null) };
const BODY = Uint8Array.from({ length: 30_000 }, (_, i) => (i * 7919 + (i >> 9)) % 256);

const MODES = [
  ['signed chunks', {}],
  ['signed chunks and trailer, CRC32', { checksum: 'crc32' }],
  ['signed chunks and trailer, CRC32C', { checksum: 'crc32c' }],
  ['signed chunks and trailer, SHA-256', { checksum: 'sha256' }],
  ['unsigned chunks, CRC32C trailer', { checksum: 'crc32c', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }],
  ['unsigned chunks, SHA-256 trailer', { checksum: 'sha256', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }],
];

const concat = (pieces) => {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const piece of pieces) { out.set(piece, at); at += piece.length; }
  return out;
};
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The signed seed and its encoded body, frame by frame. */
function upload(api, options, body = BODY) {
  const signed = api.signChunked({ method: 'PUT', url: URL_ }, { ...KEY, datetime: AT, decodedLength: body.length, chunkSize: 8192, ...options });
  const encoder = signed.encoder();
  const frames = [...encoder.write(body), encoder.end()];
  return { signed, frames, wire: concat(frames) };
}

const seedOf = (signed) => ({ method: signed.method, url: signed.url, headers: signed.headers });

/** The code the body is refused with, and the data released before. */
function refusal(api, signed, wire, piece = wire.length) {
  const body = api.verifyChunked(seedOf(signed), OPTIONS);
  const released = [];
  try {
    for (let at = 0; at < wire.length; at += piece) released.push(...body.write(wire.subarray(at, at + piece)));
    body.end();
  } catch (error) {
    assert.equal(error.name, 'SigV4Error');
    assert.doesNotMatch(error.message, /wJalrXUtnFEMI/, 'no secret in the message');
    // Refused once, refused for good.
    assert.throws(() => body.write(new Uint8Array(1)), (again) => again.code === error.code);
    return { code: error.code, released: concat(released) };
  }
  assert.fail('the body verified');
}

for (const build of ['server', 'browser', 'js', 'native']) {
  describe(`verifyChunked (${build})`, async () => {
    const api = await loadBuild(build);

    for (const [label, options] of MODES) {
      test(`${label}: verifies into the body in any pieces`, () => {
        const { signed, wire } = upload(api, options);
        for (const piece of [wire.length, 8192, 1000, 7]) {
          const body = api.verifyChunked(seedOf(signed), OPTIONS);
          assert.equal(body.verified.accessKeyId, KEY.accessKeyId);
          const out = [];
          for (let at = 0; at < wire.length; at += piece) out.push(...body.write(wire.subarray(at, at + piece)));
          body.end();
          assert.ok(equal(concat(out), BODY), `pieces of ${piece}`);
        }
      });
    }

    test('a byte at a time, and an empty body', () => {
      const { signed, wire } = upload(api, { checksum: 'crc32' });
      const body = api.verifyChunked(seedOf(signed), OPTIONS);
      const out = [];
      for (let at = 0; at < wire.length; at++) out.push(...body.write(wire.subarray(at, at + 1)));
      body.end();
      assert.ok(equal(concat(out), BODY));
      const empty = upload(api, { checksum: 'sha256' }, new Uint8Array(0));
      const verifier = api.verifyChunked(seedOf(empty.signed), OPTIONS);
      assert.deepEqual(verifier.write(empty.wire), []);
      verifier.end();
    });

    test('the TransformStream and the async iterator', async () => {
      const { signed, frames } = upload(api, { checksum: 'crc32c' });
      const source = () => new ReadableStream({
        start(controller) {
          frames.forEach((frame) => controller.enqueue(frame));
          controller.close();
        },
      });
      const out = [];
      for await (const piece of source().pipeThrough(api.verifyChunked(seedOf(signed), OPTIONS).stream())) out.push(piece);
      assert.ok(equal(concat(out), BODY));
      const iterated = [];
      for await (const piece of api.verifyChunked(seedOf(signed), OPTIONS).decode(frames)) iterated.push(piece);
      assert.ok(equal(concat(iterated), BODY));
      // A tampered body errors the stream and the iterator, after the chunks before it.
      const tampered = frames.map((frame) => frame.slice());
      tampered[2][tampered[2].length - 10] ^= 1;
      const released = [];
      await assert.rejects(async () => {
        for await (const piece of api.verifyChunked(seedOf(signed), OPTIONS).decode(tampered)) released.push(piece);
      }, (error) => error.code === 'CHUNK_SIGNATURE_MISMATCH');
      assert.ok(equal(concat(released), BODY.subarray(0, 2 * 8192)));
      await assert.rejects(async () => {
        const stream = new ReadableStream({ start(c) { tampered.forEach((f) => c.enqueue(f)); c.close(); } });
        for await (const piece of stream.pipeThrough(api.verifyChunked(seedOf(signed), OPTIONS).stream())) void piece;
      }, (error) => error.code === 'CHUNK_SIGNATURE_MISMATCH');
    });

    test('a flipped byte in chunk data: refused at that chunk, nothing of it released', () => {
      const { signed, frames } = upload(api, {});
      const tampered = frames.map((frame) => frame.slice());
      tampered[1][tampered[1].length - 10] ^= 1;
      // In pieces, chunk 1 was released by the writes before the bad one; a write that throws
      // returns nothing, so at once nothing is released.
      for (const [piece, length] of [[100, 8192], [1 << 20, 0]]) {
        const { code, released } = refusal(api, signed, concat(tampered), piece);
        assert.equal(code, 'CHUNK_SIGNATURE_MISMATCH');
        assert.ok(equal(released, BODY.subarray(0, length)), `chunk 1 only, in pieces of ${piece}`);
      }
    });

    test('a wrong chunk signature; reordered, dropped and duplicated chunks', () => {
      const { signed, frames } = upload(api, {});
      const text = (frame) => Buffer.from(frame).toString('latin1');
      const signatureOf = (frame) => text(frame).match(/chunk-signature=([0-9a-f]{64})/)[1];
      const swappedSignature = Buffer.from(text(frames[1]).replace(signatureOf(frames[1]), signatureOf(frames[0])), 'latin1');
      const cases = {
        'wrong signature': [frames[0], swappedSignature, ...frames.slice(2)],
        reordered: [frames[1], frames[0], ...frames.slice(2)],
        dropped: [frames[0], ...frames.slice(2)],
        duplicated: [frames[0], frames[0], ...frames.slice(1)],
      };
      for (const [name, wire] of Object.entries(cases)) {
        assert.equal(refusal(api, signed, concat(wire)).code, 'CHUNK_SIGNATURE_MISMATCH', name);
      }
    });

    test('a decoded length other than declared: longer and shorter', () => {
      // Unsigned chunks carry no signature: the frames of a longer or shorter body of the same
      // mode reach the length check.
      const options = { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' };
      const { signed } = upload(api, options);
      const longer = upload(api, options, concat([BODY, BODY]));
      assert.equal(refusal(api, signed, longer.wire).code, 'DECODED_LENGTH_MISMATCH');
      const shorter = upload(api, options, BODY.subarray(0, 20_000));
      assert.equal(refusal(api, signed, shorter.wire).code, 'DECODED_LENGTH_MISMATCH');
    });

    test('a wrong trailer checksum, a wrong trailer signature', () => {
      const unsigned = upload(api, { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
      const body = unsigned.wire.slice();
      body[100] ^= 1; // data: no chunk signature catches it; the checksum does
      assert.equal(refusal(api, unsigned.signed, body).code, 'TRAILER_CHECKSUM_MISMATCH');
      const signed = upload(api, { checksum: 'sha256' });
      const wire = signed.wire.slice();
      const at = Buffer.from(wire).toString('latin1').indexOf('x-amz-trailer-signature:') + 30;
      wire[at] = wire[at] === 0x30 ? 0x31 : 0x30;
      assert.equal(refusal(api, signed.signed, wire).code, 'TRAILER_SIGNATURE_MISMATCH');
    });

    test('a missing final chunk, garbage after the end, a header too long, a size overflowing', () => {
      const { signed, frames, wire } = upload(api, {});
      assert.equal(refusal(api, signed, concat(frames.slice(0, -1))).code, 'MALFORMED_CHUNK');
      assert.equal(refusal(api, signed, concat([wire, new Uint8Array([0x30])])).code, 'MALFORMED_CHUNK');
      const long = new TextEncoder().encode(`2000;chunk-signature=${'a'.repeat(200)}\r\n`);
      assert.equal(refusal(api, signed, long).code, 'MALFORMED_CHUNK');
      const overflow = new TextEncoder().encode(`1${'0'.repeat(16)};chunk-signature=${'a'.repeat(64)}\r\n`);
      assert.equal(refusal(api, signed, overflow).code, 'MALFORMED_CHUNK');
    });

    test('the seed: a tampered header, verify refusing it, an unknown key', () => {
      const { signed } = upload(api, { checksum: 'crc32c' });
      const headers = { ...signed.headers, 'x-amz-decoded-content-length': '29999' };
      assert.throws(() => api.verifyChunked({ ...seedOf(signed), headers }, OPTIONS), (e) => e.code === 'SIGNATURE_MISMATCH');
      assert.throws(() => api.verify(seedOf(signed), OPTIONS), (e) => e.code === 'UNSUPPORTED_PAYLOAD' && /verifyChunked/.test(e.message));
      assert.throws(() => api.verifyChunked(seedOf(signed), { ...OPTIONS, lookup: () => null }), (e) => e.code === 'UNKNOWN_ACCESS_KEY');
      const plain = api.sign({ method: 'PUT', url: URL_, body: 'x' }, { ...KEY, datetime: AT, region: 'us-east-1', service: 's3' });
      assert.throws(() => api.verifyChunked(seedOf(plain), OPTIONS), (e) => e.code === 'UNSUPPORTED_PAYLOAD');
      assert.throws(() => api.verifyChunked({ ...seedOf(signed), body: 'x' }, OPTIONS), TypeError);
    });

    test('unsigned chunks only where unsigned payloads are allowed', () => {
      const unsigned = upload(api, { checksum: 'crc32', payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' });
      assert.throws(() => api.verifyChunked(seedOf(unsigned.signed), { ...OPTIONS, allowUnsignedPayload: false }),
        (e) => e.code === 'UNSUPPORTED_PAYLOAD' && /allowUnsignedPayload/.test(e.message));
      const signed = upload(api, { checksum: 'crc32' });
      assert.ok(api.verifyChunked(seedOf(signed.signed), { ...OPTIONS, allowUnsignedPayload: false }).verified);
    });
  });
}
