// Accessibility of the playground in Chromium: axe-core (a devDependency, injected into the
// page) finds no serious or critical issue in the states a user goes through; the skip link
// reaches the debugger in one Tab press. The user pool part (6) is checked through its states too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { browser, server, startServerAndChromium } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

startServerAndChromium();

async function openPage(viewport, colorScheme = 'light') {
  // The page's CSP admits only its own scripts; the test injects axe past it.
  const context = await browser.newContext({ viewport, bypassCSP: true, colorScheme });
  const page = await context.newPage();
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page };
}

/** axe's violations of impact serious or critical, as readable lines. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: AXE_SOURCE });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

/** Signs with the demo key, changes a header after signing and sends: a 403 with a diff, causes and the response. */
async function reachDiagnosis(page) {
  await page.click('#demo-button');
  await page.waitForFunction(() => document.getElementById('f-accessKeyId').value !== '');
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  await page.fill('#send-headers', (await page.inputValue('#send-headers')).replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  await page.waitForSelector('#diff-canonical-request');
  await page.click('#copy-curl');
  await page.locator('#response details').first().evaluate((d) => { d.open = true; });
}

for (const [name, viewport] of [['desktop 1440', { width: 1440, height: 900 }], ['phone 390', { width: 390, height: 844 }]]) {
  for (const scheme of ['light', 'dark']) {
    test(`axe-core: no serious or critical findings, ${name}, ${scheme}: on load, with a diagnosis, and with the checklist`, async () => {
      const { context, page } = await openPage(viewport, scheme);
      try {
        assert.deepEqual(await seriousViolations(page), [], 'on load');
        await reachDiagnosis(page);
        assert.deepEqual(await seriousViolations(page), [], 'with a diagnosis and its diff');
        await page.fill('#debug-input', '{"message":"The request signature we calculated does not match the signature you provided."}');
        await page.click('#debug-button');
        await page.waitForSelector('#debug-checklist li');
        assert.deepEqual(await seriousViolations(page), [], 'with the checklist');
        // The import box with a comparison, the rules open, and a run-time snippet shown.
        await page.evaluate(() => {
          for (const d of document.querySelectorAll('#import-box, #runtime-box, details.rules')) d.open = true;
        });
        await page.fill('#import-input', await page.evaluate(() => `curl '${document.getElementById('send-url').value}' -H 'x-amz-date: 20261123T101500Z' -H 'authorization: AWS4-HMAC-SHA256 Credential=AKIAOTHER/20261123/eu-west-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}'`));
        await page.click('#import-button');
        await page.waitForSelector('#import-differences li');
        await page.click('#runtime-buttons button[data-kind="node"]');
        assert.deepEqual(await seriousViolations(page), [], 'with an import, the rules and a run-time snippet');
        // The S3 uploads part: a POST form generated, and a chunked upload signed (its seed
        // shown) whose endpoint does not answer (its error shown).
        await page.fill('#s3-bucket-url', 'http://127.0.0.1:9/a11y-bucket');
        await page.click('#s3-post-button');
        await page.waitForSelector('#s3-post-output:not([hidden])');
        await page.setInputFiles('#s3-file', { name: 'a11y.txt', mimeType: 'text/plain', buffer: Buffer.from('accessible') });
        await page.click('#s3-upload-button');
        await page.waitForSelector('#s3-upload-error:not([hidden])');
        assert.equal(await page.isVisible('#s3-seed'), true);
        assert.deepEqual(await seriousViolations(page), [], 'with the S3 uploads part used');
      } finally {
        await context.close();
      }
    });
  }
}

for (const [name, viewport] of [['desktop 1440', { width: 1440, height: 900 }], ['phone 390', { width: 390, height: 844 }]]) {
  for (const scheme of ['light', 'dark']) {
    test(`axe-core: the user pool part, ${name}, ${scheme}: a refused password, then the tokens, the credentials and the signed call`, async () => {
      const { context, page } = await openPage(viewport, scheme);
      try {
        await page.waitForSelector('#cognito-panel[data-ready="true"]');
        const { username, password } = server.config.cognito.userPool.users[0];
        await page.fill('#cg-username', username);
        await page.fill('#cg-password', 'not-the-password');
        await page.click('#cg-srp-button');
        await page.waitForSelector('#cg-error:not([hidden])');
        assert.deepEqual(await seriousViolations(page), [], 'with the error');
        await page.fill('#cg-password', password);
        await page.click('#cg-srp-button');
        await page.waitForSelector('#cg-tokens:not([hidden])');
        await page.click('#cg-credentials-button');
        await page.waitForSelector('#cg-credentials:not([hidden])');
        await page.click('#cg-use-button');
        await page.waitForSelector('#cg-call-answer:not([hidden])');
        await page.check('#cg-target-aws');
        assert.equal(await page.isVisible('#cg-aws-note'), true);
        assert.deepEqual(await seriousViolations(page), [], 'with the tokens, the credentials, the call and the real-pool note');
      } finally {
        await context.close();
      }
    });
  }
}

test('the skip link is the first Tab stop and moves the focus to the debugger', async () => {
  const { context, page } = await openPage({ width: 1280, height: 900 });
  try {
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    assert.equal(await page.isVisible('.skip-link'), true);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement.id === 'debugger-title');
    const top = await page.evaluate(() => document.getElementById('debugger-title').getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 900, `the debugger's heading is ${top}px from the top`);
  } finally {
    await context.close();
  }
});

for (const scheme of ['light', 'dark']) test(`input borders and the focus ring have at least 3:1 contrast against the panel (${scheme})`, async () => {
  const { context, page } = await openPage({ width: 1280, height: 900 }, scheme);
  try {
    await page.focus('#f-url');
    const colours = await page.evaluate(() => {
      const url = getComputedStyle(document.getElementById('f-url'));
      const panel = getComputedStyle(document.getElementById('request-panel'));
      return { border: url.borderTopColor, ring: url.outlineColor, outline: url.outlineStyle, panel: panel.backgroundColor };
    });
    const rgb = (text) => text.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const luminance = (c) => {
      const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const ratio = (a, b) => {
      const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    assert.notEqual(colours.outline, 'none', 'a visible focus ring');
    assert.equal(colours.panel === 'rgb(255, 255, 255)', scheme === 'light', `the ${scheme} panel is ${colours.panel}`);
    assert.ok(ratio(colours.border, colours.panel) >= 3, `border ${colours.border} on ${colours.panel}: ${ratio(colours.border, colours.panel).toFixed(2)}:1`);
    assert.ok(ratio(colours.ring, colours.panel) >= 3, `focus ring ${colours.ring} on ${colours.panel}: ${ratio(colours.ring, colours.panel).toFixed(2)}:1`);
  } finally {
    await context.close();
  }
});
