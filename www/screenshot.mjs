// Takes the README's screenshots of the playground: starts the server, signs GET /pets with
// the demo key in headless Chromium, changes a header after signing and sends it, so the
// mismatch debugger names the cause; saves the whole page at 1440 px wide
// (www/screenshot.png) and the debugger at 390 px wide, a phone (www/screenshot-390.png).
//
//   node www/screenshot.mjs [out.png]      (the phone's picture goes next to it, -390.png)

import { launchChromium } from '../scripts/chromium.mjs';
import { fileURLToPath } from 'node:url';
import { startServer } from './server/server.mjs';

const out = process.argv[2] || fileURLToPath(new URL('./screenshot.png', import.meta.url));
const phoneOut = out.replace(/(\.png)?$/, '-390.png');
const server = await startServer({ port: 0 });
let browser;

/** Signs with the demo key, edits X-Demo after signing and sends: a 403 the debugger explains. */
async function diagnosedMismatch(page) {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#demo-button');
  await page.waitForFunction(() => document.getElementById('f-accessKeyId').value !== '');
  await page.fill('#f-url', `${server.url}/test/pets?type=dog&page=1`);
  await page.fill('#f-headers', 'X-Demo: one');
  await page.click('#sign-button');
  await page.fill('#send-headers', (await page.inputValue('#send-headers')).replace('X-Demo: one', 'X-Demo: two'));
  await page.click('#send-button');
  await page.waitForSelector('#diff-canonical-request');
  // Hide the generated secret: the pictures go into the README.
  await page.evaluate(() => {
    document.getElementById('f-secretAccessKey').type = 'password';
  });
}

try {
  browser = await launchChromium();
  const desktop = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  await diagnosedMismatch(desktop);
  await desktop.evaluate(() => window.scrollTo(0, 0));
  await desktop.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);

  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  await diagnosedMismatch(phone);
  const box = await phone.evaluate(() => {
    const panel = document.getElementById('debugger-panel').getBoundingClientRect();
    return { y: panel.top + window.scrollY - 10, height: panel.height + 20 };
  });
  await phone.screenshot({ path: phoneOut, fullPage: true, clip: { x: 0, y: box.y, width: 390, height: Math.min(box.height, 2400) } });
  console.log(`saved ${phoneOut}`);
} finally {
  if (browser) await browser.close();
  await server.close();
}
