// sigv4-wasm/cognito outside Node (issue 13): SRP vectors (tests/vectors/cognito/srp.json)
// in Hermes 0.12 on the react-native build (dist/cognito-js.cjs: the cognito binary's wasm2js
// translation, no wasm bytes; SRP's exponentiations BigInt's, a caller's async modPow, or
// without BigInt the translation's), and USER_SRP_AUTH from a page in headless Chromium against the
// stub Cognito (tests/js/cognito-stub.mjs, which verifies the proof), on the browser build's
// inlined wasm and, with WebAssembly deleted, on its translation.
//
//   node --test tests/js/cognito-runtimes.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nodeCognito from 'sigv4-wasm/cognito';
import { inlinedWasm } from './builds.mjs';
import { CLIENT_ID, CLIENT_SECRET, POOL_ID, USERS, VECTORS, startStub, stopStub } from './cognito-stub.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, '.out', 'cognito-runtimes');
const require = createRequire(import.meta.url);
const HERMES = join(root, 'node_modules', 'hermes-engine-cli', 'linux64-bin', 'hermes');
let stubUrl;

before(async () => {
  mkdirSync(out, { recursive: true });
  stubUrl = await startStub();
});
after(stopStub);

async function bundle(options) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({ bundle: true, write: false, metafile: true, logLevel: 'silent', absWorkingDir: root, ...options });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

// What both runtimes compute: each vector's SRP_A and PASSWORD_CLAIM_SIGNATURE, with no Buffer.
const VECTOR_RUNNER = `
function hexBytes(hex) {
  if (hex.length % 2) hex = '0' + hex;
  var bytes = new Uint8Array(hex.length / 2);
  for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
  return bytes;
}
function runVectors(cognito, vectors) {
  return vectors.srp.map(function (v) {
    var secret = hexBytes(v.a);
    var claim = cognito.passwordClaim(secret, { userPoolId: v.userPoolId, password: v.password, timestamp: v.timestamp,
      challengeParameters: { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock } });
    return { name: v.name, srpA: cognito.srpA(secret), claim: claim };
  });
}
`;

/** Each vector's answer checked against the notes' values. */
function checkVectors(what, results, vectors = VECTORS.srp) {
  assert.equal(results.length, vectors.length, what);
  vectors.forEach((v, i) => {
    const r = results[i];
    if (v.srpA) assert.equal(r.srpA, v.srpA, `${what}: ${v.name} SRP_A`);
    if (v.srpAPrefix) assert.ok(r.srpA.startsWith(v.srpAPrefix), `${what}: ${v.name} SRP_A prefix`);
    assert.deepEqual(r.claim, { signature: v.signature }, `${what}: ${v.name} signature`);
  });
}

// In Hermes the react-native build exponentiates with BigInt (js/src/modpow.js): all five
// vectors take a few seconds (each vector's password claim recomputes g^a: srpA is not passed).
// Without BigInt it falls back to the translation's num-bigint, which emulates wasm's 64-bit
// multiplications with 32-bit halves and takes seconds per exponentiation: vector A alone there
// (a 32-bit secret exponent). A caller's async modPow (Amplify's computeModPow shape) runs the
// same state machine through Promises, counted.
const HERMES_RUNNER = `
var report = { backend: cognito.getBackend(), bigint: typeof BigInt === 'function' };
var started = Date.now();
report.results = runVectors(cognito, vectors);
report.ms = Date.now() - started;
`;

async function runInHermes(name, lines) {
  const entry = join(out, `${name}-entry.js`);
  writeFileSync(entry, lines.join('\n'));
  const { code, inputs } = await bundle({
    entryPoints: [entry], format: 'iife', platform: 'neutral', target: 'es2015', conditions: ['react-native'], mainFields: ['react-native', 'main'],
  });
  const fromPackage = inputs.filter((i) => i.startsWith('js/') || i.includes('node_modules/sigv4-wasm/')).sort();
  assert.deepEqual(fromPackage, ['js/dist/cognito-js.cjs'], `the react-native condition bundles dist/cognito-js.cjs only (inputs: ${inputs.join(', ')})`);
  assert.deepEqual(inlinedWasm(code), [], 'no wasm bytes');
  const ts = require('typescript');
  const lowered = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES5, downlevelIteration: true, allowJs: true } }).outputText;
  const file = join(out, `${name}-bundle.js`);
  writeFileSync(file, lowered);
  const run = spawnSync(HERMES, [file], { encoding: 'utf8', timeout: 400_000 });
  assert.equal(run.status, 0, `hermes exited ${run.status}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-3000)}`);
  return { report: JSON.parse(run.stdout.trim().split('\n').pop()), bytes: code.length };
}

test('Hermes 0.12: the react-native build of sigv4-wasm/cognito (wasm2js, no wasm bytes) computes the notes\' SRP vectors with BigInt', async (t) => {
  const { report, bytes } = await runInHermes('hermes', [
    "const cognito = require('sigv4-wasm/cognito');",
    VECTOR_RUNNER,
    `const vectors = ${JSON.stringify({ srp: VECTORS.srp })};`,
    HERMES_RUNNER,
    // Hermes has no crypto.getRandomValues: the randomness must be passed, and the error says so.
    'try { cognito.pkce(); } catch (error) { report.noRandom = error.message; }',
    'report.pkce = cognito.pkce(new Uint8Array(32));',
    "report.url = cognito.authorizeUrl({ domain: 'a.example', clientId: 'c', redirectUri: 'r', state: 's', codeChallenge: report.pkce.codeChallenge });",
    // One sign-in's math as signInWithSrp does it: srpA once, carried to the claim.
    'var v = vectors.srp[1]; var secret = hexBytes(v.a); var t0 = Date.now();',
    'var a = cognito.srpA(secret);',
    'report.signIn = { signature: cognito.passwordClaim(secret, { userPoolId: v.userPoolId, password: v.password, timestamp: v.timestamp, srpA: a,',
    '  challengeParameters: { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock } }).signature, ms: Date.now() - t0 };',
    'print(JSON.stringify(report));',
  ]);
  assert.equal(report.backend, 'js');
  assert.equal(report.bigint, true);
  checkVectors('hermes', report.results);
  assert.equal(report.signIn.signature, VECTORS.srp[1].signature);
  assert.match(report.noRandom, /no crypto\.getRandomValues: pass the random bytes yourself .*pkce\(bytes\)/);
  assert.deepEqual(report.pkce, nodeCognito.pkce(new Uint8Array(32)), 'the same pair as Node\'s build');
  assert.match(report.url, /^https:\/\/a\.example\/oauth2\/authorize\?response_type=code&client_id=c&redirect_uri=r&state=s&code_challenge=[\w-]{43}&code_challenge_method=S256$/);
  t.diagnostic(`hermes (BigInt modPow): ${VECTORS.srp.length} vectors in ${report.ms} ms; one sign-in's math (srpA + passwordClaim, 3 exponentiations) ${report.signIn.ms} ms; bundle ${bytes} bytes`);
});

test('Hermes 0.12: a caller\'s async modPow (computeModPow\'s shape) gives the vectors, three calls per sign-in; a wrong answer is INVALID_SRP_PARAMETER', async (t) => {
  const { report } = await runInHermes('hermes-async', [
    "const cognito = require('sigv4-wasm/cognito');",
    `const vectors = ${JSON.stringify({ srp: VECTORS.srp.slice(0, 2) })};`,
    VECTOR_RUNNER,
    // The caller's exponentiation: square-and-multiply over BigInt, answering through a Promise.
    'var calls = [];',
    'function computeModPow(r) {',
    "  calls.push(r.base);",
    "  var m = BigInt('0x' + r.divisor), b = BigInt('0x' + r.base) % m, e = BigInt('0x' + r.exponent), one = BigInt(1), zero = BigInt(0), x = one;",
    '  for (; e > zero; e = e >> one, b = b * b % m) if ((e & one) === one) x = x * b % m;',
    "  return Promise.resolve(x.toString(16));",
    '}',
    'var report = { results: [] };',
    'var chain = Promise.resolve();',
    'vectors.srp.forEach(function (v) {',
    '  var secret = hexBytes(v.a);',
    '  chain = chain.then(function () { return cognito.srpA(secret, { modPow: computeModPow }); }).then(function (a) {',
    '    return cognito.passwordClaim(secret, { userPoolId: v.userPoolId, password: v.password, timestamp: v.timestamp, srpA: a, modPow: computeModPow,',
    '      challengeParameters: { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock } })',
    '      .then(function (claim) { report.results.push({ name: v.name, srpA: a, claim: claim }); });',
    '  });',
    '});',
    'chain.then(function () {',
    '  report.calls = calls;',
    "  return cognito.srpA(hexBytes('01'), { modPow: function () { return Promise.resolve('0'); } });",
    '}).then(function () { report.wrong = \'accepted\'; }, function (error) { report.wrong = { code: error.code, message: error.message }; })',
    '  .then(function () { print(JSON.stringify(report)); });',
  ]);
  checkVectors('hermes async modPow', report.results, VECTORS.srp.slice(0, 2));
  assert.deepEqual(report.calls.length, 6, 'g^a, g^x, S per vector');
  assert.deepEqual([report.calls[0], report.calls[1], report.calls[3], report.calls[4]], ['2', '2', '2', '2']);
  assert.equal(report.wrong.code, 'INVALID_SRP_PARAMETER');
  assert.match(report.wrong.message, /modPow answer 1 is not base\^exponent mod N/);
  t.diagnostic('hermes: async modPow, 2 vectors, 6 calls');
});

test('Hermes 0.12 without BigInt: the translation\'s num-bigint, as before (vector A)', async (t) => {
  const { report } = await runInHermes('hermes-no-bigint', [
    'globalThis.BigInt = undefined;',
    "const cognito = require('sigv4-wasm/cognito');",
    VECTOR_RUNNER,
    `const vectors = ${JSON.stringify({ srp: VECTORS.srp.slice(0, 1) })};`,
    HERMES_RUNNER,
    'print(JSON.stringify(report));',
  ]);
  assert.equal(report.bigint, false);
  checkVectors('hermes without BigInt', report.results, VECTORS.srp.slice(0, 1));
  t.diagnostic(`hermes without BigInt (translation's num-bigint): vector A in ${report.ms} ms`);
});

test('Chromium: USER_SRP_AUTH from a page against the stub, on the inlined wasm and on the translation without WebAssembly', async (t) => {
  const entry = join(out, 'browser-entry.js');
  const alice = USERS['alice@example.com'];
  writeFileSync(entry, [
    "import * as cognito from 'sigv4-wasm/cognito';",
    VECTOR_RUNNER,
    `const vectors = ${JSON.stringify({ srp: VECTORS.srp })};`,
    '(async () => {',
    '  const report = {};',
    '  try {',
    `    const pool = { userPoolId: ${JSON.stringify(POOL_ID)}, clientId: ${JSON.stringify(CLIENT_ID)}, clientSecret: ${JSON.stringify(CLIENT_SECRET)}, endpoint: window.__stub + '/idp' };`,
    '    const started = performance.now();',
    `    const answer = await cognito.signInWithSrp({ ...pool, username: 'alice@example.com', password: ${JSON.stringify(alice.password)} });`,
    '    report.ms = Math.round(performance.now() - started);',
    '    report.sub = cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload.sub;',
    "    try { await cognito.signInWithSrp({ ...pool, username: 'alice@example.com', password: 'wrong' }); } catch (error) { report.wrong = { code: error.code, cognitoCode: error.cognitoCode }; }",
    '    report.vectors = runVectors(cognito, vectors);',
    // A caller's async modPow over BigInt (computeModPow's shape), counted: g^a once.
    '    const calls = [];',
    "    const modPow = async ({ base, exponent, divisor }) => { calls.push(base); const m = BigInt('0x' + divisor); let b = BigInt('0x' + base) % m, e = BigInt('0x' + exponent), x = 1n; for (; e > 0n; e >>= 1n, b = b * b % m) if (e & 1n) x = x * b % m; return x.toString(16); };",
    `    const viaModPow = await cognito.signInWithSrp({ ...pool, username: 'alice@example.com', password: ${JSON.stringify(alice.password)}, modPow });`,
    '    report.modPow = { sub: cognito.decodeJwt(viaModPow.AuthenticationResult.IdToken).payload.sub, calls: calls.length };',
    '    report.backend = cognito.getBackend();',
    '  } catch (error) { report.fatal = String((error && error.stack) || error); }',
    '  window.__report = report;',
    '})();',
  ].join('\n'));
  const { code, inputs } = await bundle({ entryPoints: [entry], format: 'iife', platform: 'browser', target: 'es2019' });
  assert.ok(inputs.includes('js/dist/cognito.mjs'), `the browser bundle uses dist/cognito.mjs (inputs: ${inputs.join(', ')})`);
  assert.equal(inlinedWasm(code).length, 1, 'one binary inlined: the cognito binary');
  const pages = {
    '/': `<!doctype html><meta charset="utf-8"><script>window.__stub = ${JSON.stringify(stubUrl)};</script><script src="/bundle.js"></script>`,
    '/no-wasm': `<!doctype html><meta charset="utf-8"><script>delete globalThis.WebAssembly; window.__stub = ${JSON.stringify(stubUrl)};</script><script src="/bundle.js"></script>`,
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(code);
    else if (pages[path]) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pages[path]);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const { launchChromium } = await import('../../scripts/chromium.mjs');
  const browser = await launchChromium();
  try {
    for (const [path, backend] of [['/', 'wasm'], ['/no-wasm', 'js']]) {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      try {
        await page.goto(origin + path);
        await page.waitForFunction(() => window.__report !== undefined, null, { timeout: 120_000 });
        const report = await page.evaluate(() => window.__report);
        assert.equal(report.fatal, undefined, `${path}: ${report.fatal}\n${errors.join('\n')}`);
        assert.equal(report.backend, backend, path);
        assert.equal(report.sub, alice.internal, `${path}: signed in, the stub having verified the proof`);
        assert.deepEqual(report.wrong, { code: 'COGNITO_ERROR', cognitoCode: 'NotAuthorizedException' }, `${path}: a wrong password`);
        checkVectors(`chromium ${path}`, report.vectors);
        assert.deepEqual(report.modPow, { sub: alice.internal, calls: 3 }, `${path}: signed in with a caller's async modPow, g^a once`);
        t.diagnostic(`chromium ${path} (${backend}): USER_SRP_AUTH in ${report.ms} ms`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
