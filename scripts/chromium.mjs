// Debian's Chromium through playwright-core, for the tests, the benchmark and the README's
// screenshot: no browser is downloaded. $CHROMIUM overrides the executable.
import { chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** A headless Chromium; close it when done. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS });
}
