// sigv4-wasm/cognito's OAuth 2.0 helpers (issue 13): pkce, authorizeUrl, and the token
// endpoint's grants (exchangeCode, refreshWithToken, clientCredentials) against a minimal token
// endpoint on 127.0.0.1, written here from RFC 6749 and 7636 and Cognito's documented answers:
// it keeps the code_challenge of each code it issued and checks the code_verifier against it
// (S256, with node:crypto, not the package), the redirect_uri, and the client's authentication
// (HTTP Basic or client_secret in the body for the confidential client, client_id alone for the
// public one), and answers refusals as Cognito does ({"error":"invalid_grant"}, status 400).
//
//   node --test tests/js/cognito-oauth.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import * as cognito from 'sigv4-wasm/cognito';

const PUBLIC = 'publicclient1';
const CONFIDENTIAL = 'confidential1';
const SECRET = 'conf-secret/with+symbols=';
const REDIRECT = 'myapp://signed-in';
const codes = new Map(); // code -> { clientId, challenge, redirectUri }
const refreshTokens = new Map();
const seen = [];
let server;
let domain;

function answer(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
  res.end(JSON.stringify(body));
}

/** The client a token request authenticates as, or a refusal: [clientId] or [undefined, error]. */
function clientOf(req, form) {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization || '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(/:(.*)/s);
    return id === CONFIDENTIAL && secret === SECRET ? [id] : [undefined, 'invalid_client'];
  }
  const id = form.get('client_id');
  if (id === CONFIDENTIAL) return form.get('client_secret') === SECRET ? [id] : [undefined, 'invalid_client'];
  return id === PUBLIC && !form.has('client_secret') ? [id] : [undefined, 'invalid_client'];
}

function tokensFor(clientId, withRefresh) {
  const out = { access_token: `access-${randomBytes(6).toString('hex')}`, id_token: `id-${clientId}`, token_type: 'Bearer', expires_in: 3600 };
  if (withRefresh) {
    out.refresh_token = `refresh-${randomBytes(6).toString('hex')}`;
    refreshTokens.set(out.refresh_token, clientId);
  }
  return out;
}

before(() => new Promise((resolve) => {
  server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'GET' && url.pathname === '/oauth2/authorize') {
      // The hosted login, signed in at once: a code bound to the challenge, back to redirect_uri.
      const q = url.searchParams;
      if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) return answer(res, 400, { error: 'invalid_request' });
      const code = randomBytes(8).toString('hex');
      codes.set(code, { clientId: q.get('client_id'), challenge: q.get('code_challenge'), redirectUri: q.get('redirect_uri') });
      res.writeHead(302, { location: `${q.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(q.get('state'))}` });
      return res.end();
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || url.pathname !== '/oauth2/token') return answer(res, 404, { error: 'not_found' });
      if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] || '')) return answer(res, 400, { error: 'invalid_request' });
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      seen.push({ authorization: req.headers.authorization, form: Object.fromEntries(form) });
      const [clientId, refused] = clientOf(req, form);
      if (!clientId) return answer(res, 400, { error: refused });
      const grant = form.get('grant_type');
      if (grant === 'authorization_code') {
        const issued = codes.get(form.get('code'));
        codes.delete(form.get('code')); // good once
        const verifier = form.get('code_verifier') || '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (!issued || issued.clientId !== clientId || issued.redirectUri !== form.get('redirect_uri') || issued.challenge !== challenge) {
          return answer(res, 400, { error: 'invalid_grant' });
        }
        return answer(res, 200, tokensFor(clientId, true));
      }
      if (grant === 'refresh_token') {
        if (refreshTokens.get(form.get('refresh_token')) !== clientId) return answer(res, 400, { error: 'invalid_grant' });
        return answer(res, 200, tokensFor(clientId, false));
      }
      if (grant === 'client_credentials') {
        if (clientId !== CONFIDENTIAL) return answer(res, 400, { error: 'unauthorized_client' });
        if (form.get('scope') !== 'pets/read pets/write') return answer(res, 400, { error: 'invalid_scope' });
        return answer(res, 200, { access_token: 'machine', token_type: 'Bearer', expires_in: 3600 });
      }
      return answer(res, 400, { error: 'unsupported_grant_type' });
    });
    return undefined;
  });
  server.listen(0, '127.0.0.1', () => {
    domain = `http://127.0.0.1:${server.address().port}`;
    resolve();
  });
}));
after(() => new Promise((resolve) => server.close(resolve)));

/** Follows the authorize URL as a browser would, and returns the redirect's code and state. */
async function signIn(url) {
  const response = await fetch(url, { redirect: 'manual' });
  assert.equal(response.status, 302, await response.text());
  const back = new URL(response.headers.get('location'));
  return { code: back.searchParams.get('code'), state: back.searchParams.get('state') };
}

test('pkce: RFC 7636\'s vector from its bytes, random otherwise', () => {
  const rfc = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
  assert.deepEqual(cognito.pkce(Uint8Array.from(rfc)), {
    codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', codeChallengeMethod: 'S256',
  });
  const a = cognito.pkce();
  assert.match(a.codeVerifier, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.codeVerifier, cognito.pkce().codeVerifier);
  assert.throws(() => cognito.pkce(new Uint8Array(8)), { code: 'INVALID_CODE_VERIFIER' });
});

test('authorizeUrl: the hosted login\'s query, RFC 3986-encoded; the domain with or without its scheme', () => {
  const url = new URL(cognito.authorizeUrl({
    domain: 'my-app.auth.us-east-1.amazoncognito.com', clientId: PUBLIC, redirectUri: 'https://app.example/cb?x=1',
    scope: ['openid', 'email', 'pets/read'], state: "s t!'", codeChallenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  }));
  assert.equal(url.origin + url.pathname, 'https://my-app.auth.us-east-1.amazoncognito.com/oauth2/authorize');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    response_type: 'code', client_id: PUBLIC, redirect_uri: 'https://app.example/cb?x=1', scope: 'openid email pets/read',
    state: "s t!'", code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  });
  assert.match(url.search, /scope=openid%20email%20pets%2Fread&state=s%20t%21%27&/);
  assert.ok(cognito.authorizeUrl({ domain: 'https://auth.example.com/', clientId: 'c', redirectUri: 'r', state: 's' }).startsWith('https://auth.example.com/oauth2/authorize?'));
  assert.throws(() => cognito.authorizeUrl({ domain: 'auth.example.com', clientId: 'c', redirectUri: 'r' }), /state/);
  assert.throws(() => cognito.authorizeUrl({ domain: 'auth.example.com/oauth2', clientId: 'c', redirectUri: 'r', state: 's' }), /domain/);
});

test('a public client: authorize with PKCE, exchange the code with its verifier, refresh; a wrong verifier is invalid_grant', async () => {
  const { codeVerifier, codeChallenge } = cognito.pkce();
  const { code, state } = await signIn(cognito.authorizeUrl({ domain, clientId: PUBLIC, redirectUri: REDIRECT, scope: 'openid', state: 'st-1', codeChallenge }));
  assert.equal(state, 'st-1');
  seen.length = 0;
  const tokens = await cognito.exchangeCode({ domain, clientId: PUBLIC, code, redirectUri: REDIRECT, codeVerifier });
  assert.deepEqual(Object.keys(tokens).sort(), ['accessToken', 'expiresIn', 'idToken', 'refreshToken', 'tokenType']);
  assert.equal(tokens.idToken, `id-${PUBLIC}`);
  assert.deepEqual(seen[0], { authorization: undefined, form: { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: codeVerifier, client_id: PUBLIC } });
  await assert.rejects(cognito.exchangeCode({ domain, clientId: PUBLIC, code, redirectUri: REDIRECT, codeVerifier }),
    { name: 'SigV4Error', code: 'OAUTH_ERROR', oauthError: 'invalid_grant', status: 400, message: /refused authorization_code: invalid_grant \(.*good once/ });
  const other = await signIn(cognito.authorizeUrl({ domain, clientId: PUBLIC, redirectUri: REDIRECT, state: 's', codeChallenge }));
  await assert.rejects(cognito.exchangeCode({ domain, clientId: PUBLIC, code: other.code, redirectUri: REDIRECT, codeVerifier: cognito.pkce().codeVerifier }),
    (error) => error.oauthError === 'invalid_grant' && !error.message.includes(other.code), 'another verifier: refused, and no code in the message');
  const refreshed = await cognito.refreshWithToken({ domain, clientId: PUBLIC, refreshToken: tokens.refreshToken });
  assert.ok(refreshed.accessToken && refreshed.refreshToken === undefined, 'Cognito keeps the refresh token');
  await assert.rejects(cognito.refreshWithToken({ domain, clientId: PUBLIC, refreshToken: 'revoked' }), { oauthError: 'invalid_grant' });
});

test('a confidential client: HTTP Basic by default, client_secret in the body on request; client credentials; a wrong secret is invalid_client', async () => {
  const { codeVerifier, codeChallenge } = cognito.pkce();
  const first = await signIn(cognito.authorizeUrl({ domain, clientId: CONFIDENTIAL, redirectUri: REDIRECT, state: 's', codeChallenge }));
  seen.length = 0;
  const tokens = await cognito.exchangeCode({ domain, clientId: CONFIDENTIAL, clientSecret: SECRET, code: first.code, redirectUri: REDIRECT, codeVerifier });
  assert.equal(seen[0].authorization, `Basic ${Buffer.from(`${CONFIDENTIAL}:${SECRET}`).toString('base64')}`);
  assert.equal(seen[0].form.client_secret, undefined);
  assert.ok(tokens.refreshToken);
  await cognito.refreshWithToken({ domain, clientId: CONFIDENTIAL, clientSecret: SECRET, clientAuth: 'body', refreshToken: tokens.refreshToken });
  assert.deepEqual([seen[1].authorization, seen[1].form.client_id, seen[1].form.client_secret], [undefined, CONFIDENTIAL, SECRET]);
  const machine = await cognito.clientCredentials({ tokenEndpoint: `${domain}/oauth2/token`, clientId: CONFIDENTIAL, clientSecret: SECRET, scope: ['pets/read', 'pets/write'] });
  assert.deepEqual(machine, { accessToken: 'machine', tokenType: 'Bearer', expiresIn: 3600 });
  await assert.rejects(cognito.clientCredentials({ domain, clientId: CONFIDENTIAL, clientSecret: 'wrong-secret', scope: 'pets/read pets/write' }), (error) => {
    assert.equal(error.oauthError, 'invalid_client');
    assert.match(error.message, /check clientId and clientSecret/);
    assert.ok(!error.message.includes('wrong-secret'));
    return true;
  });
  await assert.rejects(cognito.clientCredentials({ domain, clientId: CONFIDENTIAL, clientSecret: SECRET, scope: 'other' }), { oauthError: 'invalid_scope' });
  assert.throws(() => cognito.clientCredentials({ domain, clientId: PUBLIC }), /clientSecret/);
  await assert.rejects(cognito.exchangeCode({ domain, clientId: CONFIDENTIAL, clientSecret: SECRET, clientAuth: 'jwt', code: 'c', redirectUri: REDIRECT }), /clientAuth/);
  await assert.rejects(cognito.exchangeCode({ domain: `${domain}/nowhere`, clientId: PUBLIC, code: 'c', redirectUri: REDIRECT }), { code: 'OAUTH_ERROR', status: 404 });
});

// ---------------------------------------------------------------------------------------------
// The same helpers against the local API's user pool (www/server: the hosted login, PKCE S256
// only, RS256 tokens), as an app would use them.

test('against the local user pool: authorizeUrl, its login form, exchangeCode, refreshWithToken, clientCredentials; its refusals as OAUTH_ERROR', async () => {
  const { startServer } = await import('../../www/server/server.mjs');
  const callback = 'http://localhost:3000/callback';
  const config = {
    demoKey: true,
    cognito: {
      userPool: {
        id: 'us-east-1_OAuthTest1',
        users: [{ username: 'alice', password: 'Correct#Horse9', email: 'alice@example.com' }],
        clients: [
          { clientId: PUBLIC, callbackUrls: [callback], allowedOAuthFlows: ['code'], allowedOAuthScopes: ['openid', 'email'], explicitAuthFlows: ['REFRESH_TOKEN_AUTH'] },
          { clientId: CONFIDENTIAL, clientSecret: SECRET, allowedOAuthFlows: ['client_credentials'], allowedOAuthScopes: ['pets/read'] },
        ],
      },
    },
  };
  const api = await startServer({ port: 0, env: {}, config });
  try {
    const { codeVerifier, codeChallenge } = cognito.pkce();
    const start = await fetch(cognito.authorizeUrl({ domain: api.url, clientId: PUBLIC, redirectUri: callback, scope: ['openid', 'email'], state: 'st-local', codeChallenge }), { redirect: 'manual' });
    assert.equal(start.status, 302, await start.text());
    const page = await fetch(new URL(start.headers.get('location'), api.url), { redirect: 'manual' });
    const cookie = page.headers.get('set-cookie').split(';')[0];
    const fields = {};
    for (const m of (await page.text()).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replace(/&amp;/g, '&');
    const done = await fetch(`${api.url}/login`, {
      method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ ...fields, username: 'alice', password: 'Correct#Horse9' }),
    });
    const back = new URL(done.headers.get('location'));
    assert.equal(back.searchParams.get('state'), 'st-local');
    const tokens = await cognito.exchangeCode({ domain: api.url, clientId: PUBLIC, code: back.searchParams.get('code'), redirectUri: callback, codeVerifier });
    assert.equal(tokens.tokenType, 'Bearer');
    assert.equal(cognito.decodeJwt(tokens.idToken).payload.email, 'alice@example.com');
    assert.equal(cognito.isTokenExpired(tokens.accessToken), false);
    await assert.rejects(cognito.exchangeCode({ domain: api.url, clientId: PUBLIC, code: back.searchParams.get('code'), redirectUri: callback, codeVerifier }),
      { code: 'OAUTH_ERROR', oauthError: 'invalid_grant' }, 'a code is good once');
    const refreshed = await cognito.refreshWithToken({ domain: api.url, clientId: PUBLIC, refreshToken: tokens.refreshToken });
    assert.ok(refreshed.idToken && refreshed.accessToken);
    const machine = await cognito.clientCredentials({ domain: api.url, clientId: CONFIDENTIAL, clientSecret: SECRET, scope: 'pets/read' });
    assert.equal(cognito.decodeJwt(machine.accessToken).payload.client_id, CONFIDENTIAL);
    await assert.rejects(cognito.clientCredentials({ domain: api.url, clientId: CONFIDENTIAL, clientSecret: `${SECRET}x`, clientAuth: 'body' }), { oauthError: 'invalid_client' });
  } finally {
    await api.close();
  }
});
