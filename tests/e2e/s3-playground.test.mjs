// The playground's S3 uploads part in headless Chromium against s3s-fs: a picked file sent as
// a chunked upload (signed chunks, a CRC32C trailer), the progress reaching 100% and the chunk
// count shown, the seed's canonical request and string to sign shown, the object stored byte
// for byte; the POST form generator's outputs, and a file uploaded with the form it made.
// s3s-fs answers no CORS: a proxy (s3-cors-proxy.mjs) adds it, as a bucket's CORS rules would.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../www/server/server.mjs';
import { startS3s } from '../postman/helpers.mjs';
import { startCorsProxy } from './s3-cors-proxy.mjs';

const KEY = { accessKeyId: 'AKIAS3SFSPLAYGROUND1', secretAccessKey: 's3s/Playground+Secret/0123456789abcdefg' };
const BUCKET = 'playground-bucket';
// 100,000 bytes: twelve 8 KiB chunks and a short one.
const FILE = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 104729 + (i >> 7)) % 256));

let s3;
let proxy;
let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  s3 = await startS3s({ accessKey: KEY.accessKeyId, secretKey: KEY.secretAccessKey, bucket: BUCKET });
  proxy = await startCorsProxy(s3.url);
  server = await startServer({ port: 0, env: {} });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.fill('#f-accessKeyId', KEY.accessKeyId);
  await page.fill('#f-secretAccessKey', KEY.secretAccessKey);
  await page.fill('#s3-bucket-url', `${proxy.url}/${BUCKET}`);
  await page.fill('#s3-region', 'us-east-1');
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (proxy) await proxy.close();
  if (s3) await s3.stop();
});

const stored = (key) => readFileSync(join(s3.root, BUCKET, ...key.split('/')));

test('a chunked upload of a picked file: progress to 100%, the chunk count, the seed steps, stored byte for byte', async () => {
  await page.setInputFiles('#s3-file', { name: 'picked.bin', mimeType: 'application/octet-stream', buffer: FILE });
  await page.fill('#s3-key', 'chunked/picked file.bin');
  await page.selectOption('#s3-chunk-size', '8192');
  await page.selectOption('#s3-checksum', 'crc32c');
  // The progress bar's values as the page sets them.
  await page.evaluate(() => {
    window.progressSeen = [];
    new MutationObserver(() => window.progressSeen.push(Number(document.getElementById('s3-progress').value)))
      .observe(document.getElementById('s3-chunk-status'), { childList: true, characterData: true, subtree: true });
  });
  await page.click('#s3-upload-button');
  await page.waitForFunction(() => /^Stored|/.test(document.getElementById('s3-chunk-status').textContent)
    && (document.getElementById('s3-chunk-status').textContent.startsWith('Stored') || !document.getElementById('s3-upload-error').hidden));
  assert.equal(await page.isHidden('#s3-upload-error'), true, await page.textContent('#s3-upload-error'));
  assert.equal(await page.evaluate(() => document.getElementById('s3-progress').value), 100);
  assert.match(await page.textContent('#s3-chunk-status'), /^Stored chunked\/picked file\.bin: 100000 bytes in 14 chunks \(\d+ bytes encoded\), HTTP 200/);
  const seen = await page.evaluate(() => window.progressSeen);
  assert.ok(seen.length >= 14, `the chunk count was shown as the chunks were signed (${seen.length} updates)`);
  assert.ok(seen.every((v, i) => i === 0 || v >= seen[i - 1]), 'the progress only grows');
  const canonical = await page.textContent('#s3-seed-canonical');
  assert.match(canonical, /^PUT\n\/playground-bucket\/chunked\/picked%20file\.bin\n/);
  assert.match(canonical, /\nx-amz-decoded-content-length:100000\n/);
  assert.match(canonical, /\nx-amz-trailer:x-amz-checksum-crc32c\n/);
  assert.match(canonical, /\nSTREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER$/);
  assert.match(await page.textContent('#s3-seed-sts'), /^AWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/s3\/aws4_request\n[0-9a-f]{64}$/);
  // The chain: the first chunks, then the last ones, the final empty chunk and the signed trailer.
  const chain = (await page.textContent('#s3-chunk-lines')).split('\n');
  assert.match(chain[0], /^2000;chunk-signature=[0-9a-f]{64}$/);
  assert.equal(chain[4], '… 8 more chunks …');
  assert.match(chain.at(-4), /^6a0;chunk-signature=[0-9a-f]{64}$/, '100,000 = 12 x 8192 + 0x6a0');
  assert.match(chain.at(-3), /^0;chunk-signature=[0-9a-f]{64}$/);
  assert.match(chain.at(-2), /^x-amz-checksum-crc32c:[A-Za-z0-9+/=]{8}$/);
  assert.match(chain.at(-1), /^x-amz-trailer-signature:[0-9a-f]{64}$/);
  assert.ok(stored('chunked/picked file.bin').equals(FILE), 'the stored object is the picked file');
  const put = proxy.requests.find((r) => r.method === 'PUT');
  assert.equal(put.headers['content-encoding'], 'aws-chunked', 'sent aws-chunked');
  assert.deepEqual(pageErrors, []);
});

test('the POST form generator: the policy, its base64, the signature, the fields and snippets; a file uploaded with the form', async () => {
  await page.fill('#s3-post-key', 'forms/${filename}');
  await page.fill('#s3-post-max', '200000');
  await page.click('#s3-post-button');
  await page.waitForSelector('#s3-post-output:not([hidden])');
  assert.equal(await page.isHidden('#s3-post-error'), true);
  const policy = JSON.parse(await page.textContent('#s3-post-policy'));
  assert.deepEqual(policy.conditions.slice(0, 4), [{ bucket: BUCKET }, ['starts-with', '$key', 'forms/'], ['content-length-range', 1, 200000], { success_action_status: '201' }]);
  const base64 = await page.textContent('#s3-post-base64');
  assert.deepEqual(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')), policy);
  assert.match(await page.textContent('#s3-post-signature'), /^[0-9a-f]{64}$/);
  const fields = await page.textContent('#s3-post-fields');
  assert.match(fields, /^key: forms\/\$\{filename\}\nsuccess_action_status: 201\nx-amz-algorithm: AWS4-HMAC-SHA256\n/);
  const html = await page.textContent('#s3-post-html');
  assert.match(html, new RegExp(`^<form action="${proxy.url}/${BUCKET}" method="post" enctype="multipart/form-data">`));
  assert.ok(html.indexOf('name="policy"') < html.indexOf('name="file"'), 'the file input comes last');
  assert.match(await page.textContent('#s3-post-formdata'), /form\.append\('file', file\)/);
  // The form at work. (s3s-fs 0.14.1 stores the key as sent: it does not put the file's name in
  // place of ${filename}, as S3 does.)
  await page.setInputFiles('#s3-post-file', { name: 'form.bin', mimeType: 'application/octet-stream', buffer: FILE });
  await page.click('#s3-post-upload-button');
  await page.waitForFunction(() => /^Stored|S3_ERROR|Error/.test(document.getElementById('s3-post-status-text').textContent));
  assert.match(await page.textContent('#s3-post-status-text'), /^Stored as forms\/\$\{filename\}: HTTP 201/);
  assert.ok(stored('forms/${filename}').equals(FILE));
  assert.deepEqual(pageErrors, []);
});
