// The mismatch debugger and the Send panel in headless Chromium against the local API, on
// the defects of issue 15: each test failed on the page before its fix.
import { after, before, beforeEach, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../www/server/server.mjs';

const TOKEN = 'FwoGZXIvYXdzEXAMPLE//TOKEN+with=chars';
let server;
let tokenServer;
let browser;
let context;
let page;
let pageErrors;

before(async () => {
  server = await startServer({ port: 0, env: {} });
  tokenServer = await startServer({
    port: 0,
    env: { SIGV4_DEMO_ACCESS_KEY_ID: 'ASIAEXAMPLEDEMO00001', SIGV4_DEMO_SECRET_ACCESS_KEY: 'tEsTsEcReTkEy/K7MDENG+bPxRfiCYEXAMPLEKEY', SIGV4_DEMO_SESSION_TOKEN: TOKEN },
  });
  browser = await launchChromium();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (tokenServer) await tokenServer.close();
});

async function open(base = server.url, viewport = { width: 1280, height: 900 }) {
  if (context) await context.close();
  context = await browser.newContext({ viewport });
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-ready="true"]');
}
beforeEach(() => open());
afterEach(async () => {
  assert.deepEqual(pageErrors, []);
  await context.close();
  context = undefined;
});

async function useDemoKey() {
  await page.click('#demo-button');
  await page.waitForFunction(() => document.getElementById('f-accessKeyId').value !== '');
}

/** Waits for a response status other than `previous` and returns it. */
async function responseStatus(previous = '') {
  await page.waitForFunction((prev) => {
    const text = document.getElementById('response-status').textContent;
    return /^\d{3}\b|^No response/.test(text) && text !== prev;
  }, previous);
  return page.textContent('#response-status');
}

const causeIds = () => page.$$eval('#debug-causes li', (items) => items.map((li) => li.dataset.cause));

test('a path with a raw space is signed as sent: the API accepts the signature, curl gets %20', async () => {
  await useDemoKey();
  await page.fill('#f-url', `${server.url}/test/pets/a b`);
  await page.click('#sign-send-button');
  const status = await responseStatus();
  assert.doesNotMatch(status, /^403/, await page.textContent('#response-body'));
  assert.match(status, /^404/);
  assert.match(await page.textContent('#sign-warnings'), /test\/pets\/a%20b/);
  assert.equal(await page.inputValue('#send-url'), `${server.url}/test/pets/a%20b`);
  await page.click('#copy-curl');
  assert.ok((await page.textContent('#snippet')).includes(`${server.url}/test/pets/a%20b`));
  // The 404 is the API's own answer, not a signing failure.
  assert.deepEqual(await causeIds(), ['not-signing']);
});

test('a signed request to a route the API does not have: named as an unknown route, not "not signed"', async () => {
  await useDemoKey();
  await page.fill('#f-url', `${server.url}/test/nowhere`);
  await page.click('#sign-send-button');
  assert.match(await responseStatus(), /^403/);
  const ids = await causeIds();
  assert.equal(ids[0], 'no-such-route');
  assert.doesNotMatch(await page.textContent('#debug-causes li'), /was not signed/);
});

test('a later 200 clears the diagnosis of an earlier failure', async () => {
  await useDemoKey();
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  await page.fill('#send-headers', (await page.inputValue('#send-headers')).replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  assert.match(await responseStatus(), /^403/);
  assert.equal((await causeIds())[0], 'header-changed');
  await page.click('#sign-send-button');
  assert.match(await responseStatus('403 Forbidden'), /^200/);
  assert.deepEqual(await causeIds(), []);
  assert.match(await page.textContent('#debug-output'), /succeeded/);
  assert.equal(await page.inputValue('#debug-input'), '');
});

test('a plain 400 (a body that is not JSON) is the API answering, not a failed signature', async () => {
  await useDemoKey();
  await page.fill('#f-method', 'POST');
  await page.fill('#f-headers', 'Content-Type: application/json');
  await page.fill('#f-body', '{not json');
  await page.click('#sign-send-button');
  assert.match(await responseStatus(), /^400/);
  assert.deepEqual(await causeIds(), ['not-signing']);
  assert.equal(await page.isVisible('#response-debug-link'), false);
});

test('after "Sign and send" on a phone the answer is in view and has the focus', async () => {
  await open(server.url, { width: 390, height: 844 });
  await useDemoKey();
  await page.click('#sign-send-button');
  await responseStatus();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'response');
  const top = await page.evaluate(() => document.getElementById('response').getBoundingClientRect().top);
  // Within a pixel of the top: scrolling lands on a fractional layout position (-0.2 px).
  assert.ok(top > -1 && top < 844, `the answer is ${top}px from the top of the viewport`);
  // The live region says a summary, not the whole panel.
  await page.waitForFunction(() => document.getElementById('announce').textContent !== '');
  const said = await page.textContent('#announce');
  assert.match(said, /^200/);
  assert.ok(said.length < 200, said);
  assert.equal(await page.getAttribute('#response', 'aria-live'), null);
  assert.equal(await page.getAttribute('#debug-output', 'aria-live'), null);
});

test('the session token is masked in the Send panel and still sent: headers and presigned URL', async () => {
  await open(tokenServer.url);
  await useDemoKey();
  await page.click('#sign-button');
  const headers = await page.inputValue('#send-headers');
  assert.ok(!headers.includes(TOKEN) && !headers.includes(encodeURIComponent(TOKEN)), headers);
  assert.match(headers, /^x-amz-security-token: •+$/im);
  await page.click('#send-button');
  assert.match(await responseStatus(), /^200/);

  await page.check('#f-location-query');
  await page.click('#sign-button');
  const url = await page.inputValue('#send-url');
  assert.ok(!url.includes(encodeURIComponent(TOKEN)) && !url.includes(TOKEN), url);
  assert.match(url, /X-Amz-Security-Token=•+/);
  await page.evaluate(() => { document.getElementById('response-status').textContent = ''; });
  await page.click('#send-button');
  assert.match(await responseStatus(), /^200/);
});

test('the Send panel shows the method, and a method changed there is named by the debugger', async () => {
  await useDemoKey();
  await page.click('#sign-button');
  assert.equal(await page.inputValue('#send-method'), 'GET');
  await page.fill('#send-method', 'POST');
  await page.click('#send-button');
  assert.match(await responseStatus(), /^403/);
  assert.equal((await causeIds())[0], 'method');
});

test('"S3 rules" is ticked when the service is inferred as s3, and unticked when it no longer is', async () => {
  await page.fill('#f-url', 'https://bucket.s3.us-east-1.amazonaws.com/photos/a.jpg');
  assert.equal(await page.isChecked('#f-s3'), true);
  assert.equal(await page.isVisible('#s3-auto-note'), true);
  await page.fill('#f-url', 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets');
  assert.equal(await page.isChecked('#f-s3'), false);
});

test('the bare "signature does not match": the page runs its checklist on the signed request', async () => {
  await useDemoKey();
  const secret = await page.inputValue('#f-secretAccessKey');
  await page.fill('#f-secretAccessKey', `${secret} `);
  await page.click('#sign-button');
  await page.fill('#debug-input', '{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}');
  await page.click('#debug-button');
  assert.equal((await causeIds())[0], 'signature-mismatch');
  const checks = await page.$$eval('#debug-checklist li', (items) => Object.fromEntries(items.map((li) => [li.dataset.check, li.dataset.status])));
  assert.equal(checks['secret-whitespace'], 'warn');
  for (const id of ['key-token-pair', 'clock', 'scope-host', 'path-encoding', 'added-headers']) assert.ok(checks[id], id);
  assert.ok(!(await page.textContent('#debug-output')).includes(secret));
});

test('differing rows are marked by more than colour', async () => {
  await useDemoKey();
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  await page.fill('#send-headers', (await page.inputValue('#send-headers')).replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  assert.match(await responseStatus(), /^403/);
  const cells = await page.$$eval('#diff-canonical-request tr.changed td', (tds) => tds.map((td) => td.innerText));
  assert.ok(cells.length === 2 && cells.every((text) => text.startsWith('≠')), JSON.stringify(cells));
  const spoken = await page.$$eval('#diff-canonical-request tr.changed td', (tds) => tds.map((td) => td.textContent));
  assert.ok(spoken.every((text) => text.includes('differs')), JSON.stringify(spoken));
});

test('a character the eye cannot see is shown and named in the diff', async () => {
  await useDemoKey();
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  const canonical = await page.textContent('#step-canonical-request');
  const stringToSign = await page.textContent('#step-string-to-sign');
  const server = canonical.replace('x-demo:one', 'x-demo:one\u200b\t');
  await page.fill('#debug-input', JSON.stringify({ message: `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'${server}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n` }));
  await page.click('#debug-button');
  assert.equal((await causeIds())[0], 'header-changed');
  const names = await page.$$eval('#diff-canonical-request tr.changed .invisible-char', (spans) => spans.map((s) => s.title));
  assert.deepEqual(names, ['zero-width space (U+200B)', 'tab (U+0009)']);
  assert.match(await page.textContent('#diff-canonical-request-bytes'), /zero-width space \(U\+200B\) and a tab \(U\+0009\) where yours has nothing/);
});

test('a secret copied with a trailing space, end to end: everything but the key matches, and the checklist says why', async () => {
  await useDemoKey();
  const secret = await page.inputValue('#f-secretAccessKey');
  await page.fill('#f-secretAccessKey', `${secret} `);
  await page.click('#sign-send-button');
  assert.match(await responseStatus(), /^403/);
  assert.deepEqual(await causeIds(), ['secret']);
  assert.match(await page.textContent('#sign-warnings'), /secret access key ends with a space/);
  assert.equal(await page.getAttribute('#debug-checklist li[data-check="secret-whitespace"]', 'data-status'), 'warn');
  // Same origin: the server's Date header is readable, and the clock agrees with it.
  assert.equal(await page.getAttribute('#debug-checklist li[data-check="clock"]', 'data-status'), 'ok');
  assert.match(await page.textContent('#debug-checklist li[data-check="clock"]'), /Date header says/);
});

test('a body with a huge "canonical request" is shown cut short, not rendered whole', async () => {
  await useDemoKey();
  await page.click('#sign-button');
  const huge = `The request signature we calculated does not match.\n\nThe Canonical String for this request should have been\n'GET\n/\n\n${'x-junk:1\n'.repeat(20000)}\nhost\nabc'\n`;
  await page.evaluate((text) => { document.getElementById('debug-input').value = text; }, huge);
  const started = Date.now();
  await page.click('#debug-button');
  await page.waitForSelector('#diff-canonical-request');
  assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  assert.equal(await page.$$eval('#diff-canonical-request tbody tr', (rows) => rows.length), 300);
  assert.match(await page.textContent('#diff-canonical-request caption'), /the first 300 of \d+ lines/);
});
