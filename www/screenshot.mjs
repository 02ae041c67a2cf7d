// Takes the README's screenshot of the playground: starts the server, signs GET /pets with
// the demo key in headless Chromium, sends it, and saves www/screenshot.png (desktop width).
//
//   node www/screenshot.mjs [out.png]

import { launchChromium } from '../scripts/chromium.mjs';
import { fileURLToPath } from 'node:url';
import { startServer } from './server/server.mjs';

const out = process.argv[2] || fileURLToPath(new URL('./screenshot.png', import.meta.url));
const server = await startServer({ port: 0 });
let browser;
try {
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click('#demo-button');
  await page.waitForFunction(() => document.getElementById('f-accessKeyId').value !== '');
  await page.fill('#f-url', `${server.url}/test/pets?type=dog&page=1`);
  // Sign once, then again a moment later, so the highlighting shows what changes between signings.
  await page.click('#sign-button');
  await page.waitForTimeout(1100);
  await page.click('#sign-send-button');
  await page.waitForSelector('#response-status.ok');
  // Hide the generated secret: the picture goes into the README.
  await page.evaluate(() => {
    const secret = document.getElementById('f-secretAccessKey');
    secret.type = 'password';
  });
  await page.screenshot({ path: out, fullPage: true });
  console.log(`saved ${out}`);
} finally {
  if (browser) await browser.close();
  await server.close();
}
