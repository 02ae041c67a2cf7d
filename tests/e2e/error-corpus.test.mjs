// The corpus of real error bodies (tests/www/error-corpus.json) pasted into the page's
// mismatch debugger in Chromium: each gets its expected cause first, in the page as rendered.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../www/server/server.mjs';

const corpus = JSON.parse(readFileSync(new URL('../www/error-corpus.json', import.meta.url), 'utf8')).cases;
let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
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
});

for (const entry of corpus) {
  test(`corpus in the page: ${entry.id} (${entry.service}) → ${entry.expect}`, async () => {
    await page.fill('#debug-input', entry.body);
    await page.click('#debug-button');
    const first = await page.$eval('#debug-causes li', (li) => ({ id: li.dataset.cause, text: li.textContent }));
    assert.equal(first.id, entry.expect, `${entry.source}: ${first.text}`);
    assert.match(first.text, /^Most likely: /);
    // Nothing was echoed back as raw markup: an <ErrorResponse> is read, not shown as the cause.
    assert.doesNotMatch(first.text, /<ErrorResponse|<Error>/);
    if (entry.expect === 'unreadable') assert.equal(await page.$('#diff-canonical-request'), null, 'no diff against an unreadable canonical request');
    assert.deepEqual(pageErrors, []);
  });
}
