// The local user pool (www/server/cognito/): the server side of SRP-6a against the notes'
// server-consistent vectors, the cognito-idp JSON API through the package's own helpers
// (sigv4-wasm/cognito: signInWithPassword, signInWithSrp, refreshTokens) and raw, the hosted
// login with the authorization code grant and PKCE, the token endpoint's grants and errors,
// the JWKS, and the tokens' claims and signatures.
//
//   node --test tests/api/cognito-userpool.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, createPublicKey, verify as verifySignature } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as cognito from 'sigv4-wasm/cognito';
import { startServer } from '../../www/server/server.mjs';
import * as srp from '../../www/server/cognito/srp.mjs';

const VECTORS = JSON.parse(readFileSync(new URL('../vectors/cognito/srp.json', import.meta.url), 'utf8'));
const POOL_ID = 'us-east-1_LocalTest1';
const PUBLIC = 'localtestpublic0001';
const CONFIDENTIAL = 'localtestconfidential01';
const SECRET = 'confidential-client-secret-0001';
const MACHINE = 'localtestmachine0001';
const MACHINE_SECRET = 'machine-client-secret-00001';
const CALLBACK = 'http://localhost:3000/callback';
const ALICE = { username: 'alice', password: 'Correct#Horse9', email: 'alice@example.com' };

const config = {
  demoKey: true,
  cognito: {
    userPool: {
      id: POOL_ID,
      users: [ALICE, { username: 'bob', password: 'Bob-Pass-2' }],
      clients: [
        { clientId: PUBLIC, callbackUrls: [CALLBACK, '{server}/'], allowedOAuthFlows: ['code'], allowedOAuthScopes: ['openid', 'email', 'profile', 'pets/read'], explicitAuthFlows: ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'] },
        { clientId: CONFIDENTIAL, clientSecret: SECRET, callbackUrls: [CALLBACK], allowedOAuthFlows: ['code'], allowedOAuthScopes: ['openid', 'email'], explicitAuthFlows: ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'] },
        { clientId: MACHINE, clientSecret: MACHINE_SECRET, allowedOAuthFlows: ['client_credentials'], allowedOAuthScopes: ['pets/read', 'pets/write'] },
        { clientId: 'srponlyclient0001', explicitAuthFlows: ['USER_SRP_AUTH'] },
      ],
    },
  },
};

let server;
let idp;
before(async () => {
  server = await startServer({ port: 0, env: {}, config });
  idp = `${server.url}/cognito-idp/`;
});
after(() => server && server.close());

const det = (label, n) => {
  let out = Buffer.alloc(0);
  for (let i = 0; out.length < n; i++) out = Buffer.concat([out, createHash('sha256').update(`${label}:${i}`).digest()]);
  return out.subarray(0, n);
};

test('SRP server side: the notes\' server-consistent vectors E1-E3 (B from the verifier, S = (A v^u)^b, the HKDF key and signature)', () => {
  const E = VECTORS.generated.E;
  assert.equal(srp.K.toString(16), VECTORS.k);
  const salt = det('edge/salt', 16);
  const b = det('edge/b', 32);
  const secretBlock = det('edge/secret', 512).toString('base64');
  const v = srp.verifier(E.userPoolId, E.userIdForSrp, E.password, salt);
  const B = srp.serverB(v, b);
  assert.equal(E.cases.length, 3);
  for (const c of E.cases) {
    const srpA = cognito.srpA(det(`edge/a/${c.i}`, 128));
    assert.equal(srpA.length, c.srpALength, c.name);
    const claim = srp.expectedClaim({ userPoolId: E.userPoolId, userId: E.userIdForSrp, v, A: srp.parseSrpA(srpA), B, b, secretBlock, timestamp: E.timestamp });
    assert.deepEqual(claim, { signature: c.signature, hkdfKey: c.hkdfKey }, c.name);
    // The client's view of the same exchange agrees (the package's Rust math).
    const client = cognito.passwordClaim(det(`edge/a/${c.i}`, 128), {
      userPoolId: E.userPoolId, password: E.password, timestamp: E.timestamp,
      challengeParameters: { USER_ID_FOR_SRP: E.userIdForSrp, SRP_B: B.toString(16), SALT: salt.toString('hex'), SECRET_BLOCK: secretBlock },
    });
    assert.equal(client.signature, c.signature, c.name);
    // A wrong password on the client gives another signature.
    const wrong = cognito.passwordClaim(det(`edge/a/${c.i}`, 128), {
      userPoolId: E.userPoolId, password: `${E.password}x`, timestamp: E.timestamp,
      challengeParameters: { USER_ID_FOR_SRP: E.userIdForSrp, SRP_B: B.toString(16), SALT: salt.toString('hex'), SECRET_BLOCK: secretBlock },
    });
    assert.notEqual(wrong.signature, c.signature);
  }
  assert.equal(srp.expectedClaim({ userPoolId: E.userPoolId, userId: 'x', v, A: srp.N, B, b, secretBlock, timestamp: E.timestamp }), null, 'A = N (0 mod N) is refused');
});

test('SRP: powN (OpenSSL) agrees with BigInt square-and-multiply, including the values OpenSSL refuses', () => {
  for (let i = 0; i < 100; i++) {
    const base = BigInt(`0x${det(`base/${i}`, 1 + ((i * 37) % 400)).toString('hex')}`);
    const exp = det(`exp/${i}`, 1 + (i % 40));
    assert.equal(srp.powN(base, exp), srp.modPow(base, BigInt(`0x${exp.toString('hex')}`), srp.N), `case ${i}`);
  }
  for (const [base, exp] of [[0n, [1]], [1n, [5]], [srp.N - 1n, [3]], [2n, [0, 0]], [srp.N, [1]], [srp.N + 2n, [2]]]) {
    assert.equal(srp.powN(base, Buffer.from(exp)), srp.modPow(base, BigInt(`0x${Buffer.from(exp).toString('hex')}`), srp.N));
  }
});

test('SRP TIMESTAMP: the notes\' vectors, and only the canonical form is accepted', () => {
  for (const [ms, text] of VECTORS.timestamp) {
    assert.equal(srp.formatTimestamp(ms), text);
    assert.equal(srp.parseTimestamp(text), ms);
  }
  assert.equal(srp.parseTimestamp('Tue Jan 01 06:06:09 UTC 2019'), 'format', 'zero-padded day');
  assert.equal(srp.parseTimestamp('2019-01-01T06:06:09Z'), 'format');
  assert.equal(srp.parseTimestamp('Wed Jan 1 06:06:09 UTC 2019'), 'canonical', 'wrong weekday');
  assert.equal(srp.parseTimestamp('Thu Feb 31 06:06:09 UTC 2019'), 'canonical', '31 February');
});

// ---------------------------------------------------------------------------------------------
// The JSON API through sigv4-wasm/cognito

const signIn = (o) => cognito.signInWithPassword({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, ...o });
const rejects = async (promise, code, message) => {
  const error = await promise.then(() => assert.fail('expected a refusal'), (e) => e);
  assert.equal(error.code, 'COGNITO_ERROR', error.message);
  assert.equal(error.cognitoCode, code, error.message);
  if (message) assert.match(error.message, message);
  return error;
};

function decode(token) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

async function jwks() {
  const response = await fetch(`${server.url}/${POOL_ID}/.well-known/jwks.json`);
  assert.equal(response.status, 200);
  return (await response.json()).keys;
}

/** Verifies a token as a client would: the JWKS key with its kid, RS256. */
async function verifiedClaims(token) {
  const [h, p, s] = token.split('.');
  const { header, payload } = decode(token);
  assert.equal(header.alg, 'RS256');
  const jwk = (await jwks()).find((k) => k.kid === header.kid);
  assert.ok(jwk, 'the kid is in the JWKS');
  assert.ok(verifySignature('sha256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(s, 'base64url')), 'RS256 signature');
  return payload;
}

test('USER_PASSWORD_AUTH with signInWithPassword: tokens signed with the JWKS key, with Cognito\'s claims', async () => {
  const answer = await signIn({ username: 'alice', password: ALICE.password });
  const result = answer.AuthenticationResult;
  assert.equal(result.TokenType, 'Bearer');
  assert.equal(result.ExpiresIn, 3600);
  assert.match(result.RefreshToken, /^[A-Za-z0-9_-]{100,}$/);
  const id = await verifiedClaims(result.IdToken);
  const access = await verifiedClaims(result.AccessToken);
  const issuer = `${server.url}/${POOL_ID}`;
  assert.equal(id.iss, issuer);
  assert.equal(id.token_use, 'id');
  assert.equal(id.aud, PUBLIC);
  assert.equal(id['cognito:username'], 'alice');
  assert.equal(id.email, ALICE.email);
  assert.match(id.sub, /^[0-9a-f-]{36}$/);
  assert.equal(id.exp - id.iat, 3600);
  assert.ok(Math.abs(id.iat - Date.now() / 1000) < 5);
  assert.equal(access.token_use, 'access');
  assert.equal(access.client_id, PUBLIC);
  assert.equal(access.username, 'alice');
  assert.equal(access.sub, id.sub);
  assert.match(access.scope, /aws\.cognito\.signin\.user\.admin/);
  assert.equal(typeof access.auth_time, 'number');
  // The discovery document names the same issuer and JWKS.
  const discovery = await (await fetch(`${server.url}/${POOL_ID}/.well-known/openid-configuration`)).json();
  assert.equal(discovery.issuer, issuer);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.deepEqual((await (await fetch(`${server.url}/.well-known/jwks.json`)).json()).keys, await jwks());
  // The email signs in too, any case.
  const byEmail = await signIn({ username: 'ALICE@example.com', password: ALICE.password });
  assert.equal(decode(byEmail.AuthenticationResult.IdToken).payload['cognito:username'], 'alice');
});

test('USER_PASSWORD_AUTH refusals: Cognito\'s types and messages', async () => {
  await rejects(signIn({ username: 'alice', password: 'wrong' }), 'NotAuthorizedException', /Incorrect username or password\.$/);
  await rejects(signIn({ username: 'nobody', password: 'x' }), 'UserNotFoundException', /User does not exist\./);
  await rejects(signIn({ username: 'alice', password: ALICE.password, clientId: 'nosuchclient' }), 'ResourceNotFoundException', /User pool client nosuchclient does not exist\./);
  await rejects(signIn({ username: 'alice', password: ALICE.password, clientId: 'srponlyclient0001' }), 'InvalidParameterException', /USER_PASSWORD_AUTH flow not enabled for this client/);
  // A client with a secret: SECRET_HASH required and checked.
  await rejects(signIn({ username: 'alice', password: ALICE.password, clientId: CONFIDENTIAL }), 'NotAuthorizedException', new RegExp(`Client ${CONFIDENTIAL} is configured with secret but SECRET_HASH was not received`));
  await rejects(signIn({ username: 'alice', password: ALICE.password, clientId: CONFIDENTIAL, clientSecret: 'not-the-secret' }), 'NotAuthorizedException', new RegExp(`Unable to verify secret hash for client ${CONFIDENTIAL}`));
  const ok = await signIn({ username: 'alice', password: ALICE.password, clientId: CONFIDENTIAL, clientSecret: SECRET });
  assert.equal(decode(ok.AuthenticationResult.IdToken).payload.aud, CONFIDENTIAL);
  // Unknown flows and operations, bad bodies.
  await rejects(cognito.initiateAuth({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, authFlow: 'MAGIC', authParameters: {} }), 'InvalidParameterException', /Value 'MAGIC' at 'authFlow' failed to satisfy constraint/);
  await rejects(cognito.initiateAuth({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, authFlow: 'USER_PASSWORD_AUTH', authParameters: {} }), 'InvalidParameterException', /Missing required parameter USERNAME/);
  const raw = (target, body) => fetch(idp, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body });
  let response = await raw('AWSCognitoIdentityProviderService.AdminDeleteUser', '{}');
  assert.equal(response.status, 400);
  assert.equal((await response.json()).__type, 'UnknownOperationException');
  response = await raw('AWSCognitoIdentityProviderService.InitiateAuth', '[1]');
  assert.equal((await response.json()).__type, 'SerializationException');
  response = await raw('AWSCognitoIdentityProviderService.InitiateAuth', JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: PUBLIC, AuthParameters: { USERNAME: 'alice', PASSWORD: 'nope' } }));
  assert.equal(response.status, 400);
  assert.equal(response.headers.get('x-amzn-errortype'), 'NotAuthorizedException:');
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.deepEqual(await response.json(), { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  // POST / with the X-Amz-Target is the same API, as at cognito-idp.<region>.amazonaws.com.
  const viaRoot = await cognito.signInWithPassword({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: `${server.url}/`, username: 'bob', password: 'Bob-Pass-2' });
  assert.ok(viaRoot.AuthenticationResult.IdToken);
  // Bodies are bounded: 64 KiB, then 413 and the connection closed.
  response = await raw('AWSCognitoIdentityProviderService.InitiateAuth', 'x'.repeat(70 * 1024));
  assert.equal(response.status, 413);
});

test('USER_SRP_AUTH with signInWithSrp: the server checks the proof; a wrong password, a replayed session, a bad TIMESTAMP are refused', async () => {
  const answer = await cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, username: 'alice', password: ALICE.password });
  assert.equal((await verifiedClaims(answer.AuthenticationResult.IdToken))['cognito:username'], 'alice');
  // With a secret, by email alias.
  const withSecret = await cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: CONFIDENTIAL, clientSecret: SECRET, endpoint: idp, username: 'alice@example.com', password: ALICE.password });
  assert.equal(decode(withSecret.AuthenticationResult.AccessToken).payload.client_id, CONFIDENTIAL);
  await rejects(cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, username: 'alice', password: 'Wrong#Horse9' }), 'NotAuthorizedException', /Incorrect username or password\./);
  await rejects(cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, username: 'nobody', password: 'x' }), 'UserNotFoundException');
  // A clock 10 minutes off: the TIMESTAMP is too far from the server's.
  await rejects(cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, username: 'alice', password: ALICE.password, clockOffsetMs: 10 * 60 * 1000 }), 'NotAuthorizedException');

  // By hand: one challenge, answered right once; the session is single-use.
  const secret = det('by-hand', 128);
  const challenge = await cognito.initiateAuth({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, authFlow: 'USER_SRP_AUTH', authParameters: { USERNAME: 'alice', SRP_A: cognito.srpA(secret) } });
  assert.equal(challenge.ChallengeName, 'PASSWORD_VERIFIER');
  const p = challenge.ChallengeParameters;
  assert.equal(p.USER_ID_FOR_SRP, 'alice');
  assert.match(p.SRP_B, /^[0-9a-f]+$/);
  assert.match(p.SALT, /^[0-9a-f]+$/);
  const respond = (timestamp, overrides = {}) => {
    const claim = cognito.passwordClaim(secret, { userPoolId: POOL_ID, password: ALICE.password, challengeParameters: p, timestamp });
    return cognito.respondToAuthChallenge({
      userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, challengeName: 'PASSWORD_VERIFIER', session: challenge.Session,
      challengeResponses: { USERNAME: 'alice', PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: claim.signature, ...overrides },
    });
  };
  await rejects(respond('Tue Jan 01 06:06:09 UTC 2019'), 'InvalidParameterException', /TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english\./);
  // The refusal used the session up: the right answer now finds no session.
  await rejects(respond(cognito.srpTimestamp()), 'NotAuthorizedException', /Invalid session for the user\./);
  await rejects(cognito.initiateAuth({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, authFlow: 'USER_SRP_AUTH', authParameters: { USERNAME: 'alice', SRP_A: '0' } }), 'InvalidParameterException');
  await rejects(cognito.initiateAuth({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, authFlow: 'USER_SRP_AUTH', authParameters: { USERNAME: 'alice', SRP_A: 'zz' } }), 'InvalidParameterException');
});

test('SRP: a tampered signature, another secret block, or another session\'s proof are refused', async () => {
  const secret = det('tamper', 128);
  const start = () => cognito.initiateAuth({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, authFlow: 'USER_SRP_AUTH', authParameters: { USERNAME: 'alice', SRP_A: cognito.srpA(secret) } });
  const answer = (challenge, changes) => {
    const p = challenge.ChallengeParameters;
    const timestamp = cognito.srpTimestamp();
    const claim = cognito.passwordClaim(secret, { userPoolId: POOL_ID, password: ALICE.password, challengeParameters: p, timestamp });
    return cognito.respondToAuthChallenge({
      userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, challengeName: 'PASSWORD_VERIFIER', session: challenge.Session,
      challengeResponses: { USERNAME: 'alice', PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: claim.signature, ...changes(claim) },
    });
  };
  const flip = (b64) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[0] ^= 1;
    return bytes.toString('base64');
  };
  await rejects(answer(await start(), (claim) => ({ PASSWORD_CLAIM_SIGNATURE: flip(claim.signature) })), 'NotAuthorizedException', /Incorrect username or password\./);
  await rejects(answer(await start(), () => ({ PASSWORD_CLAIM_SECRET_BLOCK: flip((Buffer.alloc(16)).toString('base64')) })), 'NotAuthorizedException');
  await rejects(answer(await start(), () => ({ USERNAME: 'bob' })), 'NotAuthorizedException');
  // The proof of one session does not open another.
  const first = await start();
  const second = await start();
  await rejects(answer({ ...first, Session: second.Session }, () => ({})), 'NotAuthorizedException');
  // And the untouched answer works.
  const ok = await answer(await start(), () => ({}));
  assert.ok(ok.AuthenticationResult.AccessToken);
});

test('REFRESH_TOKEN_AUTH with refreshTokens: new ID and access tokens, no new refresh token; SECRET_HASH over the internal user name', async () => {
  const signedIn = (await signIn({ username: 'alice', password: ALICE.password })).AuthenticationResult;
  const refreshed = (await cognito.refreshTokens({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, refreshToken: signedIn.RefreshToken })).AuthenticationResult;
  assert.equal(refreshed.RefreshToken, undefined);
  assert.equal(decode(refreshed.IdToken).payload.sub, decode(signedIn.IdToken).payload.sub);
  assert.notEqual(decode(refreshed.IdToken).payload.jti, decode(signedIn.IdToken).payload.jti);
  await rejects(cognito.refreshTokens({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, refreshToken: `${signedIn.RefreshToken}x` }), 'NotAuthorizedException', /Invalid Refresh Token/);
  // Another client's refresh token is not this client's.
  const confidential = (await signIn({ username: 'alice', password: ALICE.password, clientId: CONFIDENTIAL, clientSecret: SECRET })).AuthenticationResult;
  await rejects(cognito.refreshTokens({ userPoolId: POOL_ID, clientId: PUBLIC, endpoint: idp, refreshToken: confidential.RefreshToken }), 'NotAuthorizedException', /Invalid Refresh Token/);
  const sub = decode(confidential.IdToken).payload.sub;
  const again = await cognito.refreshTokens({ userPoolId: POOL_ID, clientId: CONFIDENTIAL, clientSecret: SECRET, username: sub, endpoint: idp, refreshToken: confidential.RefreshToken });
  assert.ok(again.AuthenticationResult.IdToken);
  await rejects(cognito.refreshTokens({ userPoolId: POOL_ID, clientId: CONFIDENTIAL, clientSecret: SECRET, username: 'someone-else', endpoint: idp, refreshToken: confidential.RefreshToken }), 'NotAuthorizedException', /Unable to verify secret hash/);
});

// ---------------------------------------------------------------------------------------------
// The hosted login: authorization code + PKCE

const verifier = cognito.pkceVerifier();
const challenge = cognito.pkceChallenge(verifier);

function authorizeUrl(params) {
  const query = new URLSearchParams({ response_type: 'code', client_id: PUBLIC, redirect_uri: CALLBACK, scope: 'openid email', state: 'st-123', code_challenge: challenge, code_challenge_method: 'S256', ...params });
  for (const [k, v] of Object.entries(params)) if (v === undefined) query.delete(k);
  return `${server.url}/oauth2/authorize?${query}`;
}

/** Reads the login form: its hidden fields, the CSRF cookie. */
function parseForm(html) {
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return fields;
}

/** authorize → login page → POST the form; resolves to the final redirect's Location. */
async function signInThroughLogin(params = {}, { username = 'alice', password = ALICE.password } = {}) {
  const start = await fetch(authorizeUrl(params), { redirect: 'manual' });
  assert.equal(start.status, 302);
  const loginUrl = new URL(start.headers.get('location'), server.url);
  assert.equal(loginUrl.pathname, '/login');
  const page = await fetch(loginUrl, { redirect: 'manual' });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy'), /default-src 'none'/);
  const cookie = page.headers.get('set-cookie').split(';')[0];
  const html = await page.text();
  assert.match(html, /<label for="username">/);
  assert.match(html, /<label for="password">/);
  const form = new URLSearchParams({ ...parseForm(html), username, password });
  return fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: form });
}

async function exchange(code, extra = {}, headers = {}) {
  const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: PUBLIC, code, redirect_uri: CALLBACK, code_verifier: verifier, ...extra });
  for (const [k, v] of Object.entries(extra)) if (v === undefined) body.delete(k);
  const response = await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
  return { status: response.status, json: await response.json(), headers: response.headers };
}

test('authorization code + PKCE end to end: authorize, the login form, the redirect with code and state, the code exchanged once', async () => {
  const done = await signInThroughLogin();
  assert.equal(done.status, 302);
  const back = new URL(done.headers.get('location'));
  assert.equal(`${back.origin}${back.pathname}`, CALLBACK);
  assert.equal(back.searchParams.get('state'), 'st-123');
  const code = back.searchParams.get('code');
  assert.match(code, /^[0-9a-f-]{36}$/);
  const tokens = await exchange(code);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.json));
  assert.equal(tokens.headers.get('cache-control'), 'no-store');
  assert.equal(tokens.headers.get('access-control-allow-origin'), '*');
  assert.equal(tokens.json.token_type, 'Bearer');
  assert.equal(tokens.json.expires_in, 3600);
  const id = await verifiedClaims(tokens.json.id_token);
  assert.equal(id.aud, PUBLIC);
  assert.equal(id.email, ALICE.email);
  assert.equal((await verifiedClaims(tokens.json.access_token)).scope, 'openid email');
  // Single use: the same code again is invalid_grant.
  assert.deepEqual((await exchange(code)).json, { error: 'invalid_grant' });

  // refresh_token grant: new ID and access tokens.
  const refreshed = await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: tokens.json.refresh_token }) });
  assert.equal(refreshed.status, 200);
  const json = await refreshed.json();
  assert.equal(json.refresh_token, undefined);
  assert.equal(decode(json.id_token).payload.sub, id.sub);
  const bad = await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', client_id: PUBLIC, refresh_token: 'nope' }) });
  assert.deepEqual([bad.status, await bad.json()], [400, { error: 'invalid_grant' }]);
});

test('the code exchange refuses a wrong verifier, redirect_uri or client, and no verifier; each attempt uses the code up', async () => {
  const codeOf = async () => new URL((await signInThroughLogin()).headers.get('location')).searchParams.get('code');
  assert.deepEqual((await exchange(await codeOf(), { code_verifier: cognito.pkceVerifier() })).json, { error: 'invalid_grant' });
  assert.deepEqual((await exchange(await codeOf(), { code_verifier: undefined })).json, { error: 'invalid_grant' });
  assert.deepEqual((await exchange(await codeOf(), { redirect_uri: `${server.url}/` })).json, { error: 'invalid_grant' });
  assert.deepEqual((await exchange(await codeOf(), { redirect_uri: undefined })).json, { error: 'invalid_request' });
  assert.deepEqual((await exchange(await codeOf(), { client_id: 'nosuchclient' })).json, { error: 'invalid_client' });
  const code = await codeOf();
  assert.deepEqual((await exchange(code, { code_verifier: cognito.pkceVerifier() })).json, { error: 'invalid_grant' });
  assert.deepEqual((await exchange(code)).json, { error: 'invalid_grant' }, 'a failed attempt used the code');
  // A confidential client: its secret by Basic or in the body, and nothing else.
  const confidentialCode = async () => new URL((await signInThroughLogin({ client_id: CONFIDENTIAL, scope: 'openid' })).headers.get('location')).searchParams.get('code');
  const basic = `Basic ${Buffer.from(`${CONFIDENTIAL}:${SECRET}`).toString('base64')}`;
  const byBasic = await exchange(await confidentialCode(), { client_id: undefined }, { authorization: basic });
  assert.equal(byBasic.status, 200, JSON.stringify(byBasic.json));
  assert.equal(decode(byBasic.json.id_token).payload.aud, CONFIDENTIAL);
  assert.equal((await exchange(await confidentialCode(), { client_id: CONFIDENTIAL, client_secret: SECRET })).status, 200);
  assert.deepEqual((await exchange(await confidentialCode(), { client_id: CONFIDENTIAL })).json, { error: 'invalid_client' });
  assert.deepEqual((await exchange(await confidentialCode(), { client_id: CONFIDENTIAL, client_secret: 'wrong-secret-000' })).json, { error: 'invalid_client' });
  assert.deepEqual((await exchange(await confidentialCode(), { client_id: undefined }, { authorization: 'Basic !!!' })).json, { error: 'invalid_client' });
});

test('the token endpoint\'s other errors: unsupported_grant_type, invalid_request, unauthorized_client', async () => {
  const post = async (fields, headers = { 'content-type': 'application/x-www-form-urlencoded' }) => {
    const response = await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers, body: new URLSearchParams(fields) });
    return [response.status, await response.json()];
  };
  assert.deepEqual(await post({ grant_type: 'password', client_id: PUBLIC, username: 'alice', password: 'x' }), [400, { error: 'unsupported_grant_type' }]);
  assert.deepEqual(await post({ client_id: PUBLIC }), [400, { error: 'invalid_request' }]);
  assert.deepEqual(await post({ grant_type: 'authorization_code' }), [400, { error: 'invalid_request' }]);
  assert.deepEqual(await post({ grant_type: 'client_credentials', client_id: PUBLIC }), [400, { error: 'unauthorized_client' }]);
  assert.deepEqual(await post({ grant_type: 'client_credentials' }, { 'content-type': 'application/json' }), [400, { error: 'invalid_request' }]);
  const machineBasic = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${MACHINE}:${MACHINE_SECRET}`).toString('base64')}` };
  assert.deepEqual(await post({ grant_type: 'authorization_code', code: 'x', redirect_uri: CALLBACK, code_verifier: verifier }, machineBasic), [400, { error: 'unauthorized_client' }]);
  const preflight = await fetch(`${server.url}/oauth2/token`, { method: 'OPTIONS' });
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers'), /Authorization/);
});

test('client_credentials: an access token with the client as subject and the scopes asked (or all allowed), for Basic or body auth', async () => {
  const post = (fields, headers = {}) => fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });
  const basic = { authorization: `Basic ${Buffer.from(`${MACHINE}:${MACHINE_SECRET}`).toString('base64')}` };
  let response = await post({ grant_type: 'client_credentials', scope: 'pets/read' }, basic);
  assert.equal(response.status, 200);
  let json = await response.json();
  assert.equal(json.id_token, undefined);
  assert.equal(json.refresh_token, undefined);
  const claims = await verifiedClaims(json.access_token);
  assert.equal(claims.sub, MACHINE);
  assert.equal(claims.client_id, MACHINE);
  assert.equal(claims.scope, 'pets/read');
  assert.equal(claims.token_use, 'access');
  json = await (await post({ grant_type: 'client_credentials', client_id: MACHINE, client_secret: MACHINE_SECRET })).json();
  assert.equal(decode(json.access_token).payload.scope, 'pets/read pets/write');
  assert.deepEqual(await (await post({ grant_type: 'client_credentials', scope: 'pets/delete' }, basic)).json(), { error: 'invalid_scope' });
  assert.deepEqual(await (await post({ grant_type: 'client_credentials', client_id: MACHINE })).json(), { error: 'invalid_client' });
  assert.deepEqual(await (await post({ grant_type: 'client_credentials', client_id: MACHINE, client_secret: `${MACHINE_SECRET}x` })).json(), { error: 'invalid_client' });
});

test('authorize: no redirect for an unknown client or a redirect_uri not listed exactly; errors sent back to the client for the rest', async () => {
  const get = (params) => fetch(authorizeUrl(params), { redirect: 'manual' });
  for (const params of [{ client_id: 'nosuchclient' }, { client_id: undefined }, { redirect_uri: 'https://evil.example/callback' }, { redirect_uri: `${CALLBACK}/` }, { redirect_uri: `${CALLBACK}?x=1` }, { redirect_uri: 'HTTP://localhost:3000/callback' }, { redirect_uri: undefined }]) {
    const response = await get(params);
    assert.equal(response.status, 400, JSON.stringify(params));
    assert.equal(response.headers.get('location'), null);
    assert.match(await response.text(), /Invalid client|redirect_mismatch/);
  }
  const errorOf = async (params) => {
    const response = await get(params);
    assert.equal(response.status, 302, JSON.stringify(params));
    const location = new URL(response.headers.get('location'));
    assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
    assert.equal(location.searchParams.get('state'), 'st-123');
    return location.searchParams.get('error');
  };
  assert.equal(await errorOf({ code_challenge: undefined, code_challenge_method: undefined }), 'invalid_request', 'PKCE is mandatory');
  assert.equal(await errorOf({ code_challenge_method: 'plain' }), 'invalid_request');
  assert.equal(await errorOf({ code_challenge_method: undefined }), 'invalid_request');
  assert.equal(await errorOf({ code_challenge: 'short' }), 'invalid_request');
  assert.equal(await errorOf({ response_type: 'token' }), 'unsupported_response_type');
  assert.equal(await errorOf({ response_type: undefined }), 'invalid_request');
  assert.equal(await errorOf({ scope: 'openid admin/everything' }), 'invalid_scope');
  assert.equal(await errorOf({ scope: 'email' }), 'invalid_scope', 'email needs openid');
  // The login page checks the same way when reached directly.
  const direct = await fetch(`${server.url}/login?client_id=${PUBLIC}&redirect_uri=${encodeURIComponent('https://evil.example/')}&response_type=code`, { redirect: 'manual' });
  assert.equal(direct.status, 400);
});

test('the login form: a wrong password shows the error on the page; a missing or different CSRF token is refused; values are escaped', async () => {
  const wrong = await signInThroughLogin({}, { password: 'not-it' });
  assert.equal(wrong.status, 200);
  const html = await wrong.text();
  assert.match(html, /role="alert"[^>]*>Incorrect username or password\.</);
  assert.match(html, /aria-invalid="true"/);
  const unknown = await signInThroughLogin({}, { username: 'nobody', password: 'x' });
  assert.match(await unknown.text(), /Incorrect username or password\./);
  // State is echoed into the form escaped, never as markup.
  const page = await fetch(new URL((await fetch(authorizeUrl({ state: '"><script>alert(1)</script>' }), { redirect: 'manual' })).headers.get('location'), server.url));
  const text = await page.text();
  assert.ok(!text.includes('<script>'));
  assert.match(text, /&quot;&gt;&lt;script&gt;/);
  // CSRF: the form's token must match the cookie the page set.
  const loginUrl = new URL((await fetch(authorizeUrl({}), { redirect: 'manual' })).headers.get('location'), server.url);
  const fields = parseForm(await (await fetch(loginUrl)).text());
  const post = (cookie) => fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) }, body: new URLSearchParams({ ...fields, username: 'alice', password: ALICE.password }) });
  assert.equal((await post()).status, 403);
  assert.equal((await post('XSRF-TOKEN=forged')).status, 403);
  assert.equal((await post(`XSRF-TOKEN=${fields._csrf}`)).status, 302);
});

test('the stores are bounded: codes and SRP sessions beyond their limit evict the oldest', async () => {
  const { codes } = server.cognito.userPool.stores;
  const before = codes.size;
  for (let i = 0; i < 1100; i++) codes.set(`filler-${i}`, {});
  assert.equal(codes.size, 1000);
  assert.ok(before <= 1000);
  assert.equal(codes.get('filler-0'), undefined, 'the oldest went');
  assert.deepEqual(codes.get('filler-1099'), {});
});

test('bodies are bounded in time and size: a body that stops coming is given up on, one too large is not read on', async () => {
  const { PassThrough } = await import('node:stream');
  const { readLimited } = await import('../../www/server/cognito/util.mjs');
  const slow = Object.assign(new PassThrough(), { headers: {} });
  slow.write('{"AuthFlow":');
  const started = Date.now();
  assert.deepEqual(await readLimited(slow, 1024, 100), { error: 'timeout' });
  assert.ok(Date.now() - started < 1000);
  const big = Object.assign(new PassThrough(), { headers: {} });
  const reading = readLimited(big, 1024, 5000);
  big.write(Buffer.alloc(1000));
  big.write(Buffer.alloc(100));
  assert.deepEqual(await reading, { error: 'too-large' });
  assert.deepEqual(await readLimited(Object.assign(new PassThrough(), { headers: { 'content-length': '2048' } }), 1024, 5000), { error: 'too-large' }, 'declared too large: not read at all');
  const fine = Object.assign(new PassThrough(), { headers: {} });
  const ok = readLimited(fine, 1024, 5000);
  fine.end('{}');
  assert.equal((await ok).toString(), '{}');
});
