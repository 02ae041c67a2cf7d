// sigv4-wasm/cognito (issue 13), in Node (its own binary, the feature `cognito`):
//  1. The notes' vectors through JavaScript: SRP_A and PASSWORD_CLAIM_SIGNATURE (made with the
//     HKDF key, which never reaches JavaScript) (tests/vectors/cognito/srp.json, the published
//     ones), SECRET_HASH, TIMESTAMP, PKCE S256 (RFC 7636), JWT decoding; typed errors.
//  2. The flows against a stub Cognito on 127.0.0.1 (tests/js/cognito-stub.mjs), started and
//     stopped here: the user pool's JSON 1.1 API checks what it is sent (SECRET_HASH, and
//     USER_SRP_AUTH's proof, verified with the server side of SRP-6a in BigInt), and the
//     identity pool issues temporary keys that an AwsClient with identityPoolCredentials signs
//     with; the stub verifies those signatures with the package's verify.
//
//   node --test tests/js/cognito.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as cognito from 'sigv4-wasm/cognito';
import { AwsClient } from 'sigv4-wasm';
import { bigIntModPow } from '../../js/src/modpow.js';
import { CLIENT_ID, CLIENT_SECRET, IDENTITY_POOL, ISS, POOL_ID, USERS, VECTORS, jwt, startStub, stopStub, stub } from './cognito-stub.mjs';
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

// A caller's modPow (Amplify's computeModPow shape: { base, exponent, divisor } in hex → hex),
// plain square-and-multiply over BigInt, counting its calls.
function countingModPow(wrap = (hex) => hex) {
  const calls = [];
  const modPow = ({ base, exponent, divisor }) => {
    calls.push({ base, exponentBits: BigInt(`0x${exponent}`).toString(2).length, divisor });
    const m = BigInt(`0x${divisor}`);
    let b = BigInt(`0x${base}`) % m;
    let e = BigInt(`0x${exponent}`);
    let r = 1n;
    for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
    return wrap(r.toString(16));
  };
  return { calls, modPow };
}
/** The start of N (RFC 3526's 3072-bit prime) in lowercase hex. */
const N_HEX = 'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd1';

test('the vectors with a caller\'s modPow, sync (values) and async (Promises): g^a once when srpA is carried', async () => {
  for (const v of VECTORS.srp) {
    const secret = hexBytes(v.a);
    const challengeParameters = { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock };
    const options = { userPoolId: v.userPoolId, password: v.password, timestamp: v.timestamp, challengeParameters };
    const sync = countingModPow();
    const a = cognito.srpA(secret, { modPow: sync.modPow });
    assert.equal(a, cognito.srpA(secret), `${v.name}: the same SRP_A as the binary's num-bigint`);
    assert.deepEqual(cognito.passwordClaim(secret, { ...options, srpA: a, modPow: sync.modPow }), { signature: v.signature }, v.name);
    assert.deepEqual(sync.calls.map((c) => c.base), ['2', '2', sync.calls[2].base], `${v.name}: g^a, then g^x and S (g^a not again)`);
    assert.ok(sync.calls.every((c) => c.divisor.startsWith(N_HEX) && c.divisor.length === 768), 'the divisor is N, lowercase hex');
    assert.ok(sync.calls[2].exponentBits > 300, `${v.name}: S's exponent is a + u·x (u·x alone: about 512 bits)`);
    const async = countingModPow((hex) => Promise.resolve(hex.toUpperCase()));
    const pending = cognito.passwordClaim(secret, { ...options, modPow: async.modPow });
    assert.ok(pending instanceof Promise);
    assert.deepEqual(await pending, { signature: v.signature }, `${v.name} (async, no srpA: g^a recomputed)`);
    assert.equal(async.calls.length, 3);
    assert.equal(await cognito.srpA(secret, { modPow: async.modPow }), a);
  }
});

test('React Native\'s BigInt modPow (js/src/modpow.js: sliding window, Barrett reduction) against square-and-multiply', () => {
  const reference = countingModPow().modPow;
  const n = `${N_HEX}${'a'.repeat(720)}f`; // 3072 bits, odd
  const cases = [
    { base: '2', exponent: '0', divisor: n },
    { base: '2', exponent: '1', divisor: n },
    { base: '0', exponent: 'ff', divisor: n },
    { base: n, exponent: '5', divisor: n },
    { base: `1${n}`, exponent: '3', divisor: n }, // a base above the divisor
    { base: '7', exponent: '123456789', divisor: 'f4243' },
    { base: 'abc', exponent: 'ffff', divisor: '1' },
    { base: 'abc', exponent: 'ffff', divisor: '2' },
    { base: '3', exponent: '10000000000000000000000000000001', divisor: 'ffffffffffffffffffffffffffffff61' },
  ];
  let seed = 1n;
  const random = (digits) => {
    let out = '';
    while (out.length < digits) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 64n);
      out += seed.toString(16).padStart(16, '0');
    }
    return out.slice(0, digits).replace(/^0+/, '') || '1';
  };
  for (const digits of [1, 5, 6, 20, 60, 64, 128, 192, 256, 300]) {
    cases.push({ base: random(768), exponent: random(digits), divisor: n });
    cases.push({ base: random(40), exponent: random(digits), divisor: random(40) });
  }
  for (const c of cases) assert.equal(bigIntModPow(c), reference(c), JSON.stringify({ ...c, divisor: c.divisor.slice(0, 12) }));
  // The cognito binary's own check of an SRP vector with it: see the Hermes test.
});

test('a modPow answer that is not base^exponent mod N in [1, N) is refused with INVALID_SRP_PARAMETER; a modPow that is not a function is a TypeError', async () => {
  const v = VECTORS.srp[1];
  const secret = hexBytes(v.a);
  const options = { userPoolId: v.userPoolId, password: 'hunter2-secret', timestamp: v.timestamp,
    challengeParameters: { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock } };
  const bad = [() => '0', ({ divisor }) => divisor, ({ divisor }) => (BigInt(`0x${divisor}`) + 1n).toString(16), () => 'zz', () => undefined, () => ({}), () => ''];
  for (const answer of bad) {
    const check = (error) => error.name === 'SigV4Error' && error.code === 'INVALID_SRP_PARAMETER' && /modPow answer 1 is not base\^exponent mod N/.test(error.message) && !error.message.includes('hunter2');
    assert.throws(() => cognito.srpA(secret, { modPow: answer }), check, String(answer));
    assert.throws(() => cognito.passwordClaim(secret, { ...options, modPow: answer }), check, String(answer));
    await assert.rejects(cognito.passwordClaim(secret, { ...options, modPow: (r) => Promise.resolve(answer(r)) }), check, String(answer));
  }
  // The second answer (g^x) wrong: refused the same way, naming it.
  let count = 0;
  const second = countingModPow();
  assert.throws(() => cognito.passwordClaim(secret, { ...options, modPow: (r) => (++count === 2 ? '0' : second.modPow(r)) }), { code: 'INVALID_SRP_PARAMETER', message: /modPow answer 2/ });
  assert.throws(() => cognito.passwordClaim(secret, { ...options, srpA: '0' }), { code: 'INVALID_SRP_PARAMETER', message: /SRP_A must be in \[1, N\)/ });
  await assert.rejects(cognito.passwordClaim(secret, { ...options, modPow: () => Promise.reject(new Error('native module missing')) }), /native module missing/);
  assert.throws(() => cognito.srpA(secret, { modPow: 'fast' }), { name: 'TypeError', message: /modPow must be a function .*computeModPow/ });
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

let baseUrl;
before(async () => {
  baseUrl = await startStub();
});
after(stopStub);

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

test('USER_SRP_AUTH with an async modPow (as Amplify\'s native computeModPow): three exponentiations per sign-in, g^a once; the stub verifies the proof', async () => {
  const alice = USERS['alice@example.com'];
  const { calls, modPow } = countingModPow((hex) => new Promise((resolve) => setTimeout(() => resolve(hex), 1)));
  const answer = await cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password, modPow });
  assert.equal(cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload.sub, alice.internal);
  assert.equal(calls.length, 3, 'g^a, g^x, S');
  assert.deepEqual(calls.map((c) => c.base).slice(0, 2), ['2', '2']);
  assert.ok(calls[0].exponentBits > 1000 && calls[1].exponentBits <= 256 && calls[2].exponentBits > 1000, JSON.stringify(calls.map((c) => c.exponentBits)));
  calls.length = 0;
  await assert.rejects(cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: 'Correct#Horse8', modPow }), { cognitoCode: 'NotAuthorizedException' });
  assert.equal(calls.length, 3);
  await assert.rejects(cognito.signInWithSrp({ ...client(), username: 'alice@example.com', password: alice.password, modPow: () => 'not hex' }), { code: 'INVALID_SRP_PARAMETER' });
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
