// The S3 uploads part's logic (www/lib/s3-uploads.mjs): object URLs, chunk counts, the headers
// a page may set, the bucket of a URL, the policy options from the form, and the snippets
// (the HTML form escapes its values and puts the file last). In Chromium: tests/e2e/s3-playground.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, chunkCount, formDataSnippet, frameLines, htmlFormSnippet, objectUrl, postPolicyOf, prettyPolicy, settableHeaders } from '../../www/lib/s3-uploads.mjs';
import { signChunked } from 'sigv4-wasm/s3';

test('objectUrl encodes each key segment once and keeps the slashes', () => {
  assert.equal(objectUrl('http://127.0.0.1:9000/bucket/', 'a b/c+d%.txt'), 'http://127.0.0.1:9000/bucket/a%20b/c%2Bd%25.txt');
  assert.equal(objectUrl('https://b.s3.us-east-1.amazonaws.com', 'k'), 'https://b.s3.us-east-1.amazonaws.com/k');
  assert.throws(() => objectUrl('b.s3.amazonaws.com', 'k'), /must start with http/);
  assert.throws(() => objectUrl('https://b.s3.amazonaws.com', ''), /object key/);
});

test('chunkCount counts the short last chunk and the final empty one', () => {
  assert.equal(chunkCount(100_000, 8192), 14);
  assert.equal(chunkCount(8192, 8192), 2);
  assert.equal(chunkCount(0, 8192), 1);
});

test('settableHeaders leaves host and content-length to the browser', () => {
  assert.deepEqual(settableHeaders({ host: 'h', 'Content-Length': '9', 'x-amz-date': 'd', authorization: 'a' }), { 'x-amz-date': 'd', authorization: 'a' });
});

test('bucketOf reads path-style and virtual-hosted URLs', () => {
  assert.equal(bucketOf('http://127.0.0.1:9000/my-bucket'), 'my-bucket');
  assert.equal(bucketOf('https://s3.eu-west-1.amazonaws.com/my.bucket/'), 'my.bucket');
  assert.equal(bucketOf('https://my-bucket.s3.us-east-1.amazonaws.com'), 'my-bucket');
  assert.equal(bucketOf('https://my-bucket.s3-accelerate.amazonaws.com/'), 'my-bucket');
  assert.equal(bucketOf('not a url'), '');
  assert.equal(bucketOf('https://example.com'), '');
});

test('postPolicyOf: the options presignPost takes, or what to fix', () => {
  assert.deepEqual(postPolicyOf({ bucket: 'b', key: 'u/${filename}', expiresIn: '600', min: '1', max: '10', contentType: 'image/png', successActionStatus: '201', url: 'http://h/b' }),
    { bucket: 'b', key: 'u/${filename}', expiresIn: 600, contentLengthRange: [1, 10], contentType: 'image/png', successActionStatus: '201', url: 'http://h/b' });
  assert.deepEqual(postPolicyOf({ bucket: 'b', key: '', expiresIn: '', min: '', max: '', contentType: '', successActionStatus: '' }), { bucket: 'b', key: '${filename}' });
  assert.throws(() => postPolicyOf({ bucket: '', key: 'k', min: '', max: '' }), /bucket name/);
  assert.throws(() => postPolicyOf({ bucket: 'b', key: 'k', min: '1', max: '' }), /both/);
});

test('the HTML form escapes its values, in order, the file last; the FormData snippet appends the file last', () => {
  const presigned = { url: 'https://b.s3.amazonaws.com/', fields: { key: 'u/"<x>&\'', policy: 'eyJ9', 'x-amz-signature': 'ab' } };
  const html = htmlFormSnippet(presigned);
  assert.match(html, /^<form action="https:\/\/b\.s3\.amazonaws\.com\/" method="post" enctype="multipart\/form-data">\n/);
  assert.ok(html.includes('<input type="hidden" name="key" value="u/&quot;&lt;x&gt;&amp;&#39;">'));
  assert.ok(html.indexOf('name="key"') < html.indexOf('name="policy"') && html.indexOf('name="policy"') < html.indexOf('name="x-amz-signature"'));
  assert.ok(html.indexOf('name="x-amz-signature"') < html.indexOf('name="file"'));
  const js = formDataSnippet(presigned);
  assert.ok(js.includes(JSON.stringify(presigned.fields, null, 2)));
  assert.ok(js.indexOf("form.append(name, value)") < js.indexOf("form.append('file', file)"));
  assert.equal(prettyPolicy('{"a":1}'), '{\n  "a": 1\n}');
  assert.equal(prettyPolicy('not json'), 'not json');
});

test('frameLines: the chunk headers and the trailer of encoded frames, the data skipped', () => {
  // Data that looks like a chunk header must not be read as one.
  const body = new TextEncoder().encode(`${'a'.repeat(8190)}\r\n`.repeat(2) + 'ff;chunk-signature=' + '0'.repeat(64) + '\r\n');
  const upload = signChunked({ method: 'PUT', url: 'https://b.s3.us-east-1.amazonaws.com/k' }, {
    accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 's3',
    datetime: '20130524T000000Z', decodedLength: body.length, chunkSize: 8192, checksum: 'crc32c',
  });
  const encoder = upload.encoder();
  const frames = [...encoder.write(body), encoder.end()];
  const lines = frames.flatMap(frameLines);
  assert.equal(lines.length, 3 + 1 + 2, lines.join('\n'));
  assert.match(lines[0], /^2000;chunk-signature=[0-9a-f]{64}$/);
  assert.match(lines[1], /^2000;chunk-signature=[0-9a-f]{64}$/);
  assert.match(lines[2], /^55;chunk-signature=[0-9a-f]{64}$/);
  assert.match(lines[3], /^0;chunk-signature=[0-9a-f]{64}$/);
  assert.match(lines[4], /^x-amz-checksum-crc32c:[A-Za-z0-9+/=]{8}$/);
  assert.match(lines[5], /^x-amz-trailer-signature:[0-9a-f]{64}$/);
  assert.equal(new Set(lines.slice(0, 4).map((l) => l.split('=')[1])).size, 4, 'each chunk its own signature');
  // Bytes that are no frame: no line read past 256 bytes (no huge string built).
  assert.deepEqual(frameLines(new Uint8Array(1 << 20).fill(65)), []);
});
