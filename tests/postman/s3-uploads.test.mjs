// The collection's "S3 uploads" folder against s3s-fs (which checks POST policies and each
// chunk's signature): a presigned POST policy upload of a file in a form-data body, and a
// chunked upload (signed chunks, a CRC32C in a signed trailer) of a text body, each stored
// byte for byte, on newman's stock runtime and the current one. The folder's script loads
// sigv4-wasm/s3 from the variable sigv4_s3_lib (js/dist/s3-js.cjs); the tests fail when the
// file is missing (nothing stored), when a field is tampered with, or when the library is.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { COLLECTION, ENVIRONMENT, ROOT, runCollection, startS3s, problems, postmanRuntime, routeTo } from './helpers.mjs';

const FOLDER = 'S3 uploads';
const KEY = { accessKeyId: 'AKIAS3SFSUPLOADS0001', secretAccessKey: 's3s/Uploads+Secret/0123456789abcdefghij' };
const env = Object.fromEntries(ENVIRONMENT().values.map((v) => [v.key, v.value]));
const S3_LIB = readFileSync(join(ROOT, 'js', 'dist', 's3-js.cjs'), 'utf8');
// The POST upload's file: binary, 40,000 bytes.
const FILE = Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 31337 + (i >> 5)) % 256));
// The chunked upload's text: 20,000 bytes of UTF-8 in 8 KiB chunks (three chunks, characters cut between them).
const TEXT = 'Sent by Postman in aws-chunked encoding: ünïcødé ✓ '.repeat(400).slice(0, 19_000);
const TEXT_BYTES = Buffer.from(TEXT, 'utf8');

let s3;
let workingDir;
before(async () => {
  s3 = await startS3s({ accessKey: KEY.accessKeyId, secretKey: KEY.secretAccessKey, bucket: 'uploads-bucket' });
  workingDir = mkdtempSync(join(tmpdir(), 'sigv4-postman-s3-uploads-'));
  writeFileSync(join(workingDir, 'sigv4-post-upload.bin'), FILE);
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
  sigv4_s3_lib: S3_LIB,
  // s3s-fs stores the key as sent (it does not put the file's name for ${filename}, as S3
  // does): the form sends a key within the policy's prefix.
  s3_post_object_key: `${env.s3_post_key.replace('${filename}', '')}form.bin`,
  s3_post_md5: createHash('md5').update(FILE).digest('hex'),
  s3_chunked_text: TEXT,
  ...extra,
});
const onDisk = (key) => join(s3.root, s3.bucket, ...key.split('/'));

for (const runtime of ['stock', 'latest']) {
  describe(`S3 uploads on s3s-fs (${runtime}: newman ${Object.values(postmanRuntime(runtime).versions).join(', ')})`, () => {
    test('a presigned POST policy upload and a chunked upload, each stored byte for byte; the chunked object read back', async (t) => {
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor() });
      t.diagnostic(`${run.ms} ms`);
      assert.deepEqual(problems(run), [], s3.logs.join('').slice(-3000));
      assert.deepEqual(run.executions.map((e) => [e.name, e.status]), [
        ['POST object with a presigned POST policy', 201], ['PUT object as a chunked upload', 200], ['GET the chunked upload', 200],
      ]);
      const postKey = valuesFor().s3_post_object_key;
      assert.ok(readFileSync(onDisk(postKey)).equals(FILE), 'the POSTed file is stored byte for byte');
      assert.ok(readFileSync(onDisk(env.s3_chunked_key)).equals(TEXT_BYTES), 'the chunked text is stored byte for byte');
      // The POST went out as a policy form (no Authorization header), its file last.
      const post = run.executions[0].request;
      assert.ok(!post.headers.some(([k]) => k.toLowerCase() === 'authorization'), 'a POST policy upload has no Authorization header');
      assert.deepEqual(post.formdata, ['key', 'success_action_status', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'policy', 'x-amz-signature', 'file'],
        'the policy\'s fields, then the file, last');
      // The PUT was aws-chunked, signed by the folder's script.
      const put = Object.fromEntries(run.executions[1].request.headers.map(([k, v]) => [k.toLowerCase(), v]));
      assert.equal(put['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER');
      assert.equal(put['x-amz-decoded-content-length'], String(TEXT_BYTES.length));
      assert.equal(put['content-encoding'], 'aws-chunked');
      assert.equal(put['x-amz-trailer'], 'x-amz-checksum-crc32c');
      assert.ok(run.console.some((c) => new RegExp(`a chunked upload, ${TEXT_BYTES.length} bytes in 4 chunks of 8192`).test(c.text)), 'the console says what was sent');
    });

    test('a key outside the policy\'s prefix: refused by s3s-fs, the test fails, nothing stored', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ s3_post_object_key: 'elsewhere/form.bin' }) });
      assert.equal(run.executions[0].status, 400);
      assert.match(run.executions[0].body, /InvalidPolicyDocument/);
      assert.ok(problems(run).some((p) => p.startsWith('POST object with a presigned POST policy')), 'the request\'s test fails');
      assert.ok(!existsSync(onDisk('elsewhere/form.bin')));
    });

    test('no file to send: the POST test fails (it cannot pass with nothing stored)', async () => {
      const empty = mkdtempSync(join(tmpdir(), 'sigv4-postman-empty-'));
      try {
        const run = await runCollection({ runtime, folder: FOLDER, workingDir: empty, values: valuesFor({ s3_post_object_key: 'uploads-missing/form.bin' }) });
        assert.ok(problems(run).some((p) => p.startsWith('POST object with a presigned POST policy')), JSON.stringify(run.executions.map((e) => [e.name, e.status])));
        assert.ok(!existsSync(onDisk('uploads-missing/form.bin')), 'nothing stored (s3s-fs: MalformedPOSTRequest)');
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    test('a bucket URL that names its region (s3.eu-west-1.amazonaws.com): the uploads are signed for it, not for aws_region', async () => {
      // The requests go to s3s-fs through an agent (routeTo), with the AWS host in Host. s3s-fs
      // takes any region: what is checked is the region the POST policy and the chunked seed name.
      const key = `${env.s3_post_key.replace('${filename}', '')}regional.bin`;
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, requestAgents: routeTo(Number(new URL(s3.url).port)),
        values: valuesFor({ s3_bucket_url: `http://s3.eu-west-1.amazonaws.com/${s3.bucket}`, aws_region: 'us-east-1', s3_post_object_key: key }) });
      assert.deepEqual(problems(run), [], s3.logs.join('').slice(-2000));
      const log = run.console.map((c) => c.text).join('\n');
      assert.match(log, new RegExp(`"x-amz-credential":"${KEY.accessKeyId}/\\d{8}/eu-west-1/s3/aws4_request"`), 'the POST policy is for eu-west-1');
      const put = Object.fromEntries(run.executions[1].request.headers.map(([k, v]) => [k.toLowerCase(), v]));
      assert.match(put.authorization, /\/eu-west-1\/s3\/aws4_request, /, 'the chunked seed is signed for eu-west-1');
      assert.ok(readFileSync(onDisk(key)).equals(FILE), 'the POSTed file is stored byte for byte');
    });

    test('with a session token: the POST policy and the chunked upload are logged without it, or the secret', async () => {
      // The policy document carries the token as a condition, the chunked seed's canonical
      // request as a header: both are logged, neither may show it. (s3s-fs refuses the token:
      // only the console is checked.)
      const token = 'FwoGZXIvYXdzSessionTokenForTheLogTest/abc+def=';
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ aws_session_token: token }) });
      const log = run.console.map((c) => c.text).join('\n');
      assert.match(log, /a POST policy for uploads-bucket/, 'the policy is logged');
      assert.match(log, /"x-amz-security-token":"\*\* redacted \*\*"/, 'the policy shows where the token is');
      assert.match(log, /x-amz-security-token:\*\* redacted \*\*/, 'the chunked seed\'s canonical request is logged, the token redacted');
      assert.ok(!log.includes(token) && !log.includes(JSON.stringify(token).slice(1, -1)), 'no session token in the console');
      assert.ok(!log.includes(KEY.secretAccessKey), 'no secret in the console');
    });

    test('without sigv4_s3_lib: the folder\'s requests stop, with what to set', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ sigv4_s3_lib: '' }) });
      assert.ok(run.console.some((c) => c.text.includes('set the variable sigv4_s3_lib')), JSON.stringify(run.console.slice(0, 3)));
      assert.ok(!run.executions.some((e) => e.name === 'POST object with a presigned POST policy' && e.status), 'the POST is not sent');
    });

    test('a host that names no region and no aws_region: the uploads stop and say what to set (no silent us-east-1)', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, workingDir, values: valuesFor({ aws_region: '' }) });
      const stops = run.console.filter((c) => c.text.startsWith('sigv4 S3 uploads: cannot tell the region to sign for: the host 127.0.0.1:'));
      assert.equal(stops.length, 2, JSON.stringify(run.console));
      assert.ok(stops.every((c) => c.text.endsWith('Set the variable aws_region (for example us-east-1)')), JSON.stringify(stops));
      assert.ok(!run.executions.some((e) => /^(POST|PUT) /.test(e.name) && e.status), 'neither upload is sent');
    });
  });
}
