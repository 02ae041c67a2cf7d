// Issue 17 item 6: no silent fallback. The one build with a fallback, sigv4-wasm/verify outside
// servers (dist/verify.*), runs its JavaScript translation where WebAssembly is missing or
// refused; it says so once per process with console.warn (why, and what to do), and
// fallbackReason() tells the same. The builds without a fallback throw
// WEBASSEMBLY_UNAVAILABLE, and in workerd resolved without its condition both name that
// condition.
// Run: node --test tests/js/fallback.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startChild } from '../servers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dist = join(root, 'js', 'dist');
const require = createRequire(import.meta.url);

/** A request verify refuses at once (it carries no signature), to make it load its backend. */
const UNSIGNED = `[{ url: '/', headers: { host: 'h' } }, { region: 'us-east-1', service: 'execute-api', lookup: () => null, now: '20150830T123600Z' }]`;

/** Runs `script` (ESM) in a new Node with `flags`; returns its JSON output and its stderr. */
function node(flags, script) {
  const result = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  return { output: JSON.parse(result.stdout), stderr: result.stderr };
}

/** What a script prints about verify from `entry`: its backend, its reason, and the code of the error it threw. */
const probe = (name) => `({ backend: ${name}.getBackend(), reason: ${name}.fallbackReason(), code: (() => { try { ${name}.verify(...${UNSIGNED}); } catch (e) { return e.code; } })() })`;

test('without WebAssembly, sigv4-wasm/verify warns once per process and says why', () => {
  const { output, stderr } = node(['--no-expose-wasm'], `
    import { createRequire } from 'node:module';
    const esm = await import(${JSON.stringify(join(dist, 'verify.mjs'))});
    const cjs = createRequire(import.meta.url)(${JSON.stringify(join(dist, 'verify.cjs'))});
    const first = ${probe('esm')};
    for (let i = 0; i < 3; i++) ${probe('esm')};
    console.log(JSON.stringify({ first, cjs: ${probe('cjs')} }));`);
  for (const copy of [output.first, output.cjs]) {
    assert.deepEqual(copy, { backend: 'js', reason: 'this runtime has no WebAssembly', code: 'MISSING_AUTHENTICATION' });
  }
  // Two copies (the ESM and the CommonJS bundle), five calls: one warning.
  const warnings = stderr.split('\n').filter((line) => line.startsWith('sigv4-wasm/verify:'));
  assert.equal(warnings.length, 1, stderr);
  assert.match(warnings[0], /^sigv4-wasm\/verify: this runtime has no WebAssembly; running its JavaScript translation instead.*'wasm-unsafe-eval'/);
});

test('with WebAssembly, sigv4-wasm/verify runs it, without a word', () => {
  const { output, stderr } = node([], `
    const esm = await import(${JSON.stringify(join(dist, 'verify.mjs'))});
    console.log(JSON.stringify(${probe('esm')}));`);
  assert.deepEqual(output, { backend: 'wasm', code: 'MISSING_AUTHENTICATION' }); // (JSON drops the reason: undefined)
  assert.equal(stderr, '');
  // The servers' verify never falls back (its signer throws instead): no reason either.
  assert.equal(require('sigv4-wasm/verify').fallbackReason(), undefined);
});

test('workerd without its export condition: the signer says to add it, verify warns and falls back', async () => {
  const dir = join(here, '.out', 'fallback-workerd');
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, `
    import { sign } from 'sigv4-wasm';
    import * as verifier from 'sigv4-wasm/verify';
    export default { fetch() {
      const warnings = [];
      console.warn = (...args) => warnings.push(args.join(' '));
      let signError;
      try { sign({ url: 'https://sts.amazonaws.com/' }, { accessKeyId: 'A', secretAccessKey: 's' }); } catch (e) { signError = { code: e.code, message: e.message }; }
      const verify = ${probe('verifier')};
      return Response.json({ signError, verify, warnings });
    } };`);
  // What a bundler without the workerd condition picks: the browser's builds.
  const esbuild = require('esbuild');
  const built = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'neutral',
    mainFields: ['module', 'main'], metafile: true, logLevel: 'silent', absWorkingDir: root });
  const inputs = Object.keys(built.metafile.inputs);
  assert.ok(inputs.includes('js/dist/browser.mjs') && inputs.includes('js/dist/verify.mjs'), inputs.join(', '));
  writeFileSync(join(dir, 'worker.mjs'), built.outputFiles[0].text);
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), [
    'using Workerd = import "/workerd/workerd.capnp";',
    'const config :Workerd.Config = (',
    '  services = [ (name = "main", worker = .worker) ],',
    `  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],`,
    ');',
    'const worker :Workerd.Worker = (',
    '  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],',
    '  compatibilityDate = "2024-09-23",',
    ');',
  ].join('\n'));
  const server = await startChild(join(root, 'node_modules', '.bin', 'workerd'), ['serve', join(dir, 'config.capnp')], { port, cwd: dir });
  try {
    const report = await (await fetch(`http://127.0.0.1:${port}/`)).json();
    assert.equal(report.signError.code, 'WEBASSEMBLY_UNAVAILABLE');
    assert.match(report.signError.message, /refused to compile WebAssembly.*Import 'sigv4-wasm\/js' instead.*'workerd' export condition/);
    assert.equal(report.verify.backend, 'js');
    assert.equal(report.verify.code, 'MISSING_AUTHENTICATION');
    assert.match(report.verify.reason, /^this runtime refused to compile WebAssembly/);
    assert.equal(report.warnings.length, 1, report.warnings.join('\n'));
    assert.match(report.warnings[0], /^sigv4-wasm\/verify: this runtime refused to compile WebAssembly.*'workerd' export condition/);
  } finally {
    await server.stop();
  }
});
