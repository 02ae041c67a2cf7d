// An uncaught SigV4Error, as a user's Node process prints it: short (Node prints the source
// line the error was thrown from, which in a one-line minified bundle was ~265 KB) and named
// SigV4Error (minified, the class printed as 'PA [SigV4Error]' or 'C2'). With
// --enable-source-maps the stack points into the package's own sources (dist/*.map).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const LIMIT = 2048;

// A request without a host: MISSING_HOST, thrown from the package's JavaScript, uncaught.
const call = "sign({ url: '/no-host' }, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'x' })";
const programs = {
  'sigv4-wasm (import)': ['--input-type=module', '-e', `import { sign } from 'sigv4-wasm'; ${call};`],
  'sigv4-wasm (require)': ['--input-type=commonjs', '-e', `const { sign } = require('sigv4-wasm'); ${call};`],
  'sigv4-wasm/js (import)': ['--input-type=module', '-e', `import { sign } from 'sigv4-wasm/js'; ${call};`],
  'sigv4-wasm/js (require)': ['--input-type=commonjs', '-e', `const { sign } = require('sigv4-wasm/js'); ${call};`],
  'sigv4-wasm/verify (import)': ['--input-type=module', '-e',
    "import { verify } from 'sigv4-wasm/verify'; verify({ url: '/p', headers: { host: 'h' } }, { region: 'r', service: 's', lookup: () => null });"],
  'sigv4-wasm/verify (require)': ['--input-type=commonjs', '-e',
    "const { verify } = require('sigv4-wasm/verify'); verify({ url: '/p', headers: { host: 'h' } }, { region: 'r', service: 's', lookup: () => null });"],
};

for (const [label, args] of Object.entries(programs)) {
  for (const sourceMaps of [false, true]) {
    test(`an uncaught SigV4Error from ${label}${sourceMaps ? ' with --enable-source-maps' : ''} prints under ${LIMIT} bytes and names SigV4Error`, (t) => {
      const run = spawnSync(process.execPath, [...(sourceMaps ? ['--enable-source-maps'] : []), ...args], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 1, `the program fails (stderr: ${run.stderr.slice(0, 500)})`);
      const printed = Buffer.byteLength(run.stderr);
      t.diagnostic(`stderr: ${printed} bytes`);
      assert.ok(printed < LIMIT, `stderr is ${printed} bytes:\n${run.stderr.slice(0, 4000)}`);
      assert.match(run.stderr, /^SigV4Error: /m, `the error is printed as a SigV4Error:\n${run.stderr}`);
      assert.doesNotMatch(run.stderr, /\[SigV4Error\]/, 'the class prints under its own name, not a minified one');
      assert.match(run.stderr, /code: '(MISSING_HOST|MISSING_AUTHENTICATION)'/);
      if (sourceMaps) assert.match(run.stderr, /js\/src\/[\w/-]+\.js:\d+:\d+/, `the stack names the package's sources:\n${run.stderr}`);
    });
  }
}

// Each build in a process of its own: the first build loaded registers the realm's one
// SigV4Error class (js/src/errors.js), which the others then share.
for (const build of ['browser.mjs', 'browser.cjs', 'react-native.cjs', 'verify.mjs', 'verify-js.cjs', 'js.mjs', 'server.cjs']) {
  test(`${build} names its class SigV4Error, minified or not`, () => {
    const load = build.endsWith('.mjs') ? `await import('./js/dist/${build}')` : `require('./js/dist/${build}')`;
    const program = `const { inspect } = require('node:util'); (async () => { const api = ${load};
      const error = new api.SigV4Error('INVALID_URL', 'm');
      console.log(JSON.stringify([api.SigV4Error.name, inspect(error).split('\\n')[0]])); })();`;
    const run = spawnSync(process.execPath, ['--input-type=commonjs', '-e', program], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), ['SigV4Error', 'SigV4Error: m']);
  });
}
