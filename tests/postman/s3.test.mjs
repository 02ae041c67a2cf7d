// The collection's S3 folder against s3s-fs (an independent Rust S3 server that checks header
// and presigned signatures, expiry and the payload's SHA-256): an object whose key has spaces
// and reserved characters put and got back byte for byte, a file put with UNSIGNED-PAYLOAD,
// and a presigned GET whose URL works from outside Postman, and fails tampered or expired.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { COLLECTION, ENVIRONMENT, httpRequest, runCollection, startS3s, problems, postmanRuntime } from './helpers.mjs';

const FOLDER = 'S3';
const KEY = { accessKeyId: 'AKIAS3SFSPOSTMAN0001', secretAccessKey: 's3s/Postman+Secret/0123456789abcdefghij' };
const env = Object.fromEntries(ENVIRONMENT().values.map((v) => [v.key, v.value]));
/** The object keys the environment's URL paths name (%2B is a +). */
const OBJECT_KEY = decodeURIComponent(env.s3_key);
const UPLOAD_KEY = env.s3_upload_key;
const UPLOAD = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256)); // binary, > 64 KiB

let s3;
let workingDir;
before(async () => {
  s3 = await startS3s({ accessKey: KEY.accessKeyId, secretKey: KEY.secretAccessKey });
  workingDir = mkdtempSync(join(tmpdir(), 'sigv4-postman-s3-'));
  writeFileSync(join(workingDir, 'sigv4-upload.bin'), UPLOAD);
});
after(async () => {
  if (s3) await s3.stop();
  rmSync(workingDir, { recursive: true, force: true });
});

const valuesFor = (extra = {}) => ({
  s3_bucket_url: s3.bucketUrl,
  aws_region: 'us-east-1',
  aws_service: 's3',
  aws_access_key_id: KEY.accessKeyId,
  aws_secret_access_key: KEY.secretAccessKey,
  s3_upload_md5: createHash('md5').update(UPLOAD).digest('hex'),
  ...extra,
});
const onDisk = (key) => readFileSync(join(s3.root, s3.bucket, ...key.split('/')));
const flipHex = (text) => text.replace(/(X-Amz-Signature=[0-9a-f]{10})([0-9a-f])/, (m, a, c) => a + (c === '0' ? '1' : '0'));

for (const runtime of ['stock', 'latest']) {
  describe(`S3 on s3s-fs (${runtime}: newman ${Object.values(postmanRuntime(runtime).versions).join(', ')})`, () => {
    let presignedUrl;

    test('PUT and GET an object with spaces and reserved characters in its key, a file with UNSIGNED-PAYLOAD, a presigned GET', async (t) => {
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor() });
      t.diagnostic(`${run.ms} ms`);
      assert.deepEqual(problems(run), [], s3.logs.join('').slice(-3000));
      assert.deepEqual(run.executions.map((e) => [e.name, e.status]), [
        ['PUT object', 200], ['GET object', 200], ['PUT object from a file (UNSIGNED-PAYLOAD)', 200], ['Presign GET object', 200], ['GET the presigned URL', 200],
      ]);
      const text = Buffer.from(env.s3_object_text, 'utf8');
      assert.ok(onDisk(OBJECT_KEY).equals(text), `the object is stored under the key ${JSON.stringify(OBJECT_KEY)}, byte for byte`);
      assert.ok(run.executions[1].bodyBytes.equals(text), 'and read back byte for byte');
      assert.ok(onDisk(UPLOAD_KEY).equals(UPLOAD), 'the file is stored byte for byte');
      const putFile = run.executions[2].request.headers.find(([k]) => k.toLowerCase() === 'x-amz-content-sha256');
      assert.equal(putFile[1], 'UNSIGNED-PAYLOAD');
      const put = run.executions[0].request.headers.find(([k]) => k.toLowerCase() === 'x-amz-content-sha256');
      assert.match(put[1], /^[0-9a-f]{64}$/, 'a raw body is signed with its hash, which s3s-fs checks');
      presignedUrl = run.collectionVariables.sigv4_presigned_url;
      assert.match(presignedUrl, /X-Amz-Expires=300&.*X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/);
      assert.ok(run.console.some((c) => c.text.includes(presignedUrl)), 'the presigned URL is in the console');
    });

    test('the presigned URL from the variable works outside Postman; tampered it is refused', async () => {
      const ok = await httpRequest(presignedUrl);
      assert.equal(ok.status, 200);
      assert.equal(ok.text, env.s3_object_text);
      const flipped = await httpRequest(flipHex(presignedUrl));
      assert.equal(flipped.status, 403);
      assert.match(flipped.text, /SignatureDoesNotMatch/);
      const longer = await httpRequest(presignedUrl.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'));
      assert.equal(longer.status, 403);
      const otherKey = await httpRequest(presignedUrl.replace(/\/[^/?]+\?/, '/other.txt?'));
      assert.equal(otherKey.status, 403);
    });

    test('a presigned URL past its expiry is refused ("Request has expired")', async () => {
      const twoHoursAgo = new Date(Date.now() - 2 * 3600_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ sigv4_datetime: twoHoursAgo }) });
      const presign = run.executions.find((e) => e.name === 'Presign GET object');
      assert.equal(presign.status, 403, 'Postman sent the expired URL');
      const expired = await httpRequest(run.collectionVariables.sigv4_presigned_url);
      assert.equal(expired.status, 403);
      assert.match(expired.text, /Request has expired/);
    });

    test('a wrong secret: 403 SignatureDoesNotMatch, nothing stored', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ aws_secret_access_key: `${KEY.secretAccessKey}x`, s3_key: 'wrong-secret.txt' }) });
      assert.equal(run.executions[0].status, 403);
      assert.match(run.executions[0].body, /SignatureDoesNotMatch/);
      assert.throws(() => onDisk('wrong-secret.txt'), /ENOENT/);
    });

    test('the upload test fails when the file is missing (newman sends an empty body) or is not the one named by s3_upload_md5; a binary body without a file stops', async () => {
      const UPLOAD_TEST = 'PUT object from a file (UNSIGNED-PAYLOAD)';
      const emptyDir = mkdtempSync(join(tmpdir(), 'sigv4-postman-nofile-'));
      try {
        const missing = await runCollection({ runtime, folder: FOLDER, workingDir: emptyDir, values: valuesFor({ s3_upload_key: 'missing-file.bin' }) });
        assert.equal(onDisk('missing-file.bin').length, 0, 'newman sent an empty body: S3 stored 0 bytes');
        assert.ok(problems(missing).some((p) => p.startsWith(`${UPLOAD_TEST}: 200: the file is stored, not an empty body: the ETag of an empty object: no file was sent`)), problems(missing).join('\n'));
      } finally {
        rmSync(emptyDir, { recursive: true, force: true });
      }
      const other = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ s3_upload_key: 'other-file.bin', s3_upload_md5: createHash('md5').update('another file').digest('hex') }) });
      assert.ok(problems(other).some((p) => p.startsWith(`${UPLOAD_TEST}: 200: the file is stored, not an empty body: the MD5 of the stored object against s3_upload_md5`)), problems(other).join('\n'));
      // In the app, a binary body with no file chosen has no src: the script stops instead of signing an empty body.
      const collection = COLLECTION();
      const upload = collection.item.find((f) => f.name === FOLDER).item.find((i) => i.name === UPLOAD_TEST);
      upload.request.body = { mode: 'file', file: {} };
      const noFile = await runCollection({ runtime, collection, folder: FOLDER, workingDir, values: valuesFor({ s3_upload_key: 'no-file.bin' }) });
      assert.ok(!noFile.executions.some((e) => e.name === UPLOAD_TEST), 'not sent');
      assert.throws(() => onDisk('no-file.bin'), /ENOENT/);
      assert.match(noFile.failures.map((f) => f.error.message).join('\n'), /has a binary \(file\) body but no file: choose the file in Body > binary/);
    });
  });
}
