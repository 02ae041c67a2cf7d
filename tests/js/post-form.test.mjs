// sigv4-wasm/s3's postForm and uploadWithPost, in each build that has them (the servers'
// bundle, the browsers' uploads bundle and its wasm2js translation): the fields in presignPost's
// order and the file last, S3's answers read, S3's refusals as S3_ERROR with s3Code, status and
// a message that says what to fix, and bad arguments as TypeError. (Against a real S3 server:
// tests/e2e/s3-post.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';

const BUILDS = { server: 'sigv4-wasm/s3', browser: '../../js/dist/s3.mjs', js: '../../js/dist/s3-js.mjs' };
const OPTIONS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', datetime: '20261206T020000Z' };
const POLICY = { bucket: 'examplebucket', key: 'uploads/${filename}', contentType: 'text/plain', successActionStatus: 201 };

/** A fetch that records its call and answers `status` with `body`. */
function fakeFetch(status, body, headers = {}) {
  const calls = [];
  const fetcher = async (url, init) => {
    calls.push({ url, init });
    return new Response(body, { status, headers });
  };
  fetcher.calls = calls;
  return fetcher;
}

for (const [name, path] of Object.entries(BUILDS)) {
  test(`${name}: postForm puts the fields in order and the file last; key and filename chosen per file`, async () => {
    const s3 = await import(path);
    const presigned = s3.presignPost(POLICY, OPTIONS);
    const form = s3.postForm(presigned, new Uint8Array([104, 105]), { key: 'uploads/hi.txt', filename: 'hi.txt' });
    const entries = [...form.entries()];
    assert.deepEqual(entries.map(([k]) => k), [...Object.keys(presigned.fields), 'file']);
    assert.equal(entries[0][1], 'uploads/hi.txt');
    for (const [k, v] of entries.slice(1, -1)) assert.equal(v, presigned.fields[k]);
    const file = entries.at(-1)[1];
    assert.equal(file.name, 'hi.txt');
    assert.equal(await file.text(), 'hi');
    // A File keeps its name; without a key option the signed key goes out as it is.
    const named = [...s3.postForm(presigned, new File(['x'], 'photo.jpg')).entries()];
    assert.equal(named[0][1], 'uploads/${filename}');
    assert.equal(named.at(-1)[1].name, 'photo.jpg');
    assert.throws(() => s3.postForm({ url: 'x' }, 'x'), TypeError);
    assert.throws(() => s3.postForm(presigned, 42), TypeError);
    assert.throws(() => s3.postForm(presigned, 'x', { key: 7 }), TypeError);
  });

  test(`${name}: uploadWithPost reads S3's answer, and its refusals as S3_ERROR`, async () => {
    const s3 = await import(path);
    const presigned = s3.presignPost(POLICY, OPTIONS);
    const ok = fakeFetch(201, '<?xml version="1.0" encoding="UTF-8"?><PostResponse><Location>https://examplebucket.s3.amazonaws.com/uploads%2Fa.txt</Location><Bucket>examplebucket</Bucket><Key>uploads/a.txt</Key><ETag>"0cc175b9c0f1b6a831c399e269772661"</ETag></PostResponse>');
    const progress = [];
    const result = await s3.uploadWithPost(presigned, 'a', { fetch: ok, onProgress: (sent, total) => progress.push([sent, total]) });
    assert.deepEqual(result, { status: 201, location: 'https://examplebucket.s3.amazonaws.com/uploads%2Fa.txt', bucket: 'examplebucket', key: 'uploads/a.txt', etag: '"0cc175b9c0f1b6a831c399e269772661"' });
    assert.equal(ok.calls[0].url, presigned.url);
    assert.equal(ok.calls[0].init.method, 'POST');
    assert.ok(ok.calls[0].init.body instanceof FormData);
    assert.deepEqual(progress, [[1, 1]], 'without XMLHttpRequest: once, at the end');
    // 204 (S3's default): no body, the ETag from the headers.
    assert.deepEqual(await s3.uploadWithPost(presigned, 'a', { fetch: fakeFetch(204, null, { etag: '"e"', location: 'https://l' }) }),
      { status: 204, location: 'https://l', bucket: undefined, key: undefined, etag: '"e"' });
    const refusals = [
      [403, 'AccessDenied', 'Invalid according to Policy: Policy expired.', /policy expired.*sign a new one/i],
      [400, 'InvalidPolicyDocument', "Policy condition 'starts-with' for field 'key' failed", /does not meet a condition/],
      [400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', /larger than the policy's contentLengthRange/],
      [403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match', /changed after signing/],
    ];
    for (const [status, code, said, hint] of refusals) {
      const xml = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${said.replace(/'/g, '&apos;')}</Message><RequestId>R1</RequestId></Error>`;
      await assert.rejects(s3.uploadWithPost(presigned, 'a', { fetch: fakeFetch(status, xml) }), (error) => {
        assert.ok(error instanceof s3.SigV4Error, 'a SigV4Error');
        assert.equal(error.code, 'S3_ERROR');
        assert.equal(error.s3Code, code);
        assert.equal(error.status, status);
        assert.equal(error.requestId, 'R1');
        assert.ok(error.message.includes(`HTTP ${status}, ${code}: ${said}`), error.message);
        assert.match(error.message, hint);
        return true;
      });
    }
    await assert.rejects(s3.uploadWithPost(presigned, 'a', { fetch: fakeFetch(502, 'Bad gateway') }),
      { code: 'S3_ERROR', s3Code: undefined, status: 502, message: /not S3's XML error \(Bad gateway\)/ });
    await assert.rejects(s3.uploadWithPost(presigned, 'a', { fetch: ok, onProgress: 'no' }), TypeError);
    await assert.rejects(s3.uploadWithPost(null, 'a'), TypeError);
  });
}
