// The generated Postman files: current with the package and src/prerequest.js, a classic
// script that needs nothing Postman's sandboxes lack, loadable all three ways, and its size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { buildArtefacts, checkLibrary, FILES, SIZE_BUDGET } from '../../postman/build.mjs';
import { LIBRARY, COLLECTION, ENVIRONMENT } from './helpers.mjs';

const built = buildArtefacts();

test('the committed files are what postman/build.mjs makes from js/dist and postman/src (else run: node postman/build.mjs)', () => {
  for (const [path, text] of Object.entries(built.files)) {
    assert.ok(readFileSync(path, 'utf8') === text, `${path} is stale: run node postman/build.mjs`);
  }
});

test('sigv4.postman.js: a synchronous classic script without import/export/class/async or globalThis/window/self, that signs without WebAssembly or TextEncoder', () => {
  assert.deepEqual(built.check.problems, []);
  assert.equal(built.check.result.backend, 'js');
});

test('the checker catches what the sandboxes lack (it is not vacuous)', () => {
  const code = LIBRARY();
  assert.match(checkLibrary(`${code}\nvar g = globalThis;`).problems.join(), /globalThis/);
  assert.match(checkLibrary(`${code}\nsigv4 = { sign: function () { return new TextEncoder(); } };`).problems.join(), /fails in a context/);
  assert.match(checkLibrary(`export ${code}`).problems.join(), /classic script/);
  assert.match(checkLibrary(`${code}\nclass A {}`).problems.join(), /class/);
});

test(`size: sigv4.postman.js is at most ${SIZE_BUDGET} bytes minified`, (t) => {
  const { libraryMinified, libraryMinifiedGzip } = built.sizes;
  t.diagnostic(`sigv4.postman.js: ${libraryMinified} bytes minified, ${libraryMinifiedGzip} gzip; budget ${SIZE_BUDGET}`);
  // Not met yet (the wasm2js translation is most of it; the wasm is being shrunk): reported
  // as a todo with the figure, as tests/js/package.test.mjs does for the package budget.
  if (libraryMinified > SIZE_BUDGET) t.todo(`over budget: ${libraryMinified} > ${SIZE_BUDGET} bytes (${libraryMinified - SIZE_BUDGET} over)`);
  else assert.ok(libraryMinified <= SIZE_BUDGET);
});

test('loads as pasted text, through new Function from a variable, and as a CommonJS module (pm.require)', () => {
  const code = LIBRARY();
  const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service', datetime: '20150830T123600Z' };
  const expected = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
  // pasted: a script whose top-level var sigv4 the rest of the script uses
  const pasted = vm.runInNewContext(`${code}\nsigv4.sign({ url: 'https://example.amazonaws.com/' }, options).signature`, { options });
  assert.equal(pasted, expected);
  // stored in a variable
  const fromVariable = vm.runInNewContext("(new Function(code + '\\nreturn sigv4;'))()", { code });
  assert.equal(fromVariable.sign({ url: 'https://example.amazonaws.com/' }, options).signature, expected);
  // pm.require wraps a package in (function (exports, module) { ... })
  const module = { exports: {} };
  vm.runInNewContext(`(function (exports, module) {\n${code}\n})(module.exports, module);`, { module });
  assert.equal(module.exports.sign({ url: 'https://example.amazonaws.com/' }, options).signature, expected);
  assert.deepEqual(Object.keys(module.exports).sort(), ['SigV4Error', 'getBackend', 'inferScope', 'presign', 'sign', 'signingKeyDerivation', 'verify', 'version']);
});

test('sigv4-prerequest.js is the library followed by src/prerequest.js, and the collection carries it', () => {
  const prerequest = readFileSync(FILES.prerequest, 'utf8');
  assert.ok(prerequest.startsWith(LIBRARY()));
  assert.ok(prerequest.endsWith(readFileSync(new URL('../../postman/src/prerequest.js', import.meta.url), 'utf8')));
  const collection = COLLECTION();
  const event = collection.event.find((e) => e.listen === 'prerequest');
  assert.equal(`${event.script.exec.join('\n')}\n`, prerequest);
  new vm.Script(prerequest); // parses as one script
});

test('collection and environment: Postman v2.1 formats, No Auth, the flows of issue 5, no secrets', () => {
  const collection = COLLECTION();
  assert.equal(collection.info.schema, 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json');
  assert.deepEqual(collection.auth, { type: 'noauth' });
  const names = collection.item.flatMap((folder) => folder.item.map((item) => `${folder.name} / ${item.name}`));
  for (const expected of ['PetStore API (IAM-protected) / GET /pets', 'PetStore API (IAM-protected) / GET /pets/{petId}',
    'PetStore API (IAM-protected) / POST /pets', 'STS / GetCallerIdentity', 'S3 / PUT object', 'S3 / GET object',
    'S3 / PUT object from a file (UNSIGNED-PAYLOAD)', 'S3 / Presign GET object', 'S3 / GET the presigned URL']) {
    assert.ok(names.includes(expected), `missing ${expected}`);
  }
  for (const folder of collection.item) for (const item of folder.item) assert.ok(!item.request.auth, `${item.name} has its own auth`);
  const environment = ENVIRONMENT();
  assert.equal(environment._postman_variable_scope, 'environment');
  const byKey = Object.fromEntries(environment.values.map((v) => [v.key, v]));
  for (const key of ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']) {
    assert.equal(byKey[key].value, '', `${key} ships empty`);
    assert.equal(byKey[key].type, 'secret');
  }
  for (const key of ['aws_region', 'aws_service', 'petstore_url', 'sts_url', 's3_bucket_url', 's3_key']) assert.ok(byKey[key], key);
});
