// The same suite (suite.mjs) in every JavaScript runtime the package targets, each on the
// build that runtime gets (sigv4-wasm with sigv4-wasm/verify), compared with the reference
// computed here in Node on the servers' build:
//
//   Node --no-expose-wasm (sigv4-wasm/js)   Deno   Bun   Hermes 0.12 (react-native build)
//   headless Chromium: the browser build (inlined wasm, or compiled from a URL by init()), and
//   sigv4-wasm/js without WebAssembly   workerd (Cloudflare Workers' runtime)
//
// Each runtime must pass every case, load the expected backend and compute outputs identical
// to the reference. Temporary files go to tests/js/.out/ (git-ignored).
// Run: node --test tests/js/runtimes.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { runAll } from './suite.mjs';
import { loadFixtures } from './fixtures.mjs';
import { freePort, startChild } from '../servers.mjs';
import { inlinedWasm, loadBuild } from './builds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(here, '.out', 'runtimes');
const require = createRequire(import.meta.url);
const bin = (name) => join(root, 'node_modules', '.bin', name);
const HERMES = join(root, 'node_modules', 'hermes-engine-cli', 'linux64-bin', 'hermes');
const RUN_SUITE = join(here, 'run-suite.mjs');
const SUITE = join(here, 'suite.mjs');
const FIXTURES = join(out, 'fixtures.json');

const timings = [];
let reference;

before(async () => {
  mkdirSync(out, { recursive: true });
  const fixtures = loadFixtures();
  writeFileSync(FIXTURES, JSON.stringify(fixtures));
  reference = runAll(await loadBuild('server'), fixtures);
  assert.equal(reference.backend, 'wasm', 'the in-process reference runs on the wasm backend');
  assert.deepEqual(reference.failed, [], 'the in-process reference passes every case');
  assert.ok(reference.passed > 100, `the reference ran the whole suite (${reference.passed} cases)`);
});

after(() => {
  const lines = timings.map(({ name, ms }) => `  ${name.padEnd(44)} ${(ms / 1000).toFixed(2).padStart(6)} s`);
  console.log(`runtime timings (wall clock, including bundling):\n${lines.join('\n')}`);
});

/** Times `fn` under `name` (also reported as a test diagnostic). */
async function timed(t, name, fn) {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const ms = performance.now() - start;
    timings.push({ name, ms });
    t.diagnostic(`${name}: ${(ms / 1000).toFixed(2)} s`);
  }
}

/** Runs a command to completion; rejects on a timeout, resolves with its exit code and output. */
function run(command, args, { env = {}, timeout = 90_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} timed out after ${timeout} ms\nstderr: ${stderr.slice(-2000)}`));
    }, timeout);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** The report a runner printed as its last stdout line; fails with the output when there is none. */
function reportFrom(what, { code, signal, stdout, stderr }) {
  const tail = `\n--- stdout (end) ---\n${stdout.slice(-1500)}\n--- stderr (end) ---\n${stderr.slice(-3000)}`;
  assert.equal(code, 0, `${what} exited with ${code}${signal ? ` (${signal})` : ''}${tail}`);
  const line = stdout.trim().split('\n').pop();
  try {
    return JSON.parse(line);
  } catch {
    assert.fail(`${what} printed no JSON report${tail}`);
  }
  return undefined;
}

/** The three assertions every runtime gets. */
function checkReport(what, report, backend) {
  assert.ok(report && typeof report === 'object' && report.outputs, `${what}: no report: ${JSON.stringify(report).slice(0, 500)}`);
  const failures = report.failed.map((f) => `  - ${f.name}\n      ${String(f.error).split('\n').join('\n      ')}`);
  assert.equal(report.failed.length, 0, `${what}: ${report.failed.length} case(s) failed:\n${failures.join('\n')}`);
  assert.equal(report.backend, backend, `${what}: backend`);
  const expected = reference.outputs;
  const names = new Set([...Object.keys(expected), ...Object.keys(report.outputs)]);
  const differing = [...names].filter((n) => report.outputs[n] !== expected[n]);
  const first = differing[0];
  assert.deepEqual(differing, [], `${what}: outputs differ from Node's wasm backend in ${differing.length} case(s)` +
    (first ? `; first, "${first}":\n  ${what}: ${JSON.stringify(report.outputs[first])}\n  reference: ${JSON.stringify(expected[first])}` : ''));
  assert.equal(report.passed, Object.keys(expected).length, `${what}: number of cases passed`);
}

/** esbuild, bundled in memory; returns the code and the inputs it bundled. */
async function bundle(options) {
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    ...options,
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

test('Node --no-expose-wasm: sigv4-wasm says to import sigv4-wasm/js, which runs the suite', async (t) => {
  // Node 20's own fetch (undici) compiles its HTTP parser at load with an eager promise that
  // rejects without WebAssembly; the suite's `typeof Headers` loads it, so that rejection is
  // unhandled and would end the process with code 1 after the report. Ignore exactly that one
  // (nodejs/undici#4337 makes the loading lazy); anything else still fails the run.
  const ignoreUndici = `process.on('unhandledRejection', (reason) => {
    if (reason instanceof ReferenceError && reason.message === 'WebAssembly is not defined' && /undici/.test(reason.stack)) return;
    throw reason;
  });`;
  const result = await timed(t, 'node --no-expose-wasm', () => run(process.execPath, [
    '--no-expose-wasm', `--import=data:text/javascript,${encodeURIComponent(ignoreUndici)}`,
    RUN_SUITE, FIXTURES, 'sigv4-wasm/js', join(root, 'js', 'dist', 'verify-js.mjs'), join(root, 'js', 'dist', 's3-js.mjs'),
  ]));
  checkReport('node --no-expose-wasm', reportFrom('node --no-expose-wasm', result), 'js');
  // The servers' build has no fallback: its error names the entry to import.
  const refused = reportFrom('node --no-expose-wasm, sigv4-wasm', await run(process.execPath, ['--no-expose-wasm', '--input-type=module', '-e',
    `const { sign } = await import('sigv4-wasm');
    try { sign({ url: 'https://sts.amazonaws.com/' }, { accessKeyId: 'A', secretAccessKey: 's' }); console.log('{}'); }
    catch (error) { console.log(JSON.stringify({ code: error.code, message: error.message })); }`]));
  assert.equal(refused.code, 'WEBASSEMBLY_UNAVAILABLE');
  assert.match(refused.message, /no WebAssembly.*Import 'sigv4-wasm\/js' instead/);
});

test('Deno: real wasm, the package resolved from node_modules', async (t) => {
  // Deno 2 resolves bare specifiers from node_modules when a package.json is present
  // (--node-modules-dir=manual says so explicitly: nothing is downloaded). run-suite.mjs
  // imports the entry dynamically, so besides the fixtures Deno needs read access to the
  // resolved module files (js/dist, through the node_modules/sigv4-wasm symlink).
  const result = await timed(t, 'deno', () => run(bin('deno'), [
    'run', '--node-modules-dir=manual', '--no-prompt',
    `--allow-read=${FIXTURES},${join(root, 'js', 'dist')}`,
    RUN_SUITE, FIXTURES,
  ], { env: { DENO_NO_UPDATE_CHECK: '1' } }));
  checkReport('deno', reportFrom('deno', result), 'wasm');
});

test('Bun: real wasm', async (t) => {
  const result = await timed(t, 'bun', () => run(bin('bun'), [RUN_SUITE, FIXTURES]));
  checkReport('bun', reportFrom('bun', result), 'wasm');
});

// Hermes 0.12: the package's react-native condition (dist/react-native.cjs, wasm2js, no wasm bytes),
// bundled with esbuild. The entry uses require() as Metro's CommonJS output does (and so that
// esbuild adds no interop helper of its own). Hermes 0.12 has no class syntax and gives `let`
// function scope: a closure created in a loop sees the last iteration's binding. Metro lowers
// both (@react-native/babel-preset applies @babel/plugin-transform-block-scoping to every
// file, node_modules included); here TypeScript's ES5 emit does the same lowering.
const hermes = {};
async function hermesBundle() {
  if (hermes.raw) return hermes;
  const entry = join(out, 'hermes-entry.js');
  writeFileSync(entry, [
    `import { runAll } from ${JSON.stringify(SUITE)};`,
    `import fixtures from ${JSON.stringify(FIXTURES)};`,
    `const s3 = require('sigv4-wasm/s3');`,
    `const verifier = require('sigv4-wasm/verify');`,
    `const api = Object.assign({}, require('sigv4-wasm'), { verify: verifier.verify, verifyChunked: verifier.verifyChunked, signChunked: s3.signChunked, presignPost: s3.presignPost });`,
    // Say so plainly when the exports are mixed up (see the unlowered test below).
    `const names = Object.keys(api).filter((name) => typeof api[name] === 'function');`,
    `const distinct = names.filter((name, i) => names.findIndex((other) => api[other] === api[name]) === i);`,
    `if (distinct.length !== names.length) throw new Error('require("sigv4-wasm") has ' + names.length +`,
    `  ' function exports but only ' + distinct.length + ' distinct functions; the same function as verify: ' + names.filter((n) => api[n] === api.verify).join(', '));`,
    `print(JSON.stringify(runAll(api, fixtures)));`,
  ].join('\n'));
  const { code, inputs } = await bundle({
    entryPoints: [entry],
    format: 'iife',
    platform: 'neutral',
    target: 'es2015',
    conditions: ['react-native'],
    mainFields: ['react-native', 'main'],
  });
  hermes.inputs = inputs;
  hermes.raw = code;
  hermes.rawFile = join(out, 'hermes-bundle.raw.js');
  writeFileSync(hermes.rawFile, code);
  const ts = require('typescript');
  const lowered = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES5, downlevelIteration: true, allowJs: true },
    reportDiagnostics: true,
  });
  assert.deepEqual(lowered.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], 'ES5 lowering');
  hermes.lowered = lowered.outputText;
  hermes.loweredFile = join(out, 'hermes-bundle.js');
  writeFileSync(hermes.loweredFile, hermes.lowered);
  return hermes;
}

test('Hermes 0.12: the react-native build (wasm2js, no wasm bytes)', async (t) => {
  const { inputs, raw, lowered, loweredFile } = await timed(t, 'hermes: esbuild bundle + ES5 lowering', hermesBundle);
  const fromPackage = inputs.filter((i) => i.startsWith('js/') || i.includes('node_modules/sigv4-wasm/')).sort();
  assert.deepEqual(fromPackage, ['js/dist/react-native.cjs', 'js/dist/s3-js.cjs', 'js/dist/verify-js.cjs'],
    `the react-native condition bundles dist/react-native.cjs, dist/s3-js.cjs and dist/verify-js.cjs only (inputs: ${inputs.join(', ')})`);
  assert.deepEqual(inlinedWasm(raw), [], 'the Hermes bundle inlines no wasm');
  assert.deepEqual(inlinedWasm(lowered), [], 'the lowered Hermes bundle inlines no wasm');
  t.diagnostic(`bundle: ${raw.length} bytes, lowered: ${lowered.length} bytes`);
  const result = await timed(t, 'hermes 0.12 (lowered bundle)', () => run(HERMES, [loweredFile]));
  checkReport('hermes', reportFrom('hermes', result), 'js');
});

// The package's CommonJS bundles load in Hermes 0.12 as they are, without Babel: no `class`
// (js/src/errors.js) and no loop-`let` closures (js/build.mjs rewrites esbuild's CommonJS
// export helper, which otherwise bound every export to the last one under Hermes 0.12's
// function-scoped `let`).
test('Hermes 0.12: dist/react-native.cjs runs without lowering', async (t) => {
  const { rawFile } = await hermesBundle();
  const result = await timed(t, 'hermes 0.12 (unlowered bundle)', () => run(HERMES, [rawFile]));
  checkReport('hermes (unlowered)', reportFrom('hermes (unlowered)', result), 'js');
});

test('Chromium: the browser build (inlined wasm, or compiled from a URL by init()); sigv4-wasm/js without WebAssembly', async (t) => {
  // One bundle per way a page imports the signer: the browser build, and sigv4-wasm/js. Its
  // imports have the worker's shape (below) on purpose: each runtime's entry reads whole.
  const bundles = {};
  for (const [name, signer] of [['bundle.js', 'sigv4-wasm'], ['bundle-js.js', 'sigv4-wasm/js']]) {
    const entry = join(out, `browser-entry-${name}`);
    writeFileSync(entry, [
      `import * as signer from '${signer}';`,
      `import { verify, verifyChunked } from 'sigv4-wasm/verify';`,
      `import { signChunked, presignPost } from 'sigv4-wasm/s3';`,
      `import { runAll } from ${JSON.stringify(SUITE)};`,
      `import fixtures from ${JSON.stringify(FIXTURES)};`,
      `const api = { ...signer, verify, verifyChunked, signChunked, presignPost };`,
      `(async () => {`,
      `  let report;`,
      `  try {`,
      `    // A page that hosts the .wasm separately compiles it (streaming) before the first signing.`,
      `    if (window.__sigv4InitFromUrl) await api.init(new URL('/sigv4-signer.wasm', location.href));`,
      `    // Without WebAssembly the browser build refuses, and says what to import instead.`,
      `    if (window.__sigv4Refused) {`,
      `      try { api.sign({ url: 'https://sts.amazonaws.com/' }, { accessKeyId: 'A', secretAccessKey: 's' }); report = {}; }`,
      `      catch (error) { report = { refused: { code: error.code, message: error.message } }; }`,
      `    } else report = runAll(api, fixtures);`,
      `  } catch (error) { report = { fatal: String((error && error.stack) || error) }; }`,
      `  report.typeofWebAssembly = typeof WebAssembly;`,
      `  window.__sigv4Report = report;`,
      `})();`,
    ].join('\n'));
    bundles[name] = await timed(t, `chromium: esbuild bundle (${signer})`, () => bundle({
      entryPoints: [entry], format: 'iife', platform: 'browser', target: 'es2019',
    }));
  }
  const inputs = bundles['bundle.js'].inputs;
  assert.ok(inputs.includes('js/dist/browser.mjs') && inputs.includes('js/dist/verify.mjs'),
    `the browser bundle uses dist/browser.mjs and dist/verify.mjs (inputs: ${inputs.join(', ')})`);
  assert.equal(inlinedWasm(bundles['bundle.js'].code).length, 3, 'the browser build inlines its wasm, verify the servers\' binary and s3 the uploads binary');
  assert.ok(bundles['bundle-js.js'].inputs.includes('js/dist/js.mjs'), 'sigv4-wasm/js is dist/js.mjs');

  const script = (name) => `<script src="/${name}"></script>`;
  const pages = {
    '/': `<!doctype html><meta charset="utf-8"><title>sigv4-wasm</title>${script('bundle.js')}`,
    '/init-url': '<!doctype html><meta charset="utf-8"><title>sigv4-wasm, init from a URL</title>' +
      `<script>window.__sigv4InitFromUrl = true;</script>${script('bundle.js')}`,
    '/no-wasm': '<!doctype html><meta charset="utf-8"><title>sigv4-wasm/js without WebAssembly</title>' +
      `<script>delete globalThis.WebAssembly;</script>${script('bundle-js.js')}`,
    '/no-wasm-refused': '<!doctype html><meta charset="utf-8"><title>the browser build without WebAssembly</title>' +
      `<script>delete globalThis.WebAssembly; window.__sigv4Refused = true;</script>${script('bundle.js')}`,
  };
  const wasmBytes = require('node:fs').readFileSync(join(root, 'js', 'dist', 'sigv4-signer.wasm'));
  let wasmFetches = 0;
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    if (path === '/sigv4-signer.wasm') {
      wasmFetches++;
      res.writeHead(200, { 'content-type': 'application/wasm' });
      res.end(wasmBytes);
    } else if (bundles[path.slice(1)]) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(bundles[path.slice(1)].code);
    } else if (pages[path]) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(pages[path]);
    } else {
      res.writeHead(404).end();
    }
  });
  let browser;
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const origin = `http://127.0.0.1:${server.address().port}`;
    const { launchChromium } = await import('../../scripts/chromium.mjs');
    browser = await timed(t, 'chromium: launch', launchChromium);
    for (const [path, backend, wasmGlobal] of [['/', 'wasm', 'object'], ['/init-url', 'wasm', 'object'], ['/no-wasm', 'js', 'undefined'], ['/no-wasm-refused', null, 'undefined']]) {
      const what = `chromium ${path}`;
      const report = await timed(t, `${what} (${backend})`, async () => {
        const page = await browser.newPage();
        const errors = [];
        page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
        page.on('console', (message) => { if (message.type() === 'error') errors.push(`console: ${message.text()}`); });
        try {
          await page.goto(origin + path);
          await page.waitForFunction(() => window.__sigv4Report !== undefined, null, { timeout: 60_000 })
            .catch((error) => assert.fail(`${what}: no report (${error.message})\n${errors.join('\n')}`));
          return await page.evaluate(() => window.__sigv4Report);
        } finally {
          await page.close();
        }
      });
      assert.equal(report.fatal, undefined, `${what}: the suite could not run: ${report.fatal}`);
      assert.equal(report.typeofWebAssembly, wasmGlobal, `${what}: typeof WebAssembly in the page`);
      if (!backend) {
        assert.equal(report.refused && report.refused.code, 'WEBASSEMBLY_UNAVAILABLE', `${what}: ${JSON.stringify(report)}`);
        assert.match(report.refused.message, /Import 'sigv4-wasm\/js' instead/);
        continue;
      }
      checkReport(what, report, backend);
      assert.equal(wasmFetches, path === '/' ? 0 : 1, `${what}: the .wasm was fetched only by init(url)`);
    }
  } finally {
    if (browser) await browser.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});


test('workerd: the workerd entry, with the .wasm imported as a module', async (t) => {
  const dir = join(out, 'workerd');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, [
    `import * as signer from 'sigv4-wasm';`,
    `import { verify, verifyChunked } from 'sigv4-wasm/verify';`,
    `import { signChunked, presignPost } from 'sigv4-wasm/s3';`,
    `import { runAll } from ${JSON.stringify(SUITE)};`,
    `import fixtures from ${JSON.stringify(FIXTURES)};`,
    `const api = { ...signer, verify, verifyChunked, signChunked, presignPost };`,
    `export default { fetch() { return new Response(JSON.stringify(runAll(api, fixtures)), { headers: { 'content-type': 'application/json' } }); } };`,
  ].join('\n'));
  const { code, inputs } = await bundle({
    entryPoints: [entry], format: 'esm', platform: 'neutral', conditions: ['workerd'], mainFields: ['module', 'main'],
    external: ['./sigv4-server.wasm'],
  });
  assert.ok(inputs.includes('js/dist/workerd.mjs'), `the workerd condition picks dist/workerd.mjs: ${inputs.join(', ')}`);
  assert.deepEqual(inlinedWasm(code), [], 'the worker imports the .wasm instead of inlining it');
  writeFileSync(join(dir, 'worker.mjs'), code);
  writeFileSync(join(dir, 'sigv4-server.wasm'), require('node:fs').readFileSync(join(root, 'js', 'dist', 'sigv4-server.wasm')));
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), [
    'using Workerd = import "/workerd/workerd.capnp";',
    'const config :Workerd.Config = (',
    '  services = [ (name = "main", worker = .worker) ],',
    `  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],`,
    ');',
    'const worker :Workerd.Worker = (',
    '  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs"), (name = "sigv4-server.wasm", wasm = embed "sigv4-server.wasm") ],',
    '  compatibilityDate = "2024-09-23",',
    ');',
  ].join('\n'));
  const server = await startChild(bin('workerd'), ['serve', join(dir, 'config.capnp')], { port, cwd: dir });
  try {
    const report = await timed(t, 'workerd', async () => (await fetch(`http://127.0.0.1:${port}/`)).json());
    checkReport('workerd', report, 'wasm');
  } finally {
    await server.stop();
  }
});
