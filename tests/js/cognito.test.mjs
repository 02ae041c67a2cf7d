// sigv4-wasm/cognito (issue 13), on the servers' build (the only one that carries it for now):
//  1. The notes' vectors through JavaScript: SRP_A, the HKDF key and PASSWORD_CLAIM_SIGNATURE
//     (tests/vectors/cognito/srp.json, the published ones), SECRET_HASH, TIMESTAMP, PKCE S256
//     (RFC 7636), JWT decoding; typed errors.
//  2. The flows against a stub Cognito on 127.0.0.1, started and stopped here: the user pool's
//     JSON 1.1 API checks what it is sent (SECRET_HASH, and USER_SRP_AUTH's proof, verified with
//     the server side of SRP-6a in BigInt: S = (A v^u)^b), and the identity pool issues
//     temporary keys that an AwsClient with identityPoolCredentials signs with; the stub
//     verifies those signatures with the package's verify.
//
//   node --test tests/js/cognito.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as cognito from 'sigv4-wasm/cognito';
import { AwsClient } from 'sigv4-wasm';
import { verify } from 'sigv4-wasm/verify';

const VECTORS = JSON.parse(readFileSync(new URL('../vectors/cognito/srp.json', import.meta.url), 'utf8'));
const hexBytes = (hex) => Uint8Array.from(Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex'));

// ---------------------------------------------------------------------------------------------
// 1. Vectors

test('the published SRP vectors (A, B1, B2, C, D): SRP_A and the signature (made with the HKDF key, which stays in the binary)', () => {
  assert.equal(VECTORS.srp.length, 5);
  for (const v of VECTORS.srp) {
    const secret = hexBytes(v.a);
    const a = cognito.srpA(secret);
    if (v.srpA) assert.equal(a, v.srpA, v.name);
    if (v.srpAPrefix) assert.ok(a.startsWith(v.srpAPrefix), v.name);
    const claim = cognito.passwordClaim(secret, {
      userPoolId: v.userPoolId, password: v.password, timestamp: v.timestamp,
      challengeParameters: { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock },
    });
    // The signature is HMAC(K, ...): it matches only if the session key K does.
    assert.deepEqual(claim, { signature: v.signature }, v.name);
    assert.ok(!JSON.stringify(claim).includes(v.hkdfKey), `${v.name}: the session key must not reach JavaScript`);
  }
});

test('SECRET_HASH, TIMESTAMP, PKCE S256 (RFC 7636 Appendix B)', () => {
  for (const v of VECTORS.secretHash) assert.equal(cognito.secretHash(v.clientSecret, v.username, v.clientId), v.secretHash);
  for (const [ms, text] of VECTORS.timestamp) {
    assert.equal(cognito.srpTimestamp(ms), text);
    assert.equal(cognito.srpTimestamp(new Date(ms)), text);
  }
  assert.equal(cognito.pkceVerifier(Uint8Array.from(VECTORS.pkce.randomBytes)), VECTORS.pkce.codeVerifier);
  assert.equal(cognito.pkceChallenge(VECTORS.pkce.codeVerifier), VECTORS.pkce.codeChallenge);
  const made = cognito.pkceVerifier();
  assert.match(made, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(made, cognito.pkceVerifier(), 'random each time');
});

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (claims) => `${b64url({ alg: 'none', kid: 'stub' })}.${b64url(claims)}.c2ln`;

test('decodeJwt and isTokenExpired; errors are typed and name what to fix', () => {
  const token = jwt({ sub: 's', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_P', exp: 1700003600, iat: 1700000000, 'cognito:groups': ['a'] });
  const decoded = cognito.decodeJwt(token);
  assert.deepEqual(decoded.payload['cognito:groups'], ['a']);
  assert.equal(decoded.header.kid, 'stub');
  assert.equal(decoded.exp, 1700003600);
  assert.equal(cognito.isTokenExpired(token, 1700003594999), false);
  assert.equal(cognito.isTokenExpired(token, 1700003595000), true);
  assert.equal(cognito.isTokenExpired(token, 1700003599999, 0), false);
  assert.throws(() => cognito.decodeJwt('a.b'), { name: 'SigV4Error', code: 'INVALID_JWT' });
  assert.throws(() => cognito.pkceChallenge('short'), { code: 'INVALID_CODE_VERIFIER' });
  assert.throws(() => cognito.srpA(new Uint8Array(128)), { code: 'INVALID_SRP_PARAMETER' });
  const params = { USER_ID_FOR_SRP: 'u', SRP_B: 'xyz', SALT: '01', SECRET_BLOCK: 'AAAA' };
  assert.throws(() => cognito.passwordClaim(new Uint8Array([1]), { userPoolId: 'us-east-1_P', password: 'hunter2', challengeParameters: params, timestamp: 't' }),
    (error) => error.code === 'INVALID_SRP_PARAMETER' && !error.message.includes('hunter2'));
  assert.throws(() => cognito.passwordClaim(new Uint8Array([1]), { userPoolId: 'nopool', password: 'p', challengeParameters: { ...params, SRP_B: '01' }, timestamp: 't' }), { code: 'INVALID_USER_POOL_ID' });
  assert.throws(() => cognito.srpTimestamp(NaN), TypeError);
});

// ---------------------------------------------------------------------------------------------
// 2. A stub Cognito: user pool, identity pool, and an IAM-protected route

const N = BigInt('0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF');
const G = 2n;
const K = BigInt(`0x${VECTORS.k}`);
function modpow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  for (; exp > 0n; exp >>= 1n, base = (base * base) % mod) if (exp & 1n) result = (result * base) % mod;
  return result;
}
function pad(n) {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (/^[89a-f]/.test(hex)) hex = `00${hex}`;
  return Buffer.from(hex, 'hex');
}
const sha = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const big = (buffer) => BigInt(`0x${buffer.toString('hex') || '0'}`);
const hmac = (key, ...parts) => createHmac('sha256', key).update(Buffer.concat(parts)).digest();

const POOL_ID = 'us-east-1_StubPool1';
const POOL_NAME = 'StubPool1';
const CLIENT_ID = 'stubclient123';
const CLIENT_SECRET = 'stub-client-secret';
const IDENTITY_POOL = 'us-east-1:11111111-2222-3333-4444-555555555555';
const ISS = `https://cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`;
const USERS = { 'alice@example.com': { internal: 'a1b2c3d4-0000-4000-8000-000000000001', password: 'Correct#Horse9' } };

const stub = { sessions: new Map(), keys: new Map(), calls: [], refreshTokens: new Map(), identityCount: 0 };
let server;
let baseUrl;

function idToken(user) {
  const now = Math.floor(Date.now() / 1000);
  return jwt({ sub: user.internal, iss: ISS, token_use: 'id', aud: CLIENT_ID, 'cognito:username': user.internal, exp: now + 3600, iat: now });
}
function tokens(user) {
  const refresh = `refresh-${randomBytes(8).toString('hex')}`;
  stub.refreshTokens.set(refresh, user);
  return { AuthenticationResult: { AccessToken: jwt({ sub: user.internal, token_use: 'access', client_id: CLIENT_ID }), IdToken: idToken(user), RefreshToken: refresh, ExpiresIn: 3600, TokenType: 'Bearer' } };
}
function refuse(type, message) {
  return [400, { __type: type, message }];
}
function checkSecretHash(username, given) {
  const expected = createHmac('sha256', CLIENT_SECRET).update(username + CLIENT_ID).digest('base64');
  return given === expected;
}
function userOf(name) {
  return USERS[name] || Object.values(USERS).find((u) => u.internal === name);
}

const HANDLERS = {
  'AWSCognitoIdentityProviderService.InitiateAuth': (body) => {
    if (body.ClientId !== CLIENT_ID) return refuse('ResourceNotFoundException', 'User pool client does not exist.');
    const p = body.AuthParameters || {};
    if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
      const user = stub.refreshTokens.get(p.REFRESH_TOKEN);
      if (!user) return refuse('NotAuthorizedException', 'Invalid Refresh Token');
      if (!checkSecretHash(user.internal, p.SECRET_HASH)) return refuse('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`);
      const answer = tokens(user);
      delete answer.AuthenticationResult.RefreshToken;
      return [200, answer];
    }
    const user = USERS[p.USERNAME];
    if (!checkSecretHash(p.USERNAME, p.SECRET_HASH)) return refuse('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`);
    if (!user) return refuse('UserNotFoundException', 'User does not exist.');
    if (body.AuthFlow === 'USER_PASSWORD_AUTH') {
      return p.PASSWORD === user.password ? [200, tokens(user)] : refuse('NotAuthorizedException', 'Incorrect username or password.');
    }
    if (body.AuthFlow === 'USER_SRP_AUTH') {
      if (!/^[0-9a-f]+$/.test(p.SRP_A)) return refuse('InvalidParameterException', 'SRP_A is not hex');
      const salt = randomBytes(16);
      const x = big(sha(pad(big(salt)), sha(Buffer.from(`${POOL_NAME}${user.internal}:${user.password}`))));
      const v = modpow(G, x, N);
      const b = big(randomBytes(32));
      const B = (K * v + modpow(G, b, N)) % N;
      const secretBlock = randomBytes(64).toString('base64');
      const session = `session-${randomBytes(8).toString('hex')}`;
      stub.sessions.set(session, { user, A: BigInt(`0x${p.SRP_A}`), B, b, v, secretBlock });
      return [200, { ChallengeName: 'PASSWORD_VERIFIER', Session: session, ChallengeParameters: {
        SALT: salt.toString('hex'), SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: user.internal, USER_ID_FOR_SRP: user.internal,
      } }];
    }
    return refuse('InvalidParameterException', `Unsupported AuthFlow ${body.AuthFlow}`);
  },
  'AWSCognitoIdentityProviderService.RespondToAuthChallenge': (body) => {
    const state = stub.sessions.get(body.Session);
    stub.sessions.delete(body.Session);
    if (!state || body.ChallengeName !== 'PASSWORD_VERIFIER') return refuse('NotAuthorizedException', 'Invalid session for the user.');
    const r = body.ChallengeResponses || {};
    if (!checkSecretHash(r.USERNAME, r.SECRET_HASH)) return refuse('NotAuthorizedException', `Unable to verify secret hash for client ${CLIENT_ID}`);
    // Cognito's checks: the canonical TIMESTAMP, near the server's time.
    if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [1-9]\d? \d\d:\d\d:\d\d UTC \d{4}$/.test(r.TIMESTAMP || '')) {
      return refuse('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    }
    if (Math.abs(Date.parse(r.TIMESTAMP) - Date.now()) > 5 * 60 * 1000) return refuse('NotAuthorizedException', 'Incorrect username or password.');
    const u = big(sha(pad(state.A), pad(state.B)));
    const S = modpow((state.A * modpow(state.v, u, N)) % N, state.b, N);
    const key = hmac(hmac(pad(u), pad(S)), Buffer.from('Caldera Derived Key'), Buffer.from([1])).subarray(0, 16);
    const expected = hmac(key, Buffer.from(POOL_NAME), Buffer.from(state.user.internal), Buffer.from(state.secretBlock, 'base64'), Buffer.from(r.TIMESTAMP)).toString('base64');
    if (r.USERNAME !== state.user.internal || r.PASSWORD_CLAIM_SECRET_BLOCK !== state.secretBlock || r.PASSWORD_CLAIM_SIGNATURE !== expected) {
      return refuse('NotAuthorizedException', 'Incorrect username or password.');
    }
    return [200, tokens(state.user)];
  },
  'AWSCognitoIdentityService.GetId': (body) => {
    if (body.IdentityPoolId !== IDENTITY_POOL) return refuse('ResourceNotFoundException', 'IdentityPool not found');
    const login = body.Logins && body.Logins[ISS.replace('https://', '')];
    if (!login) return refuse('NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.');
    stub.identityCount++;
    return [200, { IdentityId: `us-east-1:identity-${stub.identityCount}` }];
  },
  'AWSCognitoIdentityService.GetCredentialsForIdentity': (body) => {
    const login = body.Logins && body.Logins[ISS.replace('https://', '')];
    if (!/^us-east-1:identity-\d+$/.test(body.IdentityId) || !login) return refuse('NotAuthorizedException', 'Invalid login token.');
    const accessKeyId = `ASIASTUB${String(stub.keys.size).padStart(8, '0')}`;
    const secretAccessKey = randomBytes(30).toString('base64');
    const sessionToken = randomBytes(40).toString('base64');
    stub.keys.set(accessKeyId, { secretAccessKey, sessionToken });
    return [200, { IdentityId: body.IdentityId, Credentials: { AccessKeyId: accessKeyId, SecretKey: secretAccessKey, SessionToken: sessionToken, Expiration: Math.floor(Date.now() / 1000) + 3600 } }];
  },
};

function startStub() {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let status = 200;
      let answer;
      const target = req.headers['x-amz-target'];
      if (req.url.startsWith('/api/')) {
        try {
          verify({ method: req.method, url: req.url, headers: req.headers, body: new Uint8Array(body) }, {
            region: 'us-east-1', service: 'execute-api',
            lookup: (id) => (stub.keys.has(id) ? stub.keys.get(id) : null),
          });
          answer = { caller: /Credential=([A-Z0-9]+)/.exec(req.headers.authorization)[1] };
        } catch (error) {
          [status, answer] = [403, { message: error.code }];
        }
      } else {
        stub.calls.push({ target, authorization: req.headers.authorization, contentType: req.headers['content-type'] });
        [status, answer] = HANDLERS[target] ? HANDLERS[target](JSON.parse(body.toString('utf8'))) : refuse('UnknownOperationException', target);
      }
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    resolve();
  }));
}

before(startStub);
after(() => new Promise((resolve) => server.close(resolve)));

const client = () => ({ userPoolId: POOL_ID, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, endpoint: `${baseUrl}/idp` });

test('USER_PASSWORD_AUTH with SECRET_HASH; a wrong password is a COGNITO_ERROR with Cognito\'s code', async () => {
  stub.calls.length = 0;
  const answer = await cognito.signInWithPassword({ ...client(), username: 'alice@example.com', password: USERS['alice@example.com'].password });
  assert.equal(cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload.iss, ISS);
  assert.deepEqual(stub.calls[0], { target: 'AWSCognitoIdentityProviderService.InitiateAuth', authorization: undefined, contentType: 'application/x-amz-json-1.1' });
  await assert.rejects(cognito.signInWithPassword({ ...client(), username: 'alice@example.com', password: 'wrong' }),
    { name: 'SigV4Error', code: 'COGNITO_ERROR', cognitoCode: 'NotAuthorizedException', status: 400, message: /InitiateAuth failed: NotAuthorizedException: Incorrect username or password/ });
  await assert.rejects(cognito.signInWithPassword({ ...client(), clientSecret: 'other', username: 'alice@example.com', password: 'x' }),
    { cognitoCode: 'NotAuthorizedException', message: /Unable to verify secret hash/ });
});

test('USER_SRP_AUTH: the stub verifies the proof with the server side of SRP-6a; a wrong password or a skewed clock fails', async () => {
  const alice = USERS['alice@example.com'];
  const answer = await cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password });
  assert.ok(answer.AuthenticationResult, JSON.stringify(answer));
  assert.equal(cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload.sub, alice.internal);
  await assert.rejects(cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: 'Correct#Horse8' }), { cognitoCode: 'NotAuthorizedException' });
  const late = () => Date.now() - 20 * 60 * 1000;
  await assert.rejects(cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password, now: late }), { cognitoCode: 'NotAuthorizedException' });
  const fixed = await cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password, now: late, clockOffsetMs: 20 * 60 * 1000 });
  assert.ok(fixed.AuthenticationResult, 'the clock offset corrects the TIMESTAMP');
  // A fixed secret exponent reproduces SRP_A (sans-IO): random is injectable.
  const secret = new Uint8Array(128).fill(1);
  await cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password, random: () => secret });
  assert.ok(cognito.srpA(secret).startsWith(VECTORS.srp[1].srpAPrefix));
});

test('REFRESH_TOKEN_AUTH: SECRET_HASH over the internal username', async () => {
  const alice = USERS['alice@example.com'];
  const first = await cognito.signInWithPassword({ ...client(), username: 'alice@example.com', password: alice.password });
  const refreshed = await cognito.refreshTokens({ ...client(), refreshToken: first.AuthenticationResult.RefreshToken, username: alice.internal });
  assert.ok(refreshed.AuthenticationResult.IdToken);
  await assert.rejects(cognito.refreshTokens({ ...client(), refreshToken: first.AuthenticationResult.RefreshToken, username: 'alice@example.com' }), { message: /Unable to verify secret hash/ });
  assert.throws(() => cognito.refreshTokens({ ...client(), refreshToken: 'r' }), TypeError);
});

test('identity pool credentials: GetId once, Logins from the ID token\'s iss, and AwsClient signs with them (verified by the stub)', async () => {
  const alice = USERS['alice@example.com'];
  const signedIn = await cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password });
  stub.calls.length = 0;
  const provider = cognito.identityPoolCredentials({ identityPoolId: IDENTITY_POOL, idToken: signedIn.AuthenticationResult.IdToken, endpoint: `${baseUrl}/identity` });
  const credentials = await provider();
  assert.match(credentials.accessKeyId, /^ASIASTUB/);
  assert.ok(credentials.expiration instanceof Date && credentials.expiration.getTime() > Date.now() + 59 * 60 * 1000);
  await provider();
  assert.deepEqual(stub.calls.map((c) => c.target.split('.').pop()), ['GetId', 'GetCredentialsForIdentity', 'GetCredentialsForIdentity']);
  assert.ok(stub.calls.every((c) => c.authorization === undefined), 'no SigV4 on the identity calls');
  const aws = new AwsClient({ credentials: provider, service: 'execute-api', region: 'us-east-1', retries: 0 });
  const [one, two] = await Promise.all([aws.fetch(`${baseUrl}/api/pets`), aws.fetch(`${baseUrl}/api/pets`)]);
  assert.equal(one.status, 200);
  assert.equal((await two.json()).caller, (await one.json()).caller, 'one set of credentials, cached');
  assert.equal(stub.calls.length, 4, 'AwsClient asked the identity pool once');
  const guestless = cognito.identityPoolCredentials({ identityPoolId: IDENTITY_POOL, endpoint: `${baseUrl}/identity` });
  const refused = new AwsClient({ credentials: guestless, service: 'execute-api', region: 'us-east-1', retries: 0 });
  await assert.rejects(refused.fetch(`${baseUrl}/api/pets`), (error) => error.code === 'CREDENTIALS_REFRESH_FAILED' && error.cause.cognitoCode === 'NotAuthorizedException');
});

test('the subpath: require gives the same API, one SigV4Error with the main entry', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const cjs = require('sigv4-wasm/cognito');
  assert.deepEqual(Object.keys(cjs).sort(), Object.keys(cognito).sort());
  assert.equal(cjs.SigV4Error, require('sigv4-wasm').SigV4Error);
  assert.equal(cjs.secretHash('a', 'b', 'c'), cognito.secretHash('a', 'b', 'c'));
});
