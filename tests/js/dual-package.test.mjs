// Issue 17 item 4: the dual package hazard. An app (or two of its dependencies) may load the
// same entry twice, once by require() and once by import: two bundles, two instances. An
// error either copy throws is still `instanceof` the SigV4Error of the other, because the
// first copy to load registers the class under a registered symbol and every later copy takes
// it (js/src/errors.js).
// Run: node --test tests/js/dual-package.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Each entry as require() and import load it, by the package's exports map or by file. */
const ENTRIES = {
  'node (sigv4-wasm)': ['sigv4-wasm', 'sigv4-wasm'],
  'node (sigv4-wasm/verify)': ['sigv4-wasm/verify', 'sigv4-wasm/verify'],
  browser: ['../../js/dist/browser.cjs', '../../js/dist/browser.mjs'],
  'browser (sigv4-wasm/verify)': ['../../js/dist/verify.cjs', '../../js/dist/verify.mjs'],
  'js (sigv4-wasm/js)': ['sigv4-wasm/js', 'sigv4-wasm/js'],
};

/** The SigV4Error `api` throws for a request it refuses. */
function thrownBy(api) {
  try {
    if (api.sign) api.sign({ url: 'ftp://example.com/' }, { accessKeyId: 'A', secretAccessKey: 's' });
    else api.verify({ url: '/', headers: { host: 'h' } }, { region: 'us-east-1', service: 's', lookup: () => null });
  } catch (error) {
    return error;
  }
  assert.fail('nothing was thrown');
}

for (const [label, [cjsPath, esmPath]] of Object.entries(ENTRIES)) {
  test(`${label}: an error of the require()d copy is instanceof the imported SigV4Error, and the reverse`, async () => {
    const cjs = require(cjsPath);
    const esm = await import(esmPath);
    // Two copies indeed: each has its own functions (else this test would prove nothing).
    assert.notEqual(cjs.sign || cjs.verify, esm.sign || esm.verify);
    const fromCjs = thrownBy(cjs);
    const fromEsm = thrownBy(esm);
    for (const [error, copy] of [[fromCjs, 'require'], [fromEsm, 'import']]) {
      assert.equal(error.name, 'SigV4Error', copy);
      assert.ok(error.code === 'INVALID_URL' || error.code === 'MISSING_AUTHENTICATION', `${copy}: ${error.code}`);
      assert.ok(error instanceof esm.SigV4Error, `${copy}'s error instanceof the imported SigV4Error`);
      assert.ok(error instanceof cjs.SigV4Error, `${copy}'s error instanceof the required SigV4Error`);
      assert.ok(error instanceof Error);
    }
  });
}

test('one SigV4Error across every entry loaded in this process', async () => {
  const classes = new Set();
  for (const [cjsPath, esmPath] of Object.values(ENTRIES)) {
    classes.add(require(cjsPath).SigV4Error);
    classes.add((await import(esmPath)).SigV4Error);
  }
  assert.equal(classes.size, 1);
});
