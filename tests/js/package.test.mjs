// The suite in Node through the package's exports map, once per backend, plus packaging
// checks: ESM and CommonJS entries, the subpath exports, identical output across backends.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { buildCases } from './suite.mjs';
import { BUILDS, inlinedWasm, loadBuild } from './builds.mjs';
import { loadFixtures } from './fixtures.mjs';

const fixtures = loadFixtures();
const require = createRequire(import.meta.url);
const outputs = {};

for (const [label, build] of Object.entries(BUILDS)) {
  const api = await loadBuild(label);
  outputs[label] = {};
  describe(`the ${label} build (${build.signer}, ${build.verify})`, () => {
    test('loads the expected backend', () => {
      assert.equal(api.getBackend(), build.backend);
      assert.equal(api.verifyBackend(), build.backend);
    });
    test('sigv4-wasm/s3 has the signer\'s inferScope (the region presignPost needs, from a bucket\'s host)', () => {
      for (const host of ['bucket.s3.eu-west-1.amazonaws.com', 's3.amazonaws.com', '127.0.0.1:9000']) {
        assert.deepEqual(api.s3InferScope(host), api.inferScope(host), host);
      }
      assert.deepEqual(api.s3InferScope('bucket.s3.eu-west-1.amazonaws.com'), { region: 'eu-west-1', service: 's3' });
    });
    const cases = buildCases(api, fixtures);
    for (const name of Object.keys(cases)) {
      test(name, () => {
        outputs[label][name] = cases[name]();
      });
    }
  });
}

describe('packaging', () => {
  test('every build computes identical output', () => {
    const expected = Object.keys(buildCases({}, fixtures)).length;
    for (const label of Object.keys(BUILDS)) assert.equal(Object.keys(outputs[label]).length, expected, `every case ran on ${label}`);
    assert.deepEqual(outputs.browser, outputs.server);
    assert.deepEqual(outputs.js, outputs.server);
    assert.deepEqual(outputs.native, outputs.server);
  });
  test('require() gives the same API as import; the main entry has no verify in any build', async () => {
    const cjs = require('sigv4-wasm');
    const esm = await import('sigv4-wasm');
    const names = ['AwsClient', 'SigV4Error', 'cacheCredentials', 'getBackend', 'inferScope', 'init', 'presign', 'sign', 'signAsync', 'signingKeyDerivation'];
    for (const [label, module] of [['require', cjs], ['import', esm], ['sigv4-wasm/js', await import('sigv4-wasm/js')],
      ['browser', await import('../../js/dist/browser.mjs')], ['browser (require)', require('../../js/dist/browser.cjs')],
      ['react-native', require('../../js/dist/react-native.cjs')]]) {
      assert.deepEqual(Object.keys(module).filter((k) => k !== 'default' && k !== '__esModule').sort(), names, `${label} exports the signer's API`);
    }
    for (const [label, module] of [['require', require('sigv4-wasm/verify')], ['import', await import('sigv4-wasm/verify')],
      ['verify.cjs', require('../../js/dist/verify.cjs')], ['verify-js.cjs', require('../../js/dist/verify-js.cjs')]]) {
      assert.deepEqual(Object.keys(module).filter((k) => k !== 'default' && k !== '__esModule').sort(), ['SigV4Error', 'fallbackReason', 'getBackend', 'verify', 'verifyChunked'], `${label}: sigv4-wasm/verify`);
    }
    const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', datetime: '20150830T123600Z' };
    const url = 'https://abc.execute-api.us-east-1.amazonaws.com/prod';
    assert.equal(cjs.sign({ url }, options).signature, esm.sign({ url }, options).signature);
    assert.equal(require('sigv4-wasm/js').getBackend(), 'js');
    // In Node both subpaths are facades over one bundle: one instance, one SigV4Error.
    assert.equal(require('sigv4-wasm/verify').SigV4Error, cjs.SigV4Error);
    assert.equal((await import('sigv4-wasm/verify')).SigV4Error, esm.SigV4Error);
  });
  test('a SigV4Error from any build is instanceof every build\'s SigV4Error', async () => {
    const browser = await import('../../js/dist/browser.mjs');
    const verifier = await import('../../js/dist/verify.mjs');
    let thrown;
    try {
      verifier.verify({ url: 'https://h/', headers: { host: 'h' } }, { region: 'us-east-1', service: 'execute-api', lookup: () => null });
    } catch (error) {
      thrown = error;
    }
    assert.equal(thrown.code, 'MISSING_AUTHENTICATION');
    for (const api of [browser, verifier, await import('sigv4-wasm'), await import('sigv4-wasm/js')]) assert.ok(thrown instanceof api.SigV4Error);
    assert.ok(!(new Error('x') instanceof browser.SigV4Error));
  });
  test('in Node, bodies from 1 KiB on are hashed by node:crypto unless nativeHash is false', async () => {
    const { sign } = await import('sigv4-wasm');
    const crypto = require('node:crypto'); // the object process.getBuiltinModule returns
    const original = { createHash: crypto.createHash, hash: crypto.hash }; // hash: Node 20.12+, which the package prefers
    const hashed = []; // the length of everything node:crypto hashed (bodies, and long canonical requests)
    crypto.createHash = (algorithm) => {
      const hash = original.createHash(algorithm);
      const update = hash.update.bind(hash);
      hash.update = (data) => (hashed.push(data.length), update(data));
      return hash;
    };
    if (original.hash) crypto.hash = (algorithm, data, encoding) => (hashed.push(data.length), original.hash(algorithm, data, encoding));
    try {
      const request = (size) => ({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k', body: new Uint8Array(size).fill(1) });
      const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', datetime: '20150830T123600Z' };
      const native = sign(request(1024), options);
      assert.ok(hashed.includes(1024), 'the 1 KiB body was hashed by node:crypto');
      assert.equal(native.payloadHash, original.createHash('sha256').update(request(1024).body).digest('hex'));
      hashed.length = 0;
      assert.equal(sign(request(1024), { ...options, nativeHash: false }).signature, native.signature);
      assert.deepEqual(hashed, [], 'nativeHash: false hashes nothing with node:crypto');
      sign(request(1023), options);
      sign(request(4096), { ...options, unsignedPayload: true });
      assert.ok(!hashed.includes(1023) && !hashed.includes(4096), 'small, unhashed and core-hashed bodies do not go to node:crypto');
    } finally {
      crypto.createHash = original.createHash;
      if (original.hash) crypto.hash = original.hash;
    }
  });
  test('each bundle inlines its audience\'s binary, exported as a file too; the wasm2js builds carry no wasm bytes', async () => {
    // The verifier's binary is not shipped as a file: the build leaves it in dist/gen.
    const binary = (name) => readFileSync(name === 'verifier'
      ? new URL('../../js/dist/gen/verifier/sigv4-verifier.wasm', import.meta.url) : require.resolve(`sigv4-wasm/sigv4-${name}.wasm`));
    const inlined = { 'browser.mjs': 'signer', 'browser.cjs': 'signer', 'server.mjs': 'server', 'server.cjs': 'server',
      'verify.mjs': 'verifier', 'verify.cjs': 'verifier', 'js.mjs': null, 'js.cjs': null, 'react-native.cjs': null, 'verify-js.mjs': null, 'verify-js.cjs': null };
    for (const [bundle, name] of Object.entries(inlined)) {
      const found = inlinedWasm(readFileSync(new URL(`../../js/dist/${bundle}`, import.meta.url), 'utf8'));
      if (!name) {
        assert.equal(found.length, 0, `${bundle} carries no wasm`);
        continue;
      }
      assert.equal(found.length, 1, `${bundle} inlines one binary`);
      assert.ok(WebAssembly.validate(binary(name)));
      assert.ok(found[0].equals(binary(name)), `${bundle} inlines sigv4-${name}.wasm`);
    }
    const { init, sign } = await import('../../js/dist/browser.mjs');
    await init(binary('signer')); // already loaded from the inlined copy: resolves without reloading
    assert.equal(sign({ url: 'https://sts.amazonaws.com/' }, { accessKeyId: 'A', secretAccessKey: 's', datetime: '20150830T123600Z' }).service, 'sts');
  });
  test('what an app\'s bundle carries: in browsers the signer\'s wasm only, in React Native no wasm bytes', async () => {
    const esbuild = await import('esbuild');
    const bundle = async (conditions, platform) => {
      const result = await esbuild.build({
        stdin: { contents: "import { sign } from 'sigv4-wasm'; globalThis.signed = sign;", resolveDir: process.cwd(), loader: 'js' },
        bundle: true, write: false, minify: true, metafile: true, format: 'esm', platform, conditions, logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs).filter((f) => f !== '<stdin>').map((f) => f.replace(/^.*?js\/dist\//, 'js/dist/'));
      return { inputs, code: result.outputFiles[0].text };
    };
    const browser = await bundle([], 'browser');
    assert.deepEqual(browser.inputs, ['js/dist/browser.mjs']);
    assert.deepEqual(inlinedWasm(browser.code), [readFileSync(require.resolve('sigv4-wasm/sigv4-signer.wasm'))], 'the browser bundle inlines the signer\'s wasm, once');
    // The wasm2js translation throws this message on a trap (js/build.mjs); nothing else has it.
    assert.ok(!browser.code.includes('memory access out of bounds'), 'the browser bundle has no wasm2js translation');
    assert.ok(!browser.code.includes('verifyRequest'), 'the browser bundle has no verifier');
    const native = await bundle(['react-native'], 'neutral');
    assert.deepEqual(native.inputs, ['js/dist/react-native.cjs']);
    assert.deepEqual(inlinedWasm(native.code), [], 'the react-native bundle carries no wasm bytes');
    assert.ok(native.code.includes('memory access out of bounds'), 'the react-native bundle is the wasm2js translation (the marker above holds)');
    assert.ok(!native.code.includes('verifyRequest'), 'the react-native bundle has no verifier');
  });
  test('a browser app that imports only sign is at most 30 KB gzipped with esbuild, Vite and webpack (issue 12)', async (t) => {
    // bench/bundle-size.mjs's app, bundled as there; every file it emits but the HTML,
    // gzip -9 each, summed (the benchmark counts the files the page loads: the same here).
    const { bundleApp } = await import('../../bench/lib/bundle.mjs');
    const workDir = new URL('../../target/bundle-size-test', import.meta.url).pathname;
    for (const bundler of ['esbuild', 'vite', 'webpack']) {
      const { files } = await bundleApp(bundler, { signer: 'sigv4-wasm', workDir });
      const shipped = files.filter((f) => !f.path.endsWith('.html'));
      const gzipped = shipped.reduce((sum, f) => sum + gzipSync(f.contents, { level: 9 }).length, 0);
      t.diagnostic(`${bundler}: ${gzipped} bytes gzipped (${shipped.map((f) => f.path).join(', ')})`);
      assert.ok(shipped.length > 0 && gzipped <= 30_000, `${bundler}: the app is ${gzipped} bytes gzipped, over 30,000`);
    }
  });
  test('signAsync: the body hashed by WebCrypto (browser build) or natively (server build) signs exactly as sign does', async () => {
    const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', datetime: '20150830T123600Z' };
    const subtle = globalThis.crypto.subtle;
    const digests = [];
    const original = subtle.digest;
    subtle.digest = function (...args) { digests.push(args[1].byteLength); return original.apply(this, args); };
    try {
      for (const api of [await import('../../js/dist/browser.mjs'), await import('sigv4-wasm')]) {
        for (const url of ['https://b.s3.us-east-1.amazonaws.com/photo.jpg', 'https://abc.execute-api.us-east-1.amazonaws.com/prod/upload']) {
          for (const size of [100, 16 * 1024, 1024 * 1024 + 3]) {
            const request = { method: 'PUT', url, headers: { 'content-type': 'image/jpeg' }, body: new Uint8Array(size).fill(size & 255) };
            assert.deepEqual(await api.signAsync(request, options), api.sign(request, { ...options, nativeHash: false }), `${url}, ${size} bytes`);
            const blob = await api.signAsync({ ...request, body: new Blob([request.body]) }, options);
            assert.equal(blob.signature, api.sign(request, options).signature, `a Blob of ${size} bytes`);
          }
        }
      }
    } finally {
      subtle.digest = original;
    }
    // WebCrypto hashed the browser build's large bodies only (the server build has node:crypto).
    const perUrl = [16 * 1024, 16 * 1024, 1024 * 1024 + 3, 1024 * 1024 + 3]; // the bytes, then the Blob
    assert.deepEqual(digests, [...perUrl, ...perUrl]);
  });
  test('nativeHash: a function of your own hashes large bodies; what it returns is checked', async () => {
    const { sign } = await import('../../js/dist/browser.mjs');
    const { createHash } = await import('node:crypto');
    const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', datetime: '20150830T123600Z' };
    const request = { method: 'PUT', url: 'https://b.s3.us-east-1.amazonaws.com/k', body: new Uint8Array(4096).fill(9) };
    const lengths = [];
    const own = (bytes) => (lengths.push(bytes.length), createHash('sha256').update(bytes).digest());
    assert.deepEqual(sign(request, { ...options, nativeHash: own }), sign(request, { ...options, nativeHash: false }));
    sign({ ...request, body: new Uint8Array(100) }, { ...options, nativeHash: own });
    assert.deepEqual(lengths, [4096], 'bodies under 1 KiB are hashed in wasm');
    assert.throws(() => sign(request, { ...options, nativeHash: () => 'abc' }), { name: 'TypeError', message: /nativeHash must return the SHA-256 as 64 hex digits or 32 bytes/ });
    assert.throws(() => sign(request, { ...options, nativeHash: 'yes' }), { name: 'TypeError', message: /nativeHash must be a boolean or a function/ });
  });
  test('sizes measured by the build stay within their budget (js/size-budget.json) and do not grow past their ceiling (js/size-ceiling.json)', (t) => {
    const sizes = JSON.parse(readFileSync(new URL('../../js/dist/sizes.json', import.meta.url), 'utf8'));
    const budget = JSON.parse(readFileSync(new URL('../../js/size-budget.json', import.meta.url), 'utf8'));
    const ceiling = JSON.parse(readFileSync(new URL('../../js/size-ceiling.json', import.meta.url), 'utf8'));
    // The ceiling is what the build measures now, so any growth fails here until a commit
    // raises the ceiling and says why; a budget is the issues' target, which no ceiling passes.
    for (const name of Object.keys(budget)) assert.ok(name in sizes, `js/size-budget.json names ${name}, which the build does not measure`);
    for (const name of Object.keys(sizes).filter((name) => name in ceiling)) {
      assert.ok(sizes[name] <= ceiling[name], `${name} grew to ${sizes[name]} bytes, past its ceiling of ${ceiling[name]}: shrink it, or raise js/size-ceiling.json and say why`);
      if (name in budget) assert.ok(sizes[name] <= budget[name], `${name} is ${sizes[name]} bytes, over its budget of ${budget[name]}`);
      t.diagnostic(`${name}: ${sizes[name]} bytes; ceiling ${ceiling[name]}${name in budget ? `; budget ${budget[name]}` : ''}`);
    }
  });
  test('package.json: types first in every export, no side effects', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../js/package.json', import.meta.url), 'utf8'));
    assert.equal(pkg.sideEffects, false);
    for (const [path, conditions] of Object.entries(pkg.exports)) {
      if (typeof conditions === 'object') assert.equal(Object.keys(conditions)[0], 'types', `${path}: types first`);
    }
    assert.equal(pkg.exports['.']['react-native'], './dist/react-native.cjs');
    assert.equal(pkg['react-native'], './dist/react-native.cjs');
  });
});
