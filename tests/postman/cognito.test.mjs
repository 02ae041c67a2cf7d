// The collection's Cognito folder (issue 14) against the local API's user pool and identity
// pool (www/server/cognito, the example config's pools), on both sandboxes: the scripted
// sign-in (USER_PASSWORD_AUTH with SECRET_HASH from crypto-js), the ID-token and access-token
// routes sent through the requests' own OAuth 2.0 authorization (which the signer leaves alone),
// tokens got the way the routes' OAuth 2.0 settings tell Postman to (hosted login, code + PKCE),
// a wrong password, an expired token, a refresh with REFRESH_TOKEN_AUTH, the identity pool's
// credentials signing GET /test/whoami, and the README's sigv4_credentials for an identity pool.
//
//   node --test tests/postman/cognito.test.mjs
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { startServer } from '../../www/server/server.mjs';
import { COLLECTION, ENVIRONMENT, POSTMAN, runCollection, problems, postmanRuntime, httpRequest } from './helpers.mjs';

const FOLDER = 'Cognito';
const EXAMPLE = JSON.parse(readFileSync(new URL('../../www/server/example-config.json', import.meta.url), 'utf8'));
const ALICE = EXAMPLE.cognito.userPool.users[0];
const BACKEND = EXAMPLE.cognito.userPool.clients.find((c) => c.clientSecret && c.explicitAuthFlows.includes('USER_PASSWORD_AUTH'));
const DEMO = { SIGV4_DEMO_ACCESS_KEY_ID: 'AKIAPOSTMANCOGNITO01', SIGV4_DEMO_SECRET_ACCESS_KEY: 'cognito/postman/test/secret/0123456789ab' };

let api; // the example config
let shortLived; // the same pools with tokens that last 1 second
before(async () => {
  api = await startServer({ port: 0, env: DEMO, config: EXAMPLE });
  const config = structuredClone(EXAMPLE);
  config.cognito.userPool.tokenLifetimeSeconds = 1;
  shortLived = await startServer({ port: 0, env: DEMO, config });
});
after(async () => {
  await api.close();
  await shortLived.close();
});

const base = (server) => server.url.replace(/\/$/, '');
const valuesFor = (server, extra = {}) => ({
  petstore_url: `${base(server)}/test`,
  aws_access_key_id: DEMO.SIGV4_DEMO_ACCESS_KEY_ID,
  aws_secret_access_key: DEMO.SIGV4_DEMO_SECRET_ACCESS_KEY,
  cognito_idp_url: `${base(server)}/cognito-idp/`,
  cognito_identity_url: `${base(server)}/cognito-identity/`,
  cognito_auth_url: `${base(server)}/oauth2/authorize`,
  cognito_token_url: `${base(server)}/oauth2/token`,
  cognito_password: ALICE.password,
  cognito_client_secret: BACKEND.clientSecret,
  ...extra,
});

/** InitiateAuth calls the sign-in script made (pm.sendRequest), by flow. */
const flows = (run) => run.executions
  .filter((e) => e.request.headers.some(([k, v]) => k.toLowerCase() === 'x-amz-target' && v.endsWith('.InitiateAuth')))
  .map((e) => JSON.parse(e.request.body).AuthFlow);
const routes = (run) => run.executions.filter((e) => !e.request.url.includes('/cognito-idp/'));
const header = (execution, name) => (execution.request.headers.find(([k]) => k.toLowerCase() === name) || [])[1];

/** USER_PASSWORD_AUTH from Node, for a refresh token to hand the collection. */
async function signIn(server) {
  const { createHmac } = await import('node:crypto');
  const response = await httpRequest(`${base(server)}/cognito-idp/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
    body: JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: BACKEND.clientId, AuthParameters: {
      USERNAME: ALICE.username, PASSWORD: ALICE.password,
      SECRET_HASH: createHmac('sha256', BACKEND.clientSecret).update(ALICE.username + BACKEND.clientId).digest('base64'),
    } }),
  });
  assert.equal(response.status, 200, response.text);
  return JSON.parse(response.text).AuthenticationResult;
}

/**
 * What Postman's "Get New Access Token" does with a token route's OAuth 2.0 settings (Authorization
 * Code (With PKCE), SHA-256, client credentials in the body), here with node:fetch and the hosted
 * login form: resolves to the token endpoint's answer.
 */
async function tokensFromOAuthTab(server, values) {
  const { createHash, randomBytes } = await import('node:crypto');
  const route = COLLECTION().item.find((f) => f.name === FOLDER).item.find((i) => i.name === 'GET /me (ID token)');
  const environment = Object.fromEntries(ENVIRONMENT().values.map((v) => [v.key, v.value]));
  const resolve = (text) => String(text).replace(/\{\{([^}]+)\}\}/g, (m, name) => (name in values ? values[name] : environment[name]));
  const oauth = Object.fromEntries(route.request.auth.oauth2.map(({ key, value }) => [key, resolve(value)]));
  assert.equal(oauth.grant_type, 'authorization_code_with_pkce');
  assert.equal(oauth.challengeAlgorithm, 'S256');
  assert.equal(oauth.client_authentication, 'body');
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(oauth.authUrl);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: oauth.clientId, redirect_uri: oauth.redirect_uri, scope: oauth.scope, state: 'postman-state',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' })) authorize.searchParams.set(k, v);
  const start = await fetch(authorize, { redirect: 'manual' });
  assert.equal(start.status, 302, await start.text());
  const page = await fetch(new URL(start.headers.get('location'), server.url), { redirect: 'manual' });
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const fields = {};
  for (const m of (await page.text()).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const login = await fetch(`${base(server)}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ ...fields, username: ALICE.username, password: ALICE.password }) });
  const back = new URL(login.headers.get('location'));
  assert.equal(`${back.origin}${back.pathname}`, oauth.redirect_uri, 'redirected to the callback URL');
  assert.equal(back.searchParams.get('state'), 'postman-state');
  const response = await fetch(oauth.accessTokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code'), redirect_uri: oauth.redirect_uri, code_verifier: verifier, client_id: oauth.clientId }) });
  const answer = await response.json();
  assert.equal(response.status, 200, JSON.stringify(answer));
  return answer;
}

/** The README's sigv4_credentials for an identity pool (the js block after its marker), above the pasted signer. */
function withIdentityHook() {
  const readme = readFileSync(join(POSTMAN, 'README.md'), 'utf8');
  const block = /<!-- cognito-identity-hook[^>]*-->\n```js\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, 'postman/README.md has the identity pool hook');
  const collection = COLLECTION();
  const event = collection.event.find((e) => e.listen === 'prerequest');
  event.script.exec = block[1].replace(/\n$/, '').split('\n').concat(event.script.exec);
  return collection;
}
/** The Cognito folder with `lines` appended to the test script of each named request. */
function withTestLines(linesByItem) {
  const collection = COLLECTION();
  const folder = collection.item.find((f) => f.name === FOLDER);
  for (const [name, lines] of Object.entries(linesByItem)) {
    const event = folder.item.find((i) => i.name === name).event.find((e) => e.listen === 'test');
    event.script.exec = event.script.exec.concat(lines);
  }
  return collection;
}
/** Test-script lines that make the tokens expire in `seconds`, where the sign-in script keeps them. */
const expireTokensIn = (seconds) => [
  `var expireAt = new Date(Date.now() + ${seconds * 1000}).toISOString();`,
  "if (pm.environment.has('cognito_tokens_expire_at')) pm.environment.set('cognito_tokens_expire_at', expireAt);",
  "else pm.collectionVariables.set('cognito_tokens_expire_at', expireAt);",
];
const identityCalls = (run, target) => run.executions.filter((e) => e.request.headers.some(([k, v]) => k.toLowerCase() === 'x-amz-target' && v === `AWSCognitoIdentityService.${target}`));

for (const runtime of ['stock', 'latest']) {
  describe(`Cognito folder on the local user pool and identity pool (${runtime}: newman ${Object.values(postmanRuntime(runtime).versions).join(', ')})`, () => {
    test('scripted sign-in: both token routes 200 for alice, unsigned; the identity pool\'s credentials sign GET /whoami as the pool\'s role', async (t) => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api) });
      t.diagnostic(`${run.ms} ms`);
      assert.deepEqual(problems(run), [], 'every request passes its tests');
      assert.deepEqual(flows(run), ['USER_PASSWORD_AUTH'], 'signed in once; the tokens are reused for the later requests');
      // The tokens kept with their expiry: the ID token's exp (ExpiresIn from now).
      const kept = run.collectionVariables;
      const exp = JSON.parse(Buffer.from(kept.cognito_id_token.split('.')[1], 'base64url')).exp;
      assert.ok(Math.abs(Date.parse(kept.cognito_tokens_expire_at) - exp * 1000) < 5000, `cognito_tokens_expire_at ${kept.cognito_tokens_expire_at}, the ID token's exp ${new Date(exp * 1000).toISOString()}`);
      assert.equal(kept.cognito_token_username, ALICE.username);
      assert.match(kept.cognito_refresh_token, /\S{20,}/);
      assert.deepEqual(routes(run).map((e) => [e.name, e.status]), [
        ['GET /me (ID token)', 200], ['GET / (access token)', 200],
        ['GetId', 200], ['GetCredentialsForIdentity', 200], ['GET /whoami (identity pool credentials)', 200],
      ]);
      const [me, root, getId, getCredentials, whoami] = routes(run);
      // The ID token and the access token, raw (no "Bearer "), from the requests' OAuth 2.0 authorization; no signature.
      assert.equal(JSON.parse(me.body).requestContext.authorizer.claims['cognito:username'], ALICE.username);
      assert.equal(JSON.parse(me.body).requestContext.authorizer.claims.token_use, 'id');
      assert.match(header(me, 'authorization'), /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(header(me, 'x-amz-date'), undefined);
      assert.equal(header(root, 'x-amz-date'), undefined);
      assert.notEqual(header(root, 'authorization'), header(me, 'authorization'), 'the access token on the access-token route');
      assert.equal(JSON.parse(Buffer.from(header(root, 'authorization').split('.')[1], 'base64url')).token_use, 'access');
      for (const name of ['GET /me (ID token)', 'GET / (access token)']) {
        assert.ok(run.console.some((c) => c.text === `sigv4: not signing "${name}": it uses Postman's "oauth2" authorization`), `the console says why ${name} is not signed`);
      }
      // The identity pool's own calls unsigned; the call after them signed with its temporary credentials.
      for (const call of [getId, getCredentials]) assert.equal(header(call, 'authorization'), undefined);
      const credentials = JSON.parse(getCredentials.body).Credentials;
      assert.match(header(whoami, 'authorization'), new RegExp(`^AWS4-HMAC-SHA256 Credential=${credentials.AccessKeyId}/`));
      assert.equal(header(whoami, 'x-amz-security-token'), credentials.SessionToken);
      const identity = JSON.parse(whoami.body).requestContext.identity;
      assert.equal(identity.userArn, 'arn:aws:sts::123456789012:assumed-role/CognitoPetReaders/CognitoIdentityCredentials');
      assert.equal(identity.cognitoIdentityId, JSON.parse(getId.body).IdentityId);
      assert.ok(!run.console.some((c) => c.text.includes(ALICE.password) || c.text.includes(BACKEND.clientSecret) || c.text.includes(credentials.SecretKey)), 'no secret in the console');
    });

    test('tokens from the OAuth 2.0 tab\'s settings (the hosted login, code + PKCE, the public client in the body): the ID token on GET /me, the access token (pets/read) on GET /, 200', async () => {
      const values = valuesFor(api, { cognito_password: '' });
      const tokens = await tokensFromOAuthTab(api, values);
      const run = await runCollection({ runtime, folder: FOLDER, values: { ...values, cognito_id_token: tokens.id_token, cognito_access_token: tokens.access_token } });
      const [me, root] = routes(run);
      assert.deepEqual([me.status, root.status], [200, 200]);
      assert.equal(header(me, 'authorization'), tokens.id_token);
      assert.equal(header(root, 'authorization'), tokens.access_token);
      assert.match(JSON.parse(Buffer.from(tokens.access_token.split('.')[1], 'base64url')).scope, /(^| )pets\/read( |$)/);
      assert.deepEqual(flows(run), [], 'no scripted sign-in without cognito_password');
    });

    test('a wrong password: Cognito\'s NotAuthorizedException in the test results, and no token sent', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api, { cognito_password: 'not-the-password' }) });
      const failed = run.assertions.filter((a) => a.assertion === 'cognito: signed in' && a.error);
      assert.ok(failed.length >= 1, JSON.stringify(run.assertions));
      assert.equal(failed[0].error, 'cognito: USER_PASSWORD_AUTH: NotAuthorizedException: Incorrect username or password.');
      // Each request of the folder tries to sign in, fails and is skipped (pm.execution.skipRequest).
      assert.equal(failed.length, 5);
      assert.deepEqual(routes(run).map((e) => e.name), [], 'nothing sent without a token');
    });

    test('a client with a secret and no cognito_client_secret: Cognito\'s answer, and which variable to set', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api, { cognito_client_secret: '' }) });
      const failed = run.assertions.filter((a) => a.assertion === 'cognito: signed in' && a.error);
      assert.ok(failed.length >= 1, JSON.stringify(run.assertions));
      assert.match(failed[0].error, /^cognito: USER_PASSWORD_AUTH: NotAuthorizedException: .*SECRET_HASH.*: set cognito_client_secret to the app client's secret$/);
      assert.deepEqual(routes(run).map((e) => e.name), [], 'nothing sent without a token');
    });

    test('a challenge the script does not answer (NEW_PASSWORD_REQUIRED): the test fails saying what to do, and no token sent', async () => {
      // The local pool has no such user: a stub cognito-idp answers InitiateAuth with the challenge.
      const stub = http.createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          response.end(JSON.stringify({ ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeParameters: {}, Session: 'stub-session' }));
        });
      });
      await new Promise((resolve) => stub.listen(0, '127.0.0.1', resolve));
      try {
        const run = await runCollection({ runtime, folder: FOLDER,
          values: valuesFor(api, { cognito_idp_url: `http://127.0.0.1:${stub.address().port}/cognito-idp/` }) });
        const failed = run.assertions.filter((a) => a.assertion === 'cognito: signed in' && a.error);
        assert.ok(failed.length >= 1, JSON.stringify(run.assertions));
        assert.match(failed[0].error, /^cognito: USER_PASSWORD_AUTH: a challenge \(NEW_PASSWORD_REQUIRED\) this script does not answer: /);
        assert.match(failed[0].error, /set a permanent password/);
        assert.deepEqual(routes(run).map((e) => e.name), [], 'nothing sent without a token');
      } finally {
        stub.close();
      }
    });

    test('an expired ID token: API Gateway\'s 401 "The incoming token has expired"', async () => {
      const tokens = await signIn(shortLived);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      // No password or refresh token: the script leaves the tokens as they are, as in the app.
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(shortLived, { cognito_password: '', cognito_id_token: tokens.IdToken, cognito_access_token: tokens.AccessToken }) });
      const [me, root] = routes(run);
      assert.deepEqual([me.status, root.status], [401, 401]);
      assert.deepEqual(JSON.parse(me.body), { message: 'The incoming token has expired' });
      assert.ok(problems(run).some((p) => p.startsWith('GET /me (ID token): 200 for the user of the ID token')), 'the route\'s test fails');
      assert.deepEqual(flows(run), []);
    });

    test('the README\'s sigv4_credentials for an identity pool: the PetStore folder signed as the pool\'s role, fetched once, again when forced to expire', async () => {
      const tokens = await signIn(api);
      const values = valuesFor(api, { aws_access_key_id: '', aws_secret_access_key: '', cognito_password: '', cognito_id_token: tokens.IdToken });
      const run = await runCollection({ runtime, collection: withIdentityHook(), folder: 'PetStore API (IAM-protected)', values });
      const pets = run.executions.filter((e) => e.request.url.includes('/test/pets'));
      // The pool's role may GET (its policy), not POST: API Gateway names the assumed role.
      assert.deepEqual(pets.map((e) => [e.name, e.status]), [['GET /pets', 200], ['GET /pets/{petId}', 200], ['POST /pets', 403]]);
      assert.match(JSON.parse(pets[2].body).Message, /^User: arn:aws:sts::123456789012:assumed-role\/CognitoPetReaders\/CognitoIdentityCredentials is not authorized to perform: execute-api:Invoke/);
      for (const call of pets) assert.match(call.request.headers.find(([k]) => k === 'x-amz-security-token')[1], /\S/);
      assert.deepEqual([identityCalls(run, 'GetId').length, identityCalls(run, 'GetCredentialsForIdentity').length], [1, 1], 'fetched once, cached until the expiration');
      assert.ok(run.console.some((c) => /^sigv4: temporary credentials ASIA…, valid until /.test(c.text)));
      // Credentials that expire within sigv4_refresh_before (here: all of them) are fetched again for each request.
      const forced = await runCollection({ runtime, collection: withIdentityHook(), folder: 'PetStore API (IAM-protected)', values: { ...values, sigv4_refresh_before: '3601' } });
      assert.deepEqual(forced.executions.filter((e) => e.request.url.includes('/test/pets')).map((e) => e.status), [200, 200, 403]);
      assert.equal(identityCalls(forced, 'GetCredentialsForIdentity').length, 3);
    });

    test('tokens past their (forced short) expiry: refreshed with REFRESH_TOKEN_AUTH, not a new sign-in; then 200', async () => {
      // Forced: the variables say the tokens have expired (the API would still take them).
      const tokens = await signIn(api);
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api, {
        cognito_password: 'a wrong password: a sign-in would fail',
        cognito_id_token: tokens.IdToken,
        cognito_access_token: tokens.AccessToken,
        cognito_refresh_token: tokens.RefreshToken,
        cognito_tokens_expire_at: new Date(Date.now() - 1000).toISOString(),
      }) });
      assert.deepEqual(problems(run), []);
      assert.deepEqual(flows(run), ['REFRESH_TOKEN_AUTH'], 'refreshed once, then valid for the other requests');
      const [me, root] = routes(run);
      assert.deepEqual([me.status, root.status], [200, 200]);
      assert.notEqual(header(me, 'authorization'), tokens.IdToken, 'a new ID token');
      assert.ok(run.console.some((c) => /^cognito: REFRESH_TOKEN_AUTH: tokens for alice, valid until /.test(c.text)));
    });

    test('signed in with the email: tokens with 120 s left are kept, with 30 s left (within cognito_refresh_before, 60) refreshed with the kept refresh token under the token\'s user name (SECRET_HASH)', async () => {
      const run = await runCollection({
        runtime,
        collection: withTestLines({ 'GET /me (ID token)': expireTokensIn(120), 'GET / (access token)': expireTokensIn(30) }),
        folder: FOLDER,
        values: valuesFor(api, { cognito_username: ALICE.email }),
      });
      assert.deepEqual(problems(run), []);
      const calls = run.executions.map((e) => (routes(run).includes(e) ? e.name : JSON.parse(e.request.body).AuthFlow));
      assert.deepEqual(calls, ['USER_PASSWORD_AUTH', 'GET /me (ID token)', 'GET / (access token)', 'REFRESH_TOKEN_AUTH', 'GetId', 'GetCredentialsForIdentity', 'GET /whoami (identity pool credentials)'],
        'signed in once; not refreshed with 120 s left; refreshed (not signed in again) with 30 s left');
      const refresh = run.executions.find((e) => e.request.body.includes('REFRESH_TOKEN_AUTH'));
      assert.equal(JSON.parse(refresh.request.body).AuthParameters.USERNAME, ALICE.username, 'the token\'s cognito:username, not the email typed');
      assert.equal(refresh.status, 200);
      assert.deepEqual(routes(run).map((e) => e.status), [200, 200, 200, 200, 200]);
    });

    test('a refresh token the pool refuses: the script says so and signs in again with the password', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api, {
        cognito_refresh_token: 'not-a-refresh-token', cognito_id_token: 'old', cognito_tokens_expire_at: new Date(Date.now() - 1000).toISOString(),
      }) });
      assert.deepEqual(problems(run), []);
      assert.deepEqual(flows(run), ['REFRESH_TOKEN_AUTH', 'USER_PASSWORD_AUTH']);
      assert.ok(run.console.some((c) => c.text === 'cognito: REFRESH_TOKEN_AUTH: NotAuthorizedException: Invalid Refresh Token; signing in again'));
      assert.deepEqual(routes(run).slice(0, 2).map((e) => e.status), [200, 200]);
      // With a wrong password too: every request fails its sign-in, and the refused refresh token is tried once, not again.
      const both = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api, {
        cognito_password: 'not-the-password', cognito_refresh_token: 'not-a-refresh-token', cognito_id_token: 'old', cognito_tokens_expire_at: new Date(Date.now() - 1000).toISOString(),
      }) });
      assert.deepEqual(flows(both), ['REFRESH_TOKEN_AUTH'].concat(Array(5).fill('USER_PASSWORD_AUTH')));
      assert.deepEqual(routes(both), [], 'nothing sent without a token');
    });
  });
}
