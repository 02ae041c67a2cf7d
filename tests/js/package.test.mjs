// The suite in Node through the package's exports map, once per backend, plus packaging
// checks: ESM and CommonJS entries, the subpath exports, identical output across backends.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { buildCases } from './suite.mjs';
import { loadFixtures } from './fixtures.mjs';

const fixtures = loadFixtures();
const require = createRequire(import.meta.url);
const outputs = {};

for (const [label, entry, backend] of [['wasm', 'sigv4-wasm', 'wasm'], ['wasm2js', 'sigv4-wasm/js', 'js']]) {
  const api = await import(entry);
  outputs[label] = {};
  describe(`${entry} (${label})`, () => {
    test('loads the expected backend', () => assert.equal(api.getBackend(), backend));
    const cases = buildCases(api, fixtures);
    for (const name of Object.keys(cases)) {
      test(name, () => {
        outputs[label][name] = cases[name]();
      });
    }
  });
}

describe('packaging', () => {
  test('every backend computes identical output', () => {
    const expected = Object.keys(buildCases({}, fixtures)).length;
    assert.equal(Object.keys(outputs.wasm).length, expected, 'every case ran on wasm');
    assert.equal(Object.keys(outputs.wasm2js).length, expected, 'every case ran on wasm2js');
    assert.deepEqual(outputs.wasm2js, outputs.wasm);
  });
  test('require() gives the same API as import', async () => {
    const cjs = require('sigv4-wasm');
    const esm = await import('sigv4-wasm');
    for (const name of ['sign', 'presign', 'verify', 'signingKeyDerivation', 'inferScope', 'AwsClient', 'SigV4Error', 'init', 'getBackend']) {
      assert.equal(typeof cjs[name], 'function', `require: ${name}`);
      assert.equal(typeof esm[name], 'function', `import: ${name}`);
    }
    const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', datetime: '20150830T123600Z' };
    const url = 'https://abc.execute-api.us-east-1.amazonaws.com/prod';
    assert.equal(cjs.sign({ url }, options).signature, esm.sign({ url }, options).signature);
    assert.equal(require('sigv4-wasm/js').getBackend(), 'js');
    assert.equal(require('sigv4-wasm/wasm').getBackend(), 'wasm');
  });
  test('in Node, bodies from 1 KiB on are hashed by node:crypto unless nativeHash is false', async () => {
    const { sign } = await import('sigv4-wasm');
    const crypto = require('node:crypto'); // the object process.getBuiltinModule returns
    const original = crypto.createHash;
    const hashed = [];
    crypto.createHash = (algorithm) => (hashed.push(algorithm), original(algorithm));
    try {
      const request = (size) => ({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', body: new Uint8Array(size).fill(1) });
      const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', datetime: '20150830T123600Z' };
      const native = sign(request(1024), options);
      assert.deepEqual(hashed, ['sha256']);
      assert.equal(native.payloadHash, original('sha256').update(request(1024).body).digest('hex'));
      assert.equal(sign(request(1024), { ...options, nativeHash: false }).signature, native.signature);
      sign(request(1023), options);
      sign(request(4096), { ...options, unsignedPayload: true });
      assert.deepEqual(hashed, ['sha256'], 'small, unhashed and core-hashed bodies do not call node:crypto');
    } finally {
      crypto.createHash = original;
    }
  });
  test('the .wasm file is exported and is the inlined binary', async () => {
    const bytes = readFileSync(require.resolve('sigv4-wasm/sigv4_bg.wasm'));
    assert.ok(WebAssembly.validate(bytes));
    // Every bundle that inlines the binary carries exactly these bytes (a wasm module's base64 starts "AGFzbQ").
    for (const bundle of ['index.mjs', 'index.cjs', 'wasm.mjs', 'wasm.cjs']) {
      const inlined = readFileSync(new URL(`../../js/dist/${bundle}`, import.meta.url), 'utf8').match(/"(AGFzbQ[A-Za-z0-9+/=]+)"/g);
      assert.equal(inlined && inlined.length, 1, `${bundle} inlines one binary`);
      assert.ok(Buffer.from(inlined[0].slice(1, -1), 'base64').equals(bytes), `${bundle} inlines the exported .wasm`);
    }
    const { init, sign } = await import('sigv4-wasm/wasm');
    await init(bytes); // already loaded from the inlined copy: resolves without reloading
    assert.equal(sign({ url: 'https://sts.amazonaws.com/' }, { accessKeyId: 'A', secretAccessKey: 's', datetime: '20150830T123600Z' }).service, 'sts');
  });
  test('sizes measured by the build do not grow past the ceiling (js/size-ceiling.json); the gap to the budget is reported', (t) => {
    const sizes = JSON.parse(readFileSync(new URL('../../js/dist/sizes.json', import.meta.url), 'utf8'));
    const budget = JSON.parse(readFileSync(new URL('../../js/size-budget.json', import.meta.url), 'utf8'));
    const ceiling = JSON.parse(readFileSync(new URL('../../js/size-ceiling.json', import.meta.url), 'utf8'));
    // The budget is not met yet (issue 12); the ceiling is what the build measures now, so any
    // growth fails here until a commit raises the ceiling and says why.
    for (const name of Object.keys(budget)) {
      assert.ok(sizes[name] <= ceiling[name], `${name} grew to ${sizes[name]} bytes, past its ceiling of ${ceiling[name]}: shrink it, or raise js/size-ceiling.json and say why`);
      t.diagnostic(`${name}: ${sizes[name]} bytes; ceiling ${ceiling[name]}; budget ${budget[name]}${sizes[name] > budget[name] ? ` (${sizes[name] - budget[name]} over)` : ''}`);
    }
  });
  test('package.json: types first in every export, no side effects', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../js/package.json', import.meta.url), 'utf8'));
    assert.equal(pkg.sideEffects, false);
    for (const [path, conditions] of Object.entries(pkg.exports)) {
      if (typeof conditions === 'object') assert.equal(Object.keys(conditions)[0], 'types', `${path}: types first`);
    }
    assert.equal(pkg.exports['.']['react-native'], './dist/js.cjs');
    assert.equal(pkg['react-native'], './dist/js.cjs');
  });
});
