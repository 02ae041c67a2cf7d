// The local user pool's hosted login in headless Chromium: /oauth2/authorize with PKCE, the
// login form filled and sent by keyboard, a wrong password shown on the page, the redirect
// back with code and state, and the code exchanged at /oauth2/token for tokens that open
// GET /test/me. axe-core finds no serious or critical issue in the form, light and dark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as cognito from 'sigv4-wasm/cognito';
import { browser, server, startServerAndChromium } from './harness.mjs';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const CLIENT = 'sigv4demopublicclient00001';

startServerAndChromium();

function authorizeUrl(challenge, state) {
  const query = new URLSearchParams({ response_type: 'code', client_id: CLIENT, redirect_uri: `${server.url}/`, scope: 'openid email', state, code_challenge: challenge, code_challenge_method: 'S256' });
  return `${server.url}/oauth2/authorize?${query}`;
}

test('hosted login: fill the form, follow the redirect, exchange the code; a wrong password first', async () => {
  const { username, password } = server.config.cognito.userPool.users[0];
  const verifier = cognito.pkceVerifier();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(authorizeUrl(cognito.pkceChallenge(verifier), 'st-e2e'));
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.title(), 'Sign in · local user pool');

    // A wrong password: the page says so, in an alert tied to the fields.
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[role="alert"]');
    assert.equal((await page.textContent('[role="alert"]')).trim(), 'Incorrect username or password.');
    assert.equal(await page.getAttribute('#password', 'aria-invalid'), 'true');
    assert.equal(await page.inputValue('#username'), username, 'the user name is kept');

    // By keyboard: type the password, Enter sends the form.
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL((url) => url.searchParams.has('code')), page.getByLabel('Password').press('Enter')]);
    const back = new URL(page.url());
    assert.equal(`${back.origin}${back.pathname}`, `${server.url}/`);
    assert.equal(back.searchParams.get('state'), 'st-e2e');

    const tokens = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT, code: back.searchParams.get('code'), redirect_uri: `${server.url}/`, code_verifier: verifier }),
    }).then((r) => r.json());
    assert.equal(cognito.decodeJwt(tokens.id_token).payload['cognito:username'], username);
    const me = await fetch(`${server.url}/test/me`, { headers: { authorization: tokens.id_token } });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('x-local-caller'), username);
  } finally {
    await context.close();
  }
});

for (const colorScheme of ['light', 'dark']) {
  test(`hosted login: axe-core finds no serious or critical issue (${colorScheme}, 390 px)`, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, bypassCSP: true, colorScheme });
    const page = await context.newPage();
    try {
      await page.goto(authorizeUrl(cognito.pkceChallenge(cognito.pkceVerifier()), 's'));
      await page.getByLabel('Username or email').fill('demo');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForSelector('[role="alert"]');
      await page.addScriptTag({ content: AXE_SOURCE });
      const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(serious, []);
    } finally {
      await context.close();
    }
  });
}
