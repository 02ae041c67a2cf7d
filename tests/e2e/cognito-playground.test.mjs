// The playground's "Sign in with a user pool" part in headless Chromium, against the local API
// started here: the hosted login's round trip through the page (PKCE, state, the code
// exchanged when the redirect comes back), the tokens decoded, the identity pool's
// credentials, and a call signed with them answered as the identity pool's assumed role; the
// password form (USER_SRP_AUTH); a wrong password shown as NotAuthorizedException's message;
// a state changed on the way back refused, its code never exchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browser, server, startServerAndChromium } from './harness.mjs';

const ROLE = 'arn:aws:sts::123456789012:assumed-role/CognitoPetReaders/CognitoIdentityCredentials';

startServerAndChromium();

/** The page, its user pool part ready; `traffic` collects what the page sent and was answered. */
async function openPlayground() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const traffic = [];
  page.on('response', async (response) => {
    const request = response.request();
    const path = new URL(request.url()).pathname;
    if (!['/oauth2/token', '/cognito-idp/', '/cognito-identity/', '/test/whoami'].includes(path)) return;
    traffic.push({ path, target: request.headers()['x-amz-target'], sent: request.postData() || '', headers: request.headers(), status: response.status(), body: await response.text().catch(() => '') });
  });
  await page.goto(`${server.url}/`);
  await page.waitForSelector('#cognito-panel[data-ready="true"]');
  return { context, page, traffic };
}

function user() {
  return server.config.cognito.userPool.users[0];
}

/** From the tokens shown to the credentials, then the signed call; checks what the page shows and sends. */
async function credentialsAndCall(page, traffic) {
  await page.getByRole('button', { name: "Get the identity pool's credentials" }).click();
  await page.waitForSelector('#cg-credentials:not([hidden])');
  const answer = JSON.parse(traffic.find((t) => t.target === 'AWSCognitoIdentityService.GetCredentialsForIdentity').body).Credentials;
  assert.equal((await page.textContent('#cg-access-key-id')).trim(), answer.AccessKeyId);
  const text = await page.textContent('#cognito-panel');
  assert.ok(!text.includes(answer.SecretKey), 'the secret key is not shown');
  assert.ok(!text.includes(answer.SessionToken), 'the session token is not shown');
  assert.match(text, /Expiration\s*expires in (59 min|1 h 0 min)/);

  assert.equal(await page.inputValue('#cg-call-url'), `${server.url}/test/whoami`);
  await page.getByRole('button', { name: 'Use these credentials' }).click();
  await page.waitForFunction(() => /^\d{3}/.test(document.getElementById('cg-call-result').textContent));
  assert.equal(await page.textContent('#cg-call-result'), `200: called as ${ROLE}`);
  // The signer's form holds them, the session token included.
  assert.equal(await page.inputValue('#f-accessKeyId'), answer.AccessKeyId);
  assert.equal(await page.inputValue('#f-secretAccessKey'), answer.SecretKey);
  assert.equal(await page.inputValue('#f-sessionToken'), answer.SessionToken);
  assert.equal(await page.inputValue('#f-url'), `${server.url}/test/whoami`);
  const call = traffic.find((t) => t.path === '/test/whoami');
  assert.equal(call.headers['x-amz-security-token'], answer.SessionToken);
  assert.match(call.headers.authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=${answer.AccessKeyId}/\\d{8}/us-east-1/execute-api/aws4_request`));
}

test('hosted login through the page: PKCE, the code exchanged on return, tokens, credentials, a call as the assumed role', async () => {
  const { context, page, traffic } = await openPlayground();
  try {
    assert.equal(await page.inputValue('#cg-userPoolId'), 'us-east-1_sigv4Demo');
    assert.equal(await page.inputValue('#cg-domain'), server.url);
    await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    const pending = JSON.parse(await page.evaluate(() => sessionStorage.getItem('sigv4-playground-cognito-pending')));
    assert.match(pending.codeVerifier, /^[A-Za-z0-9_-]{43}$/);

    await page.getByLabel('Username or email').fill(user().username);
    await page.getByLabel('Password').fill(user().password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#cg-tokens:not([hidden])');

    // The code and state are gone from the address bar; the verifier from sessionStorage.
    assert.equal(page.url(), `${server.url}/`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sigv4-playground-cognito-pending')), null);
    const exchange = traffic.find((t) => t.path === '/oauth2/token');
    const form = new URLSearchParams(exchange.sent);
    assert.equal(form.get('grant_type'), 'authorization_code');
    assert.equal(form.get('code_verifier'), pending.codeVerifier);
    assert.equal(form.get('redirect_uri'), `${server.url}/`);

    const tokens = JSON.parse(exchange.body);
    const claims = JSON.parse(await page.textContent('#cg-id-token .claims'));
    assert.equal(claims['cognito:username'], user().username);
    assert.equal(claims.token_use, 'id');
    assert.equal(JSON.parse(await page.textContent('#cg-access-token .claims')).token_use, 'access');
    assert.match(await page.textContent('#cg-id-token .expiry'), /^expires in (59 min|1 h 0 min)/);
    const refresh = await page.textContent('#cg-refresh-token');
    assert.ok(!refresh.includes(tokens.refresh_token), 'the refresh token is not shown whole');
    assert.ok(refresh.includes(`${tokens.refresh_token.slice(0, 6)}…`));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'cg-tokens-title');

    await credentialsAndCall(page, traffic);
  } finally {
    await context.close();
  }
});

test('the password form: USER_SRP_AUTH (the password never sent), tokens, credentials, the signed call', async () => {
  const { context, page, traffic } = await openPlayground();
  try {
    await page.getByLabel('User name or email').fill(user().username);
    await page.locator('#cg-password').fill(user().password);
    await page.getByRole('button', { name: 'Sign in with the password' }).click();
    await page.waitForSelector('#cg-tokens:not([hidden])');
    const idp = traffic.filter((t) => t.path === '/cognito-idp/');
    assert.deepEqual(idp.map((t) => t.target), ['AWSCognitoIdentityProviderService.InitiateAuth', 'AWSCognitoIdentityProviderService.RespondToAuthChallenge']);
    assert.equal(JSON.parse(idp[0].sent).AuthFlow, 'USER_SRP_AUTH');
    assert.ok(idp.every((t) => !t.sent.includes(user().password)), 'the password is not sent');
    assert.equal(JSON.parse(await page.textContent('#cg-id-token .claims'))['cognito:username'], user().username);
    assert.equal(await page.inputValue('#cg-password'), '', 'the password field is emptied');
    await credentialsAndCall(page, traffic);
    // Tokens, ARNs and the answer wrap or scroll in their boxes at phone width.
    await page.setViewportSize({ width: 360, height: 740 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'no horizontal overflow at 360 px');
  } finally {
    await context.close();
  }
});

test("a wrong password: NotAuthorizedException's message, in an alert, the field marked invalid", async () => {
  const { context, page } = await openPlayground();
  try {
    await page.getByLabel('User name or email').fill(user().username);
    await page.locator('#cg-password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in with the password' }).click();
    await page.waitForSelector('#cg-error:not([hidden])');
    assert.equal(await page.textContent('#cg-error'), 'NotAuthorizedException: Incorrect username or password.');
    assert.equal(await page.getAttribute('#cg-error', 'role'), 'alert');
    assert.equal(await page.getAttribute('#cg-password', 'aria-invalid'), 'true');
    assert.equal(await page.isVisible('#cg-tokens'), false);
  } finally {
    await context.close();
  }
});

test('a state changed on the way back is refused: the code is never exchanged', async () => {
  const { context, page, traffic } = await openPlayground();
  try {
    await Promise.all([page.waitForURL((url) => url.pathname === '/login'), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
    // The login's redirect, with its state replaced (as a forged link would bring a code).
    await page.route(`${server.url}/login`, async (route) => {
      const response = await route.fetch({ maxRedirects: 0 });
      const location = new URL(response.headers().location);
      assert.ok(location.searchParams.get('code'));
      location.searchParams.set('state', 'tampered');
      await route.fulfill({ status: 302, headers: { location: location.href } });
    });
    await page.getByLabel('Username or email').fill(user().username);
    await page.getByLabel('Password').fill(user().password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('#cg-error:not([hidden])');
    assert.match(await page.textContent('#cg-error'), /^The state that came back is not the one this page sent: the sign-in is refused/);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'cg-error');
    assert.equal(page.url(), `${server.url}/`, 'the code is taken out of the address bar');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('sigv4-playground-cognito-pending')), null);
    assert.deepEqual(traffic.filter((t) => t.path === '/oauth2/token'), [], 'no token request');
    assert.equal(await page.isVisible('#cg-tokens'), false);
  } finally {
    await context.close();
  }
});

test('a code this tab did not ask for is not exchanged; an error the login sends back is shown', async () => {
  const { context, page, traffic } = await openPlayground();
  try {
    await page.goto(`${server.url}/?code=forged-code&state=anything`);
    await page.waitForSelector('#cognito-panel[data-ready="true"]');
    assert.match(await page.textContent('#cg-error'), /^A sign-in came back, but none was started from this tab: the code is not exchanged/);

    await page.evaluate(() => sessionStorage.setItem('sigv4-playground-cognito-pending', JSON.stringify({ state: 's1', codeVerifier: 'v'.repeat(43), target: 'local', settings: {}, redirectUri: `${location.origin}/` })));
    await page.goto(`${server.url}/?error=access_denied&error_description=User+cancelled&state=s1`);
    await page.waitForSelector('#cognito-panel[data-ready="true"]');
    assert.equal(await page.textContent('#cg-error'), 'The hosted login answered access_denied: User cancelled');
    assert.deepEqual(traffic.filter((t) => t.path === '/oauth2/token'), [], 'no token request');
  } finally {
    await context.close();
  }
});
