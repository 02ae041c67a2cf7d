// The debugger's tools in headless Chromium against the local API (issue 15): loading the
// server's canonical request into the form, importing a request signed elsewhere and
// comparing signatures, the canonicalization rules with their links, and the code that signs
// at run time.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as sigv4 from 'sigv4-wasm';
import { browser, server, startServerAndChromium } from './harness.mjs';
import { curlSnippet } from '../../www/lib/snippets.mjs';

let context;
let page;
let pageErrors;

startServerAndChromium();
beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
});
afterEach(async () => {
  assert.deepEqual(pageErrors, []);
  await context.close();
});

async function useDemoKey() {
  await page.click('#demo-button');
  await page.waitForFunction(() => document.getElementById('f-accessKeyId').value !== '');
}

async function responseStatus(previous = '') {
  await page.waitForFunction((prev) => {
    const text = document.getElementById('response-status').textContent;
    return /^\d{3}\b/.test(text) && text !== prev;
  }, previous);
  return page.textContent('#response-status');
}

const causeIds = () => page.$$eval('#debug-causes li', (items) => items.map((li) => li.dataset.cause));

test("the server's canonical request loads into the form: method, URL, headers, signed-header list and time; re-signed, it is accepted", async () => {
  await useDemoKey();
  await page.fill('#f-url', `${server.url}/test/pets?type=dog`);
  await page.fill('#f-headers', 'X-Demo: one\nX-Unsigned: later');
  await page.click('#sign-button');
  // Sent with a header changed and one more: the server's canonical request says what it computed.
  await page.fill('#send-headers', (await page.inputValue('#send-headers')).replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  assert.match(await responseStatus(), /^403/);
  assert.equal((await causeIds())[0], 'header-changed');
  await page.fill('#f-method', 'DELETE');
  await page.fill('#f-url', `${server.url}/test/elsewhere`);
  await page.click('#load-canonical');
  assert.equal(await page.inputValue('#f-method'), 'GET');
  assert.equal(await page.inputValue('#f-url'), `${server.url}/test/pets?type=dog`);
  assert.match(await page.inputValue('#f-headers'), /^x-demo: two$/m);
  assert.equal(await page.inputValue('#f-signedHeaders'), 'host;x-amz-date;x-demo;x-unsigned');
  assert.match(await page.inputValue('#f-datetime'), /^\d{8}T\d{6}Z$/);
  // Signed again from it: the same canonical request as the server's, so only the key could differ.
  assert.equal((await causeIds())[0], 'secret');
  assert.match(await page.textContent('#load-canonical-notes'), /Loaded GET/);
  // And sent as loaded, the API accepts it.
  await page.fill('#f-datetime', '');
  await page.click('#sign-send-button');
  assert.match(await responseStatus('403 Forbidden'), /^200/);
});

test('import a curl command signed elsewhere: same signature with the same key; a different region and key are named', async () => {
  await useDemoKey();
  const creds = server.credentials;
  const signed = sigv4.sign({ method: 'POST', url: `${server.url}/test/pets`, headers: { 'Content-Type': 'application/json' }, body: '{"type":"cat"}' }, { ...creds, datetime: '20261123T101500Z' });
  const headers = Object.entries(signed.headers).filter(([n]) => n !== 'host');
  await page.click('#import-box summary');
  await page.fill('#import-input', `${curlSnippet({ method: 'POST', url: signed.url, headers: [...headers, ['Accept', '*/*']], body: '{"type":"cat"}' })} --compressed`);
  await page.click('#import-button');
  await page.waitForSelector('#import-same');
  assert.equal(await page.inputValue('#f-method'), 'POST');
  assert.equal(await page.inputValue('#f-body'), '{"type":"cat"}');
  assert.doesNotMatch(await page.inputValue('#f-headers'), /Accept/);
  assert.match(await page.textContent('#import-notes'), /left out here: Accept/);
  // Another client's signature for another region and key.
  const other = sigv4.sign({ method: 'GET', url: `${server.url}/test/pets` }, { accessKeyId: 'AKIAOTHERKEY00000001', secretAccessKey: 'other', region: 'eu-west-1', service: 'execute-api', datetime: '20261123T101500Z' });
  await page.fill('#import-input', ['GET /test/pets HTTP/1.1', `Host: ${signed.headers.host}`, `X-Amz-Date: ${other.headers['x-amz-date']}`, `Authorization: ${other.headers.authorization}`, '', ''].join('\r\n'));
  await page.click('#import-button');
  await page.waitForSelector('#import-compare');
  // The form took its key and region: fill in the demo key again to compare with ours.
  await page.fill('#f-accessKeyId', creds.accessKeyId);
  await page.fill('#f-region', creds.region);
  await page.click('#sign-button');
  await page.waitForSelector('#import-differences li');
  const fields = await page.$$eval('#import-differences li', (items) => items.map((li) => li.dataset.field));
  assert.deepEqual(fields, ['access key id', 'region', 'signature']);
  assert.match(await page.textContent('#import-differences'), /eu-west-1/);
});

test('a hostile paste into the import box is refused quickly and the page stays usable', async () => {
  await page.click('#import-box summary');
  await page.$eval('#import-input', (area) => { area.value = `curl 'https://h.example/${'x'.repeat(2_000_000)}`; });
  const start = Date.now();
  await page.click('#import-button');
  await page.waitForSelector('#import-error');
  assert.ok(Date.now() - start < 3000, `${Date.now() - start} ms`);
  assert.match(await page.textContent('#import-error'), /quote is not closed/);
  await useDemoKey();
  await page.click('#sign-button');
  await page.waitForSelector('#step-signature');
});

test('each canonicalization rule is explained beside its step and under the cause, with the AWS documentation link', async () => {
  await useDemoKey();
  await page.click('#sign-button');
  const rules = await page.$$eval('#rules-canonical-request li', (items) => items.map((li) => [li.dataset.rule, li.querySelector('a').href]));
  assert.deepEqual(rules.map(([id]) => id), ['path', 'query', 'headers', 'signed-headers', 'payload']);
  assert.ok(rules.every(([, href]) => href.startsWith('https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html')));
  await page.fill('#f-service', 's3');
  await page.click('#sign-button');
  const s3Rules = await page.$$eval('#rules-canonical-request li', (items) => items.map((li) => [li.dataset.rule, li.querySelector('a').href]));
  assert.deepEqual(s3Rules.map(([id]) => id), ['path-s3', 'query', 'headers', 'signed-headers', 'payload-s3']);
  assert.match(s3Rules[0][1], /AmazonS3\/latest\/API\/sig-v4-header-based-auth\.html$/);
  // Under a cause of the debugger.
  await page.fill('#f-service', 'execute-api');
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  await page.fill('#send-headers', (await page.inputValue('#send-headers')).replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  await page.waitForSelector('#debug-causes li[data-cause="header-changed"] .rule-note a');
  assert.equal(await page.getAttribute('#debug-causes li[data-cause="header-changed"] .rule-note', 'data-rule'), 'headers');
});

test('code that signs when it runs: from environment variables by default, the secret only when ticked; the Postman link is served', async () => {
  await useDemoKey();
  await page.click('#sign-button');
  const secret = await page.inputValue('#f-secretAccessKey');
  await page.click('#runtime-box summary');
  const texts = {};
  for (const kind of ['node', 'browser', 'react-native', 'curl', 'aws4fetch', 'sdk-v3', 'botocore']) {
    await page.click(`#runtime-buttons button[data-kind="${kind}"]`);
    texts[kind] = await page.textContent('#runtime-snippet');
    assert.ok(!texts[kind].includes(secret), `${kind} shows the secret`);
    assert.equal(await page.getAttribute(`#runtime-buttons button[data-kind="${kind}"]`, 'aria-pressed'), 'true');
  }
  assert.match(texts.node, /process\.env\.AWS_SECRET_ACCESS_KEY/);
  assert.match(texts.node, new RegExp(`${server.url.replace(/[.]/g, '\\.')}/test/pets`));
  assert.match(texts.curl, /--aws-sigv4 'aws:amz:us-east-1:execute-api'/);
  await page.check('#embed-secret');
  assert.ok((await page.textContent('#runtime-snippet')).includes(secret), 'ticked: the secret is written in');
  await page.uncheck('#embed-secret');
  assert.ok(!(await page.textContent('#runtime-snippet')).includes(secret));
  const href = await page.getAttribute('#postman-link', 'href');
  const response = await page.request.get(`${server.url}${href}`);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'], /^text\/plain/);
  assert.match(await response.text(), /Postman/);
});

test("an S3 error's <CanonicalRequest> loads with S3's rules: the key encoded once, S3 ticked, the same canonical request signed again", async () => {
  await useDemoKey();
  const { accessKeyId, secretAccessKey } = server.credentials;
  const url = 'https://examplebucket.s3.us-east-1.amazonaws.com/my%20folder/a%2Bb.txt';
  const s3 = sigv4.sign({ method: 'PUT', url, headers: { 'x-amz-meta-note': 'hi   there' } }, { accessKeyId, secretAccessKey, datetime: '20261123T101500Z' });
  const xml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  await page.fill('#debug-input', `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><AWSAccessKeyId>${accessKeyId}</AWSAccessKeyId><StringToSign>${xml(s3.stringToSign)}</StringToSign><SignatureProvided>${'0'.repeat(64)}</SignatureProvided><CanonicalRequest>${xml(s3.canonicalRequest)}</CanonicalRequest><RequestId>R</RequestId></Error>`);
  await page.click('#debug-button');
  await page.click('#load-canonical');
  assert.equal(await page.inputValue('#f-url'), url);
  assert.equal(await page.inputValue('#f-method'), 'PUT');
  assert.equal(await page.inputValue('#f-service'), 's3');
  assert.equal(await page.isChecked('#f-s3'), true);
  assert.equal(await page.textContent('#step-canonical-request'), s3.canonicalRequest);
  assert.equal((await causeIds())[0], 'secret');
});
