// sigv4-wasm/cognito outside Node (issue 13): SRP vectors (tests/vectors/cognito/srp.json)
// in Hermes 0.12 on the react-native build (dist/cognito-js.cjs: the cognito binary's wasm2js
// translation, no wasm bytes), and USER_SRP_AUTH from a page in headless Chromium against the
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

// Hermes interprets the translation, and the translation emulates wasm's 64-bit multiplications
// (num-bigint's digit products) with 32-bit halves: each 3072-bit exponentiation takes seconds
// (the diagnostic prints the time). Two vectors, A (SRP_A whole) and B1 (B - k g^x negative),
// keep the run under a minute on a shared machine; Node and Chromium run all five.
const HERMES_VECTORS = VECTORS.srp.slice(0, 2);

test('Hermes 0.12: the react-native build of sigv4-wasm/cognito (wasm2js, no wasm bytes) computes the notes\' SRP vectors', async (t) => {
  const entry = join(out, 'hermes-entry.js');
  writeFileSync(entry, [
    "const cognito = require('sigv4-wasm/cognito');",
    VECTOR_RUNNER,
    `const vectors = ${JSON.stringify({ srp: HERMES_VECTORS })};`,
    'const started = Date.now();',
    'const results = runVectors(cognito, vectors);',
    'const ms = Date.now() - started;',
    // Hermes has no crypto.getRandomValues: the randomness must be passed, and the error says so.
    'let noRandom;',
    'try { cognito.pkce(); } catch (error) { noRandom = error.message; }',
    'const pkce = cognito.pkce(new Uint8Array(32));',
    "print(JSON.stringify({ backend: cognito.getBackend(), results: results, ms: ms, noRandom: noRandom, pkce: pkce, url: cognito.authorizeUrl({ domain: 'a.example', clientId: 'c', redirectUri: 'r', state: 's', codeChallenge: pkce.codeChallenge }) }));",
  ].join('\n'));
  const { code, inputs } = await bundle({
    entryPoints: [entry], format: 'iife', platform: 'neutral', target: 'es2015', conditions: ['react-native'], mainFields: ['react-native', 'main'],
  });
  const fromPackage = inputs.filter((i) => i.startsWith('js/') || i.includes('node_modules/sigv4-wasm/')).sort();
  assert.deepEqual(fromPackage, ['js/dist/cognito-js.cjs'], `the react-native condition bundles dist/cognito-js.cjs only (inputs: ${inputs.join(', ')})`);
  assert.deepEqual(inlinedWasm(code), [], 'no wasm bytes');
  const ts = require('typescript');
  const lowered = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES5, downlevelIteration: true, allowJs: true } }).outputText;
  const file = join(out, 'hermes-bundle.js');
  writeFileSync(file, lowered);
  const run = spawnSync(HERMES, [file], { encoding: 'utf8', timeout: 400_000 });
  assert.equal(run.status, 0, `hermes exited ${run.status}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-3000)}`);
  const report = JSON.parse(run.stdout.trim().split('\n').pop());
  assert.equal(report.backend, 'js');
  checkVectors('hermes', report.results, HERMES_VECTORS);
  assert.match(report.noRandom, /no crypto\.getRandomValues: pass the random bytes yourself .*pkce\(bytes\)/);
  assert.deepEqual(report.pkce, nodeCognito.pkce(new Uint8Array(32)), 'the same pair as Node\'s build');
  assert.match(report.url, /^https:\/\/a\.example\/oauth2\/authorize\?response_type=code&client_id=c&redirect_uri=r&state=s&code_challenge=[\w-]{43}&code_challenge_method=S256$/);
  t.diagnostic(`hermes: ${HERMES_VECTORS.length} vectors (SRP_A and the password claim: a few 3072-bit exponentiations each) in ${report.ms} ms; bundle ${code.length} bytes`);
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
