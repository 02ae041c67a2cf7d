// No call, however hostile, leaves the signer broken, holding memory, or holding secrets; on
// both binaries (the signer's, built for size, and the servers', built for speed, with the
// verifier) and both backends of each (the wasm binary and its wasm2js translation):
//
//  1. Traps. 100,000 hostile calls per backend, more than 65,536 of them traps (before the
//     fix each trap leaked shadow stack, and after 65,536 every call failed with "memory
//     access out of bounds" until the process restarted), then the AWS vector signs exactly.
//  2. Memory. After a call that grew the memory past MAX_RETAINED_BYTES the instance is
//     dropped and its memory collected; a body with a payload hash is never copied into wasm.
//  3. Secrets. On every binary (signer, native, server, uploads, verifier, cognito) and both
//     backends: after each call (sign, presign, verify, the key derivation, the chunked
//     encoder and verifier, POST policies, Cognito's SRP and SECRET_HASH), nowhere in linear
//     memory (all of it: stack, static data, heap) is there a copy of the secret access key,
//     the session token, 'AWS4' + secret, kDate, kRegion, kService, kSigning's pads, any of
//     those keys XOR ipad or opad, or Cognito's password, secret exponent and SRP values;
//     kSigning itself stays once, by design, in the signing-key cache. No text the binding
//     returns to JavaScript carries a derived key (the chunked verifier's state included).
//
// Test 1 runs the package's builds (tests/js/builds.mjs), about 5 s each. Tests 2 and 3 need
// the instance's memory, which the bundles keep inside: they build the same API from
// js/src/load.js around the glue and binaries of js/dist, as the entries do, and watch the
// instances the glue is handed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEntry, loadTranslated, loadWasmSync } from '../../js/src/load.js';
import { MAX_RETAINED_BYTES, STACK_WIPE_BYTES } from '../../js/src/api.js';
import { createVerify, createVerifyChunked } from '../../js/src/verify.js';
import { createUploads } from '../../js/src/uploads.js';
import { createCognito } from '../../js/src/cognito.js';
import { K, N, VECTORS, modpow, pad } from './cognito-stub.mjs';
import { loadBuild } from './builds.mjs';
import { SIGNED, SIGN_REQUEST, VERIFY_REQUEST, at, encode } from '../../js/src/protocol.js';
import { nodeCryptoCanonicalSha256, nodeCryptoSha256 } from '../../js/src/native-hash.js';

const VECTOR = JSON.parse(readFileSync(new URL('../vectors/general/iam-listusers.json', import.meta.url), 'utf8'));
const MIB = 1024 * 1024;
/** Traps before today's code failed for good: its 1 MiB shadow stack, 16 bytes a trap. */
const OLD_FAILURE_POINT = 65_536;

// ---- 1. Traps -----------------------------------------------------------------------------

/** The IAM ListUsers vector, which must sign to its documented signature. */
function signVector(api) {
  const { request, credentials } = VECTOR;
  return api.sign(
    { method: request.method, url: `https://${request.host}${request.path}?${request.query}`, headers: request.headers.filter(([name]) => name.toLowerCase() !== 'host') },
    { accessKeyId: credentials.access_key_id, secretAccessKey: credentials.secret_access_key, datetime: VECTOR.timestamp, region: VECTOR.region, service: VECTOR.service },
  ).signature;
}

/**
 * `calls` hostile calls through `entry`: 7 of 10 trap in an outermost call (each of which cost
 * today's code 16 bytes of stack for good), the others cycle through the kinds below, traps in
 * nested calls included; halfway, one pass exhausts the JavaScript stack and signs at every
 * depth on the way back (stack overflows inside wasm, inside the glue, inside call()'s own
 * checks). Every outcome must be the one expected of its kind; every 1000 calls the vector must
 * still sign exactly.
 */
async function hostileCalls({ entry, calls }) {
  const api = await loadBuild(entry);
  const started = Date.now();
  const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'hostile/secret', datetime: '20150830T123600Z', region: 'us-east-1', service: 'execute-api', nativeHash: false };
  const url = 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets';
  const giant = new Uint8Array(2 ** 31); // 2 GiB: more than a wasm32 allocation can be (virtual memory here)
  class LyingLength extends Uint8Array {
    get length() { return 0xffffffff; }
  }
  const liar = new LyingLength(16);
  class ShortLength extends Uint8Array { // the copy into wasm memory runs past its end
    get length() { return 1; }
  }
  const overrun = new ShortLength(4 * MIB);
  const reentrant = (inner) => new (class extends Uint8Array {
    get length() { inner(); return 3; }
  })(3);
  const lookup = () => ({ secretAccessKey: 'hostile/secret' });
  const signedForVerify = api.sign({ method: 'POST', url, body: 'x' }, options);
  const verifyWith = (body, lookupFn) => api.verify({ method: 'POST', url, headers: signedForVerify.headers, body },
    { region: 'us-east-1', service: 'execute-api', now: '20150830T123600Z', lookup: lookupFn });
  const manyHeaders = Array.from({ length: 5000 }, (_, i) => [`x-header-${i}`, 'value']); // 100 KB
  const thrownByLookup = new Error('the key store is down');
  const INTERNAL = 'INTERNAL_ERROR';

  // [name, call, expected]: expected is INTERNAL (a trap or a broken call, recovered), 'ok',
  // a SigV4Error code, an Error class, or the very object thrown.
  const traps = [
    ['2 GiB body', () => api.sign({ method: 'PUT', url, body: giant }, options), INTERNAL],
    ['length getter: 2^32 - 1', () => api.sign({ method: 'PUT', url, body: liar }, options), INTERNAL],
    ['presign, 2 GiB body', () => api.presign({ url, body: giant }, options), INTERNAL],
    ['verify, 2 GiB body', () => verifyWith(giant, lookup), INTERNAL],
  ];
  const others = [
    ['verify, lookup signs a 2 GiB body', () => verifyWith('x', () => (api.sign({ url, body: giant }, options), lookup())), INTERNAL],
    ['length getter signs a 2 GiB body', () => api.sign({ method: 'PUT', url, body: reentrant(() => api.sign({ url, body: giant }, options)) }, options), INTERNAL],
    ['length getter: 1 of 4 MiB', () => api.sign({ method: 'PUT', url, body: overrun }, options), INTERNAL],
    ['bad types', () => api.sign({ url, body: 42 }, options), TypeError],
    ['NUL in the URL', () => api.sign({ url: `${url}\0x` }, options), 'INVALID_URL'],
    ['NUL in a header', () => api.sign({ url, headers: { 'x-a': 'a\0b' } }, options), 'INVALID_HEADER_VALUE'],
    ['lone surrogates in the path and secret', () => api.sign({ url: `${url}/\ud800x\udc00` }, { ...options, secretAccessKey: '\udc00s\ud800' }), 'ok'],
    ['lone surrogate in the session token', () => api.sign({ url }, { ...options, sessionToken: 't\ud800' }), 'INVALID_SESSION_TOKEN'],
    ['lone surrogate in a header', () => api.sign({ url, headers: { 'x-a': 'a\udfffb' } }, options), 'INVALID_HEADER_VALUE'],
    ['5,000 headers', () => api.sign({ url, headers: manyHeaders }, options), 'REQUEST_TOO_LARGE'],
    ['lookup throws', () => verifyWith('x', () => { throw thrownByLookup; }), thrownByLookup],
    ['length getter signs', () => api.sign({ method: 'PUT', url, body: reentrant(() => api.sign({ url }, options)) }, options), 'ok'],
    ['lookup signs', () => verifyWith('x', () => (api.sign({ url, body: 'y' }, options), lookup())), 'ok'],
    ['wrong secret', () => verifyWith('x', () => ({ secretAccessKey: 'other' })), 'SIGNATURE_MISMATCH'],
  ];
  const outcomes = {};
  const milliseconds = {};
  const unexpected = [];
  let trapped = 0; // outermost calls that trapped and recovered
  const check = (name, run, expected, outermostTrap) => {
    let outcome = 'ok';
    let error;
    const start = performance.now();
    try {
      run();
    } catch (thrown) {
      error = thrown;
      outcome = thrown === expected ? expected : (thrown && thrown.code) || (thrown && thrown.constructor);
    }
    if (outcome === INTERNAL && !/has recovered/.test(error.message)) outcome = 'INTERNAL_ERROR without saying it recovered';
    milliseconds[name] = (milliseconds[name] || 0) + performance.now() - start;
    outcomes[name] = (outcomes[name] || 0) + 1;
    if (outcome === INTERNAL && outermostTrap) trapped++;
    if (outcome !== expected && unexpected.length < 10) unexpected.push(`${name}: ${error ? `${error.name}: ${error.message}` : 'ok'}`);
  };
  const wrongSignatures = [];
  for (let i = 0, other = 0; i < calls; i++) {
    const trap = i % 10 < 7;
    const [name, run, expected] = trap ? traps[i % traps.length] : others[other++ % others.length];
    if (name === '5,000 headers' && i % 100 !== 97) continue; // 3 ms each: often enough
    check(name, run, expected, trap);
    if (i % 1000 === 999) {
      const signature = signVector(api);
      if (signature !== VECTOR.expected.signature && wrongSignatures.length < 5) wrongSignatures.push(`after ${i + 1} calls: ${signature}`);
    }
    if (i === calls >> 1) {
      const depths = { ok: 0, RangeError: 0, [INTERNAL]: 0, other: 0 };
      const exhaust = () => {
        try {
          exhaust();
        } catch (overflow) {
          // the deepest level
        }
        try {
          api.sign({ method: 'POST', url, body: 'x' }, options);
          depths.ok++;
        } catch (error) {
          depths[error instanceof RangeError ? 'RangeError' : error.code === INTERNAL ? INTERNAL : 'other']++;
        }
      };
      exhaust();
      outcomes['stack exhausted, signing at every depth'] = depths;
    }
  }
  const signature = signVector(api);
  for (const name of Object.keys(milliseconds)) milliseconds[name] = Math.round(milliseconds[name]);
  return { backend: api.getBackend(), outcomes, milliseconds, trapped, unexpected, wrongSignatures, signature, seconds: (Date.now() - started) / 1000 };
}

describe('100,000 hostile calls leave the signer working', () => {
  for (const [entry, backend] of [['server', 'wasm'], ['browser', 'wasm'], ['js', 'js'], ['native', 'js']]) {
    test(`the ${entry} build: past ${OLD_FAILURE_POINT} traps, the vector still signs`, async () => {
      const result = await hostileCalls({ entry, calls: 100_000 });
      console.log(JSON.stringify(result));
      assert.equal(result.backend, backend);
      assert.deepEqual(result.unexpected, [], 'every hostile call fails as expected (or signs)');
      assert.ok(result.trapped > OLD_FAILURE_POINT, `${result.trapped} calls trapped, past the old failure point`);
      assert.equal(result.outcomes['stack exhausted, signing at every depth'].other, 0, 'stack exhaustion gives RangeError or INTERNAL_ERROR');
      assert.deepEqual(result.wrongSignatures, []);
      assert.equal(result.signature, VECTOR.expected.signature);
    });
  }
});

// ---- The API around one backend, watched ----------------------------------------------------

const BINARIES = ['signer', 'server'];
/** Every binary js/build.mjs builds: the secrets test runs on each. */
const SECRET_BINARIES = ['signer', 'native', 'server', 'uploads', 'verifier', 'cognito', 'postman'];
/** The shipped binaries are in js/dist, the others beside their glue. */
const WASM_BYTES = Object.fromEntries(SECRET_BINARIES.map((binary) => [binary, readFileSync(new URL(
  ['signer', 'server'].includes(binary) ? `../../js/dist/sigv4-${binary}.wasm` : `../../js/dist/gen/${binary}/sigv4-${binary}.wasm`, import.meta.url))]));

/**
 * The package API over `binary` (one of SECRET_BINARIES) on `backend` ('wasm' or 'js'), as
 * its entry builds it (with verify, verifyChunked, the S3 uploads and the Cognito functions
 * where the binary has them), with the instances the glue is handed: `live()` is the exports
 * of the live instance (undefined once dropped), `made` how many were made, `bodies` the
 * length of every body signRequest read (by calling the body() it was given, or, without the
 * feature `speed`, with the call after it asked for it: bodies under 1 KiB go with the first
 * call instead), `returned` each text a call into the glue returned, with
 * the call's name. Each API gets its own copy of the glue (the query string, `copy`), so both
 * backends coexist.
 */
async function watched(binary, backend, copy = backend) {
  const glue = await import(`../../js/dist/gen/${binary}/glue.js?${copy}`);
  const { default: factory } = await import(`../../js/dist/gen/${binary}/wasm2js.mjs`);
  let live;
  let asked = false; // the last signRequest asked for the body
  const state = { made: 0, bodies: [], returned: [], live: () => live };
  const recorded = Object.fromEntries(Object.entries(glue)
    .filter(([name, fn]) => typeof fn === 'function' && /^[a-z]/.test(name) && name !== 'initSync')
    .map(([name, fn]) => [name, (...args) => {
      const result = fn(...args);
      if (typeof result === 'string') state.returned.push([name, result]);
      return result;
    }]));
  const spy = {
    ...glue,
    ...recorded,
    __wbg_finalize_init(instance, module) {
      if (instance.exports && instance.exports !== live) state.made++;
      live = instance.exports;
      return glue.__wbg_finalize_init(instance, module);
    },
    signRequest(input, fieldsLength, body) {
      // The servers' binding reads a body by calling body(); the others' (fields, body,
      // whether the body is given), given none, ask for it by returning '', and get it (or
      // its hash, as the payload hash) with the next call (src/bindings.rs).
      if (typeof body !== 'function') {
        if (asked) state.bodies.push(fieldsLength.length);
        const out = recorded.signRequest(input, fieldsLength, body);
        asked = out === '';
        return out;
      }
      return recorded.signRequest(input, fieldsLength, () => {
        const read = body();
        state.bodies.push(read.length);
        return read;
      });
    },
  };
  // The servers' binary with the hashers its entries pass (js/src/entries/server.js), whose
  // reader of its results (native-hash.js) no other binary's results take.
  const hashers = binary === 'server' ? { nativeSha256: nodeCryptoSha256, canonicalSha256: nodeCryptoCanonicalSha256 } : {};
  const { api, call } = createEntry(spy, backend === 'wasm' ? () => loadWasmSync(spy, WASM_BYTES[binary]) : () => loadTranslated(spy, factory), hashers);
  if (glue.verifyRequest) api.verify = createVerify(spy, call);
  if (glue.verifyChunkedRequest) api.verifyChunked = createVerifyChunked(spy, call);
  if (glue.encodeChunk) Object.assign(api, createUploads(spy, call, api.sign));
  if (glue.cognitoSrpA) Object.assign(api, createCognito(spy, call, api.sign));
  assert.equal(api.getBackend(), backend);
  return { api, state, glue };
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

/** Whether what `ref` points to is garbage-collected (WeakRefs hold until the job ends). */
async function collected(ref) {
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    gc();
  }
  return ref.deref() === undefined;
}

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', datetime: '20150830T123600Z' };
const S3_URL = 'https://examplebucket.s3.amazonaws.com/big';

// ---- 2. Memory ------------------------------------------------------------------------------

for (const [binary, backend] of BINARIES.flatMap((binary) => [[binary, 'wasm'], [binary, 'js']])) {
  describe(`memory is released (${binary}, ${backend})`, () => {
    test('an instance a huge input grew past MAX_RETAINED_BYTES is dropped, and its memory collected', async () => {
      const { api, state } = await watched(binary, backend);
      api.sign({ url: S3_URL }, CREDENTIALS);
      const small = state.live().memory.buffer.byteLength;
      assert.ok(small < 2 * MIB, `a request signs in ${small} bytes of memory`);
      const memory = new WeakRef(state.live().memory);
      const signed = api.sign({ url: S3_URL }, { ...CREDENTIALS, sessionToken: 'T'.repeat(2 * MIB) });
      assert.equal(signed.headers['x-amz-security-token'].length, 2 * MIB);
      const grown = memory.deref().buffer.byteLength;
      assert.ok(grown > MAX_RETAINED_BYTES, `a 2 MiB session token grew the memory to ${grown} bytes`);
      assert.equal(state.live(), undefined, 'the grown instance was dropped');
      assert.ok(await collected(memory), 'its memory was garbage-collected');
      const made = state.made;
      api.sign({ url: S3_URL }, CREDENTIALS);
      assert.equal(state.made, made + 1, 'the next call instantiated a fresh one');
      assert.ok(state.live().memory.buffer.byteLength <= small, 'back to the size of a fresh instance');
    });

    test('a 10 MB body signs, and its memory is then released', async () => {
      const { api, state } = await watched(binary, backend);
      const body = new Uint8Array(10_000_000).fill(7);
      const expected = createHash('sha256').update(body).digest('hex');
      api.sign({ url: S3_URL }, CREDENTIALS);
      const memory = new WeakRef(state.live().memory);
      const signed = api.sign({ method: 'PUT', url: S3_URL, body }, { ...CREDENTIALS, nativeHash: false });
      assert.equal(signed.payloadHash, expected, 'hashed in wasm');
      assert.ok(memory.deref().buffer.byteLength > 10_000_000, 'the body was in wasm memory');
      assert.equal(state.live(), undefined, 'the instance was dropped');
      assert.ok(await collected(memory), 'the memory that held the body was garbage-collected');
      assert.equal(signed.signature, api.sign({ method: 'PUT', url: S3_URL }, { ...CREDENTIALS, payloadHash: expected }).signature);
      assert.ok(state.live().memory.buffer.byteLength < 2 * MIB);
    });

    test('with a payload hash the body is not copied into wasm memory', async () => {
      const { api, state } = await watched(binary, backend);
      const body = new Uint8Array(32 * MIB);
      const made = state.made;
      api.sign({ method: 'PUT', url: S3_URL, body }, { ...CREDENTIALS, payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' });
      api.sign({ method: 'PUT', url: S3_URL, body }, { ...CREDENTIALS, unsignedPayload: true });
      api.presign({ method: 'PUT', url: S3_URL, body }, CREDENTIALS); // S3 presigns UNSIGNED-PAYLOAD
      assert.deepEqual(state.bodies, [], 'the body was never read');
      assert.equal(state.made, made, 'never grew enough to be replaced');
      assert.ok(state.live().memory.buffer.byteLength < 2 * MIB);
      assert.ok(MAX_RETAINED_BYTES < 32 * MIB);
    });
  });
}

// ---- 3. Secrets -----------------------------------------------------------------------------

const SECRET = 'SeCrEt/k3y+Only4ThisTest/xQzVbNmLpKjHgFdSa';
const TOKEN = 'ToKeN//only-for-this-test+IQoJb3JpZ2luX2VjEJr/wEaCXVzLWVhc3QtMSJHMEUCIQD';
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const xor = (bytes, pad) => Buffer.from(bytes.map((b) => b ^ pad));
/** The scopes the calls below sign in. */
const SCOPES = [['20150830', 'us-east-1', 'execute-api'], ['20150830', 'us-east-1', 's3'], ['20150830', 'eu-west-1', 'iam']];
/** Cognito: vector D's challenge, with a password and secret exponent of this test's own. */
const SRP = { ...VECTORS.srp.find((v) => v.name.startsWith('D ')), password: 'Pa55-only4ThisTest!', a: '5ec2e7e7a0e1f00dba11ad5eedc0ffee0123456789abcdef' };
const CLIENT_SECRET = 'client-secret-only4ThisTest-9f8e7d';

/** An HMAC key's two padded blocks: the key XOR 0x36 (ipad) and 0x5c (opad), as long as the key. */
function withPads(forms, name, key) {
  forms[name] = key;
  forms[`${name} ^ ipad`] = xor(key, 0x36);
  forms[`${name} ^ opad`] = xor(key, 0x5c);
}

/** A BigUint as num-bigint keeps it in memory (64-bit limbs, little-endian: the number's
 * bytes little-endian) and as it is hashed (big-endian), each cut to its first 24 bytes: a
 * remnant of either is found. */
function bigForms(forms, name, n) {
  const hex = n.toString(16);
  const be = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  forms[`${name} (big-endian)`] = be.subarray(0, 24);
  forms[`${name} (limbs)`] = Buffer.from(be).reverse().subarray(0, 24);
}

/**
 * Every form of a secret a call may hold: the secret access key and the session token; the
 * HMAC key 'AWS4' + secret, kDate, kRegion, kService and kSigning, each with its ipad and
 * opad blocks (for each of SCOPES); Cognito's password, secret exponent a, client secret, and
 * the SRP values made from them: x (from the password), S, the exponent a + u·x, the HKDF PRK
 * and the session key K, with the pads of the HMAC keys. kSigning itself may stay once per
 * scope, in the signing-key cache: `ONCE` lists those forms.
 */
function secretForms() {
  const forms = { secret: Buffer.from(SECRET), token: Buffer.from(TOKEN) };
  withPads(forms, 'AWS4 + secret', Buffer.from(`AWS4${SECRET}`));
  for (const [date, region, service] of SCOPES) {
    const kDate = hmac(`AWS4${SECRET}`, date);
    const kRegion = hmac(kDate, region);
    const kService = hmac(kRegion, service);
    const kSigning = hmac(kService, 'aws4_request');
    for (const [name, key] of Object.entries({ kDate, kRegion, kService, kSigning })) withPads(forms, `${name} (${region}/${service})`, key);
  }
  forms.password = Buffer.from(SRP.password);
  withPads(forms, 'SECRET_HASH key', Buffer.from(CLIENT_SECRET));
  // SRP-6a as the core computes it (src/cognito/srp.rs).
  const big = (buffer) => BigInt(`0x${buffer.toString('hex') || '0'}`);
  const a = big(Buffer.from(SRP.a, 'hex'));
  const A = modpow(2n, a, N);
  const B = BigInt(`0x${SRP.srpB}`);
  const u = big(sha256(pad(A), pad(B)));
  const pool = SRP.userPoolId.split('_')[1];
  const inner = sha256(Buffer.from(`${pool}${SRP.userIdForSrp}:${SRP.password}`));
  const x = big(sha256(pad(BigInt(`0x${SRP.salt}`)), inner));
  const exponent = a + u * x;
  const S = modpow(((B % N) + N - ((K * modpow(2n, x, N)) % N)) % N, exponent, N);
  const prk = hmac(pad(u), pad(S));
  const hkdfKey = hmac(prk, Buffer.from('Caldera Derived Key\u0001')).subarray(0, 16);
  forms['secret exponent a (as given)'] = Buffer.from(SRP.a, 'hex');
  bigForms(forms, 'a', a);
  forms['H(pool, user, password)'] = inner;
  bigForms(forms, 'x', x);
  bigForms(forms, 'a + u·x', exponent);
  bigForms(forms, 'S', S);
  withPads(forms, 'HKDF PRK', prk);
  withPads(forms, 'session key K', hkdfKey);
  return forms;
}
const ONCE = new Set(SCOPES.map(([, region, service]) => `kSigning (${region}/${service})`));

/** Which forms `memory` holds where none may stay: anywhere for most, more than once for kSigning. */
function lingering(memory, forms) {
  const bytes = Buffer.from(memory.buffer);
  const count = (form) => {
    let n = 0;
    for (let at = bytes.indexOf(form); at !== -1; at = bytes.indexOf(form, at + 1)) n++;
    return n;
  };
  return Object.keys(forms).filter((name) => count(forms[name]) > (ONCE.has(name) ? 1 : 0));
}

/** Which forms `text` (a result the binding returned to JavaScript) carries, raw, in hex or in base64. */
function carried(text, forms) {
  return Object.keys(forms).filter((name) => [forms[name].toString('latin1'), forms[name].toString('hex'), forms[name].toString('base64')]
    .some((form) => text.includes(form)));
}

for (const [binary, backend] of SECRET_BINARIES.flatMap((binary) => [[binary, 'wasm'], [binary, 'js']])) {
  test(`no secret stays in linear memory after a call (${binary}, ${backend})`, async () => {
    const { api, state, glue } = await watched(binary, backend);
    const forms = secretForms();
    const options = { ...CREDENTIALS, secretAccessKey: SECRET, sessionToken: TOKEN };
    const url = 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets?type=dog';
    const lookup = () => ({ secretAccessKey: SECRET, sessionToken: TOKEN });
    const verifyOptions = { region: 'us-east-1', service: 'execute-api', now: CREDENTIALS.datetime, lookup };
    const found = {};
    /** Runs a call that must succeed, or with `refused` must throw a SigV4Error, then scans. */
    const after = (what, run, refused = false) => {
      let error;
      try {
        run();
      } catch (thrown) {
        error = thrown;
      }
      if (refused) assert.equal(error && error.name, 'SigV4Error', `${what} is refused`);
      else if (error) throw error;
      found[what] = lingering(state.live().memory, forms);
    };
    let signed;
    after('sign', () => { signed = api.sign({ method: 'POST', url, body: 'hello' }, options); });
    after('sign, body hashed in wasm', () => api.sign({ method: 'POST', url, body: 'x'.repeat(5000) }, { ...options, nativeHash: false }));
    after('presign', () => api.presign({ url: S3_URL }, options));
    after('a failed sign', () => api.sign({ url }, { ...options, region: 'bad region' }), true);
    if (glue.signingKeyDerivation) { // not in the postman binary
      after('signingKeyDerivation', () => api.signingKeyDerivation({ secretAccessKey: SECRET, date: '20150830', region: 'eu-west-1', service: 'iam' }));
    }
    if (glue.verifyRequest) {
      after('verify', () => api.verify({ method: 'POST', url, headers: signed.headers, body: 'hello' }, verifyOptions));
      after('a failed verify', () => api.verify({ method: 'POST', url, headers: signed.headers, body: 'tampered' }, verifyOptions), true);
      after('verify whose lookup signs', () => api.verify({ method: 'POST', url, headers: signed.headers, body: 'hello' },
        { ...verifyOptions, lookup: () => (api.sign({ url }, options), lookup()) }));
    }
    if (glue.encodeChunk) {
      after('signChunked and its encoder', () => {
        const encoder = api.signChunked({ method: 'PUT', url: S3_URL }, { ...options, decodedLength: 20_000, chunkSize: 8192, checksum: 'crc32' }).encoder();
        assert.equal(encoder.write(new Uint8Array(20_000).fill(1)).length, 2);
        assert.ok(encoder.end().length > 20_000 - 2 * 8192);
      });
      after('presignPost', () => api.presignPost({ bucket: 'examplebucket', key: 'k' }, { ...options, region: 'us-east-1' }));
    }
    if (glue.verifyChunkedRequest) {
      const { seed, wire } = await chunkedUpload(options);
      after('verifyChunked, byte by byte', () => {
        const body = api.verifyChunked(seed, { region: 'us-east-1', service: 's3', s3: true, now: CREDENTIALS.datetime, lookup });
        let released = 0;
        const take = (pieces) => pieces.forEach((piece) => { released += piece.length; });
        for (let at = 0; at < 300; at++) take(body.write(wire.subarray(at, at + 1)));
        take(body.write(wire.subarray(300)));
        body.end();
        assert.equal(released, 20_000, 'the whole body verified');
      });
      after('verifyChunked, a tampered chunk', () => {
        const body = api.verifyChunked(seed, { region: 'us-east-1', service: 's3', s3: true, now: CREDENTIALS.datetime, lookup });
        const tampered = Uint8Array.from(wire);
        tampered[200] ^= 1;
        body.write(tampered);
      }, true);
    }
    if (glue.cognitoSrpA) {
      const a = Buffer.from(SRP.a, 'hex');
      after('srpA', () => api.srpA(a));
      let claim;
      after('passwordClaim', () => { claim = api.passwordClaim(a, { userPoolId: SRP.userPoolId, password: SRP.password, timestamp: SRP.timestamp,
        challengeParameters: { USER_ID_FOR_SRP: SRP.userIdForSrp, SRP_B: SRP.srpB, SALT: SRP.salt, SECRET_BLOCK: SRP.secretBlock } }); });
      // The SRP values searched for are the binary's: the claim is made with this session key K.
      const message = Buffer.concat([Buffer.from(`${SRP.userPoolId.split('_')[1]}${SRP.userIdForSrp}`), Buffer.from(SRP.secretBlock, 'base64'), Buffer.from(SRP.timestamp)]);
      assert.deepEqual(claim, { signature: hmac(forms['session key K'], message).toString('base64') });
      after('secretHash', () => api.secretHash(CLIENT_SECRET, 'alice', 'client'));
    }
    after('a sign that trapped', () => api.sign({ method: 'PUT', url, body: new Uint8Array(2 ** 31) }, { ...options, nativeHash: false }), true);
    for (const what of Object.keys(found)) assert.deepEqual(found[what], [], `after ${what}`);
    // Nothing the binding handed to JavaScript carries a derived key (the chunked verifier's
    // state crosses with every piece): only signingKeyDerivation returns keys, by design.
    const returned = state.returned.filter(([name]) => name !== 'signingKeyDerivation');
    assert.ok(returned.length >= 3, `${returned.length} results recorded`);
    const { token, ...notCarried } = forms; // sign returns the token, in the signed request
    for (const [name, text] of returned) assert.deepEqual(carried(text, notCarried), [], `returned by ${name}`);
    if (glue.verifyChunks) assert.ok(returned.some(([name]) => name === 'verifyChunks'), 'the chunked state was checked');
    // The scan finds what is there: once for kSigning is allowed, twice is not.
    const probe = Buffer.from(state.live().memory.buffer);
    const twice = [forms.token, forms['kSigning (us-east-1/s3)'], forms['kSigning (us-east-1/s3)']];
    let at = probe.length;
    for (const form of twice) probe.set(form, (at -= 128));
    assert.deepEqual(lingering(state.live().memory, forms), ['token', 'kSigning (us-east-1/s3)']);
    probe.fill(0, at);
  });
}

/** A chunked upload signed with `options`, by its own instance of the servers' binary: the
 * seed request and the encoded body. */
async function chunkedUpload(options) {
  const { api } = await watched('server', 'wasm', 'producer');
  const signed = api.signChunked({ method: 'PUT', url: S3_URL }, { ...options, decodedLength: 20_000, chunkSize: 8192, checksum: 'crc32' });
  const encoder = signed.encoder();
  const frames = [...encoder.write(new Uint8Array(20_000).fill(2)), encoder.end()];
  const wire = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  frames.reduce((n, f) => (wire.set(f, n), n + f.length), 0);
  return { seed: { method: signed.method, url: signed.url, headers: signed.headers }, wire };
}

/** A signRequest result's fields, then the header names and values: the servers' binary
 * writes its headers its own way, which native-hash.js reads (`token`: the call's session token). */
function signedParts(binary, text, token) {
  if (binary !== 'server') return text.split('\0');
  const out = nodeCryptoCanonicalSha256.signed(text, token);
  const headers = out.pop();
  return out.concat(...Object.keys(headers).map((name) => [name, headers[name]]));
}

for (const binary of BINARIES) test(`every call's stack stays well inside the STACK_WIPE_BYTES zeroed after it (${binary})`, async () => {
  // The glue alone (no wiping), with the stack painted before each call.
  const glue = await import(`../../js/dist/gen/${binary}/glue.js?stack`);
  const wasm = glue.initSync({ module: WASM_BYTES[binary] });
  const top = wasm.__wbindgen_add_to_stack_pointer(0);
  const used = (run) => {
    new Uint8Array(wasm.memory.buffer, 0, top).fill(0xaa);
    try {
      run();
    } catch (error) {
      if (!error.code) throw error;
    }
    const stack = new Uint8Array(wasm.memory.buffer, 0, top);
    let low = 0;
    while (low < top && stack[low] === 0xaa) low++;
    return top - low;
  };
  // The fields of a call (js/src/protocol.js) by name, every other field ''.
  const call = (table, given, headers) => encode(table, table.map((name) => given[name] || ''), headers);
  const sign = (text, body) => {
    // The size-built binding: the fields, the body, and that it is given (src/bindings.rs).
    if (binary !== 'server') return glue.signRequest(text, body(), true);
    const input = new TextEncoder().encode(text);
    return glue.signRequest(input, input.length, body);
  };
  const fields = (url, secret, date = '20150830T123600Z', presign = false) => call(SIGN_REQUEST,
    { method: 'POST', url, accessKeyId: 'AKIDEXAMPLE', secretAccessKey: secret, sessionToken: 'token', datetime: date,
      presign: String(presign), expiresIn: presign ? '3600' : '', payload: 'body' },
    'content-type\0text/plain');
  const body = (length) => () => new Uint8Array(length);
  const url = 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets?a=b';
  let signed;
  const first = used(() => { signed = signedParts(binary, sign(fields(url, SECRET), body(5)), 'token'); });
  const verify = (lookup) => glue.verifyRequest(
    call(VERIFY_REQUEST, { method: 'POST', url: signed[at(SIGNED).url], now: '20150830T123600Z', region: 'us-east-1', service: 'execute-api' },
      signed.slice(SIGNED.length).join('\0')),
    new Uint8Array(5), lookup);
  const depths = {
    'the first sign': first,
    'sign, a key derived': used(() => sign(fields(url, 'fresh secret'), body(5000))),
    presign: used(() => sign(fields('https://b.s3.amazonaws.com/k', 'another', '20160101T000000Z', true), body(0))),
    signingKeyDerivation: used(() => glue.signingKeyDerivation(SECRET, '20150830', 'us-east-1', 'iam')),
    inferScope: used(() => glue.inferScope('bucket.s3.us-west-2.amazonaws.com')),
  };
  if (glue.verifyRequest) {
    depths.verify = used(() => verify(() => ({ secretAccessKey: SECRET, sessionToken: 'token' })));
    depths['verify whose lookup signs, a key derived'] = used(() => verify(() => {
      sign(fields(url, 'yet another', '20170101T000000Z'), body(5000));
      return { secretAccessKey: SECRET, sessionToken: 'token' };
    }));
  }
  console.log(JSON.stringify(depths));
  for (const [call, depth] of Object.entries(depths)) {
    assert.ok(depth > 0 && depth <= STACK_WIPE_BYTES / 2, `${call} used ${depth} bytes of stack (zeroed: ${STACK_WIPE_BYTES})`);
  }
});
