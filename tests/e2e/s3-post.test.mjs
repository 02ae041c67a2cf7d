// A presigned POST policy upload from headless Chromium to s3s-fs (an independent Rust S3
// server that checks the policy's signature, expiry and conditions): presignPost and
// uploadWithPost of sigv4-wasm/s3's browser build (the uploads binary) in the page, the file
// sent with FormData and XMLHttpRequest, stored byte for byte; an expired policy, a key
// outside its starts-with, a file outside its content-length-range, a field changed after
// signing and a changed signature each refused by s3s-fs, as an S3_ERROR naming its code.
// s3s-fs answers no CORS: a proxy (s3-cors-proxy.mjs) adds it, as a bucket's CORS rules would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sign } from 'sigv4-wasm';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../www/server/server.mjs';
import { httpRequest, startS3s } from '../postman/helpers.mjs';
import { startCorsProxy } from './s3-cors-proxy.mjs';

const KEY = { accessKeyId: 'AKIAS3SFSBROWSER0001', secretAccessKey: 's3s/Browser+Secret/0123456789abcdefghij' };
const BUCKET = 'post-bucket';
// 150,000 bytes of every value, binary.
const FILE = Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 7919 + (i >> 11)) % 256));

let s3;
let proxy;
let server;
let browser;
let page;
let pageErrors = [];

before(async () => {
  s3 = await startS3s({ ...{ accessKey: KEY.accessKeyId, secretKey: KEY.secretAccessKey }, bucket: BUCKET });
  proxy = await startCorsProxy(s3.url);
  server = await startServer({ port: 0, env: {} });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (proxy) await proxy.close();
  if (s3) await s3.stop();
});

/**
 * In the page: presignPost(policy, { credentials, region, datetime? }), `change` applied to the
 * result (to tamper), then uploadWithPost with the file's bytes as a File; resolves to
 * { result, progress } or { error: { name, code, s3Code, status, message } }.
 */
function uploadInPage(policy, { datetime, key, change, size = FILE.length } = {}) {
  return page.evaluate(async ({ policy, options, fileBytes, key, change }) => {
    const { presignPost, uploadWithPost } = await import('/sigv4-wasm/s3.mjs');
    const presigned = presignPost(policy, options);
    if (change === 'content-type') presigned.fields['Content-Type'] = 'text/html';
    if (change === 'signature') presigned.fields['x-amz-signature'] = presigned.fields['x-amz-signature'].replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const file = new File([new Uint8Array(fileBytes)], 'photo.bin', { type: 'application/octet-stream' });
    const progress = [];
    try {
      const result = await uploadWithPost(presigned, file, { key, onProgress: (sent, total) => progress.push([sent, total]) });
      return { result, progress, fields: presigned.fields };
    } catch (error) {
      return { error: { name: error.name, code: error.code, s3Code: error.s3Code, status: error.status, message: error.message } };
    }
  }, {
    policy: { url: `${proxy.url}/${BUCKET}`, bucket: BUCKET, ...policy },
    options: { ...KEY, region: 'us-east-1', ...(datetime ? { datetime } : {}) },
    fileBytes: [...FILE.subarray(0, size)],
    key,
    change,
  });
}

const stored = (key) => join(s3.root, BUCKET, ...key.split('/'));

test('a presigned POST from Chromium: stored byte for byte, read back, with upload progress', async () => {
  const reply = await uploadInPage(
    { key: 'uploads/${filename}', expiresIn: 300, contentLengthRange: [1, 1 << 20], contentType: 'application/octet-stream', successActionStatus: 201 },
    { key: 'uploads/photo.bin' },
  );
  assert.equal(reply.error, undefined, `${JSON.stringify(reply.error)}\n${s3.logs.join('').slice(-2000)}`);
  assert.equal(reply.result.status, 201);
  assert.equal(reply.result.key, 'uploads/photo.bin');
  assert.equal(reply.result.bucket, BUCKET);
  assert.match(reply.result.etag, /^"?[0-9a-f]{32}"?$/);
  assert.deepEqual(Object.keys(reply.fields), ['key', 'Content-Type', 'success_action_status', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'policy', 'x-amz-signature']);
  // XMLHttpRequest's upload events: growing, ending with every byte of the multipart body.
  assert.ok(reply.progress.length >= 1);
  const [lastSent, lastTotal] = reply.progress.at(-1);
  assert.equal(lastSent, lastTotal);
  assert.ok(lastTotal > FILE.length, 'the multipart body is the fields and the file');
  // The file on s3s-fs's disk, and read back with a signed GET.
  assert.ok(readFileSync(stored('uploads/photo.bin')).equals(FILE), 'the stored object is the file');
  const url = `${s3.bucketUrl}/uploads/photo.bin`;
  const get = sign({ method: 'GET', url }, { ...KEY, region: 'us-east-1', service: 's3' });
  const back = await httpRequest(url, { headers: get.headers });
  assert.equal(back.status, 200);
  assert.ok(back.body.equals(FILE), 'read back byte for byte');
  assert.deepEqual(pageErrors, []);
});

test('the refusals: expired, a key outside starts-with, too large, a field changed, a signature changed', async () => {
  const cases = [
    // Signed 10 minutes ago for 60 seconds: x-amz-date is within the 15 minutes of skew, the policy expired.
    ['expired', { key: 'refused/${filename}', expiresIn: 60 }, { key: 'refused/expired.bin', datetime: new Date(Date.now() - 600_000).toISOString() }, 403, 'AccessDenied'],
    ['outside starts-with', { key: 'refused/${filename}' }, { key: 'elsewhere/photo.bin' }, 400, 'InvalidPolicyDocument'],
    ['content-length-range', { key: 'refused/${filename}', contentLengthRange: [1, 1000] }, { key: 'refused/large.bin' }, 400, 'EntityTooLarge'],
    ['a field changed', { key: 'refused/typed.bin', contentType: 'image/png' }, { change: 'content-type' }, 400, 'InvalidPolicyDocument'],
    ['a signature changed', { key: 'refused/signed.bin' }, { change: 'signature' }, 403, 'SignatureDoesNotMatch'],
  ];
  for (const [label, policy, options, status, s3Code] of cases) {
    // 5,000 bytes: s3s-fs answers a refusal before it has read a larger body and closes the
    // connection, which the proxy cannot always pass on (a browser talking to S3 reads it).
    const reply = await uploadInPage(policy, { size: 5000, ...options });
    assert.ok(reply.error, `${label}: must be refused`);
    assert.equal(reply.error.name, 'SigV4Error', label);
    assert.equal(reply.error.code, 'S3_ERROR', label);
    assert.equal(reply.error.s3Code, s3Code, `${label}: ${reply.error.message}`);
    assert.equal(reply.error.status, status, label);
    assert.match(reply.error.message, new RegExp(`HTTP ${status}, ${s3Code}`), label);
    assert.ok(!reply.error.message.includes(KEY.secretAccessKey), 'no secret in the message');
  }
  for (const key of ['refused/expired.bin', 'elsewhere/photo.bin', 'refused/large.bin', 'refused/typed.bin', 'refused/signed.bin']) {
    assert.ok(!existsSync(stored(key)), `nothing stored at ${key}`);
  }
  // The same policy, untouched and in time, goes through: the refusals were the changes.
  const ok = await uploadInPage({ key: 'refused/${filename}', expiresIn: 60 }, { key: 'refused/fine.bin' });
  assert.equal(ok.error, undefined, JSON.stringify(ok.error));
  assert.ok(readFileSync(stored('refused/fine.bin')).equals(FILE));
});
