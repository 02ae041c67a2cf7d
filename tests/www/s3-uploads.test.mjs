// The S3 uploads part's logic (www/lib/s3-uploads.mjs): object URLs, chunk counts, the headers
// a page may set, the bucket of a URL, the policy options from the form, and the snippets
// (the HTML form escapes its values and puts the file last). In Chromium: tests/e2e/s3-playground.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketOf, chunkCount, formDataSnippet, htmlFormSnippet, objectUrl, postPolicyOf, prettyPolicy, settableHeaders } from '../../www/lib/s3-uploads.mjs';

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
