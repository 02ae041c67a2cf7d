// What the playground's Chromium tests share: the local API and headless Chromium, started
// before a test file's tests and stopped after them (each file runs in its own process).
import { after, before } from 'node:test';
import { launchChromium } from '../../scripts/chromium.mjs';
import { startServer } from '../../www/server/server.mjs';

/** The local API (www/server), on 127.0.0.1 and a free port. Set once the file's `before` ran. */
export let server;
/** Headless Chromium (scripts/chromium.mjs). Set once the file's `before` ran. */
export let browser;

/** Registers the file's `before` (start both) and `after` (stop both). Call it at the top level. */
export function startServerAndChromium() {
  before(async () => {
    server = await startServer({ port: 0, env: {} });
    browser = await launchChromium();
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
  });
}
