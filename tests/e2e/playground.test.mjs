// The playground in headless Chromium against the local API: sign and send with the demo
// key, unsigned requests, a header changed after signing, presigned URLs that expire.
import { beforeEach, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../www/server/server.mjs';
import { browser, server, startServerAndChromium } from './harness.mjs';

let context;
let page;
let pageErrors;
let requests;

startServerAndChromium();

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  pageErrors = [];
  requests = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  page.on('request', (request) => requests.push(request));
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
});
afterEach(async () => {
  await context.close();
});

async function useDemoKey() {
  await page.click('#demo-button');
  await page.waitForFunction(() => document.getElementById('f-accessKeyId').value !== '');
}

async function responseStatus() {
  await page.waitForFunction(() => /^\d{3}\b|^No response/.test(document.getElementById('response-status').textContent));
  return page.textContent('#response-status');
}

async function causes() {
  return page.$$eval('#debug-causes li', (items) => items.map((li) => ({ id: li.dataset.cause, text: li.textContent })));
}

test('the page loads with the WebAssembly signer and no errors', async () => {
  assert.equal(await page.title(), 'SigV4 signing playground · sigv4-wasm');
  assert.equal(await page.getAttribute('#backend-status', 'data-backend'), 'wasm');
  assert.equal(await page.inputValue('#f-url'), `${server.url}/test/pets`);
  assert.deepEqual(pageErrors, []);
  // Offline: nothing is loaded from anywhere but this server.
  for (const request of requests) assert.ok(request.url().startsWith(server.url) || request.url().startsWith('data:'), request.url());
});

test('signs GET /pets with the demo key, shows every step, and gets 200 with the pets', async () => {
  await useDemoKey();
  assert.equal(await page.inputValue('#f-region'), 'us-east-1');
  assert.equal(await page.inputValue('#f-service'), 'execute-api');
  await page.fill('#f-url', `${server.url}/test/pets?type=dog`);
  await page.click('#sign-send-button');
  assert.match(await responseStatus(), /^200/);
  const body = JSON.parse(await page.textContent('#response-body'));
  assert.ok(body.length > 0 && body.every((pet) => pet.type === 'dog'), JSON.stringify(body));

  const step = (id) => page.textContent(`#step-${id}`);
  assert.match(await step('canonical-request'), /^GET\n\/test\/pets\ntype=dog\nhost:127\.0\.0\.1:\d+\nx-amz-date:\d{8}T\d{6}Z\n\nhost;x-amz-date\ne3b0c442/);
  const stringToSign = await step('string-to-sign');
  assert.equal(stringToSign.split('\n')[3], await step('canonical-request-hash'));
  assert.equal((await step('signing-key')).match(/\b[0-9a-f]{64}\b/g).length, 4);
  const signature = await step('signature');
  assert.match(signature, /^[0-9a-f]{64}$/);
  assert.ok((await step('result')).includes(`Signature=${signature}`));

  // The secret never left the page: no request carried it.
  const secret = await page.inputValue('#f-secretAccessKey');
  for (const request of requests) {
    const sent = `${request.url()}\n${JSON.stringify(await request.allHeaders())}\n${request.postData() || ''}`;
    assert.ok(!sent.includes(secret), `the secret was sent to ${request.url()}`);
  }
  assert.deepEqual(pageErrors, []);
});

test('sending unsigned gets Missing Authentication Token, and the debugger says why', async () => {
  await page.click('#send-unsigned-button');
  assert.match(await responseStatus(), /^403/);
  assert.deepEqual(JSON.parse(await page.textContent('#response-body')), { message: 'Missing Authentication Token' });
  const found = await causes();
  assert.equal(found[0].id, 'not-signed');
  assert.match(found[0].text, /not signed/);
});

test('a header changed after signing: 403, and the debugger names the header', async () => {
  await useDemoKey();
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  const headers = await page.inputValue('#send-headers');
  assert.match(headers, /^X-Demo: one$/m);
  await page.fill('#send-headers', headers.replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  assert.match(await responseStatus(), /^403/);
  assert.match(await page.textContent('#response-body'), /The request signature we calculated does not match/);
  const found = await causes();
  assert.equal(found[0].id, 'header-changed');
  assert.match(found[0].text, /Header 'x-demo' changed after signing/);
  assert.match(found[0].text, /'one'.*'two'/);
  const changedRows = await page.$$eval('#diff-canonical-request tr.changed', (rows) => rows.map((row) => [...row.cells].map((c) => c.dataset.line)));
  assert.deepEqual(changedRows, [['x-demo:two', 'x-demo:one']]);
  assert.equal(await page.isVisible('#response-debug-link'), true);
});

test('a presigned URL is accepted, then refused once it expires', async () => {
  await useDemoKey();
  await page.check('#f-location-query');
  await page.fill('#f-expiresIn', '1');
  await page.click('#sign-button');
  const url = await page.textContent('#step-result');
  assert.match(url, /[?&]X-Amz-Expires=1&/);
  assert.equal(await page.inputValue('#send-url'), url);
  await page.click('#send-button');
  assert.match(await responseStatus(), /^200/);
  // X-Amz-Date has whole seconds: past signing time + 1 s for certain after 2.1 s.
  await page.waitForTimeout(2100);
  await page.click('#send-button');
  await page.waitForFunction(() => !document.getElementById('response-status').textContent.startsWith('200'));
  assert.match(await responseStatus(), /^403/);
  assert.match(JSON.parse(await page.textContent('#response-body')).message, /^Request has expired/);
  assert.equal((await causes())[0].id, 'expired');
});

test('signing again highlights what changed; Ctrl+Enter signs; snippets carry the signature, not the secret', async () => {
  await useDemoKey();
  await page.fill('#f-datetime', '20261123T101500Z');
  await page.click('#sign-button');
  assert.equal(await page.$$eval('#steps mark', (marks) => marks.length), 0, 'nothing is highlighted the first time');
  await page.fill('#f-datetime', '20261123T101742Z');
  await page.focus('#f-url');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.getElementById('step-canonical-request').textContent.includes('101742Z'));
  const marked = await page.$$eval('#step-canonical-request mark', (marks) => marks.map((m) => m.textContent));
  assert.deepEqual(marked, ['742']);
  assert.ok(await page.$$eval('#step-signature mark', (marks) => marks.length) > 0);

  const secret = await page.inputValue('#f-secretAccessKey');
  const signature = await page.textContent('#step-signature');
  for (const button of ['#copy-curl', '#copy-fetch', '#copy-postman']) {
    await page.click(button);
    const snippet = await page.textContent('#snippet');
    assert.ok(snippet.includes(signature), button);
    assert.ok(!snippet.includes(secret), button);
  }
});

test('"remember in this tab" keeps the form in sessionStorage only when ticked', async () => {
  await useDemoKey();
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'nothing stored by default');
  await page.check('#f-remember');
  await page.fill('#f-headers', 'X-Kept: yes');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('#f-headers'), 'X-Kept: yes');
  assert.notEqual(await page.inputValue('#f-secretAccessKey'), '');
  await page.uncheck('#f-remember');
  assert.equal(await page.evaluate(() => sessionStorage.length + localStorage.length), 0, 'unticking clears it');
});

test('readable at phone width: no horizontal scrolling', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  await useDemoKey();
  await page.click('#sign-send-button');
  await responseStatus();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${overflow}px of horizontal overflow`);
});

test('with several keys configured, a key the policy denies gets AccessDenied, named by the debugger', async () => {
  const example = new URL('../../www/server/example-config.json', import.meta.url);
  const other = await startServer({ port: 0, env: {}, configFile: example.pathname });
  try {
    await page.goto(`${other.url}/`);
    await page.waitForSelector('body[data-ready="true"]');
    await useDemoKey();
    assert.equal(await page.isVisible('#demo-key-select'), true);
    const labels = await page.$$eval('#demo-key-select option', (options) => options.map((o) => o.textContent));
    assert.equal(labels.length, 4);
    await page.selectOption('#demo-key-select', { index: labels.findIndex((l) => l.startsWith('reader')) });
    assert.equal(await page.inputValue('#f-accessKeyId'), 'AKIAEXAMPLEREADER001');
    await page.fill('#f-method', 'POST');
    await page.fill('#f-headers', 'Content-Type: application/json');
    await page.fill('#f-body', '{"type": "cat", "price": 10}');
    await page.click('#sign-send-button');
    assert.match(await responseStatus(), /^403/);
    const body = JSON.parse(await page.textContent('#response-body'));
    assert.match(body.Message, /^User: arn:aws:iam::123456789012:user\/reader is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:\*{8}9012:a1b2c3d4e5\/test\/POST\/pets/);
    assert.equal((await causes())[0].id, 'access-denied');
  } finally {
    await other.close();
  }
});
