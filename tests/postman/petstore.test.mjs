// The collection's PetStore folder against the local IAM-protected API (www/server, which
// verifies with API Gateway's rules): on both sandboxes, with the signer pasted into the
// collection script, evaluated from a collection variable, and loaded through pm.require.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../www/server/server.mjs';
import { COLLECTION, LIBRARY, PREREQUEST, SIGNER, runCollection, problems, postmanRuntime } from './helpers.mjs';

const FOLDER = 'PetStore API (IAM-protected)';
const DEMO = { SIGV4_DEMO_ACCESS_KEY_ID: 'AKIAPOSTMANPETSTORE1', SIGV4_DEMO_SECRET_ACCESS_KEY: 'petstore/postman/test/secret/0123456789ab' };
const TEMPORARY = { ...DEMO, SIGV4_DEMO_ACCESS_KEY_ID: 'ASIAPOSTMANPETSTORE1', SIGV4_DEMO_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLE/postman+token=' };

let api;
let temporaryApi;
before(async () => {
  api = await startServer({ port: 0, env: DEMO });
  temporaryApi = await startServer({ port: 0, env: TEMPORARY });
});
after(async () => {
  await api.close();
  await temporaryApi.close();
});

const valuesFor = (server, env, extra = {}) => ({
  petstore_url: `${server.url.replace(/\/$/, '')}/test`,
  aws_access_key_id: env.SIGV4_DEMO_ACCESS_KEY_ID,
  aws_secret_access_key: env.SIGV4_DEMO_SECRET_ACCESS_KEY,
  aws_session_token: env.SIGV4_DEMO_SESSION_TOKEN || '',
  ...extra,
});

/** The generated collection with `lines` above the pasted signer in its pre-request script. */
function withAbove(lines) {
  const collection = COLLECTION();
  const event = collection.event.find((e) => e.listen === 'prerequest');
  event.script.exec = lines.concat(event.script.exec);
  return collection;
}
// A credential fetch as users write it: the demo key from the local API's /demo/credentials.
const FETCH_INTO_VARIABLES = [
  "pm.sendRequest(pm.variables.get('credentials_url'), function (error, response) {",
  '  var key = response.json().keys[0];',
  "  pm.variables.set('aws_access_key_id', key.accessKeyId);",
  "  pm.variables.set('aws_secret_access_key', key.secretAccessKey);",
  '});',
];
const CREDENTIALS_HOOK = [
  'function sigv4_credentials(done) {',
  "  pm.sendRequest(pm.variables.get('credentials_url'), function (error, response) {",
  '    if (error) return done(error);',
  '    var key = response.json().keys[0];',
  '    done(null, { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, expiration: new Date(Date.now() + 3600e3).toISOString() });',
  '  });',
  '}',
];
/** A sigv4_credentials(done) that calls done with `args` (JavaScript text) once its fetch has answered. */
const hookAnswering = (args) => [
  'function sigv4_credentials(done) {',
  "  pm.sendRequest(pm.variables.get('credentials_url'), function (error, response) {",
  `    done(${args});`,
  '  });',
  '}',
];
const petstoreCalls = (run) => run.executions.filter((e) => !e.request.url.includes('/demo/credentials'));

function assertPetstore(run) {
  assert.deepEqual(problems(run), [], 'every request passes its tests');
  assert.deepEqual(petstoreCalls(run).map((e) => [e.name, e.status]), [['GET /pets', 200], ['GET /pets/{petId}', 200], ['POST /pets', 200]]);
  assert.deepEqual(JSON.parse(petstoreCalls(run)[1].body), { id: 2, type: 'cat', price: 124.99 });
  assert.equal(JSON.parse(petstoreCalls(run)[2].body).message, 'success');
}

for (const runtime of ['stock', 'latest']) {
  describe(`PetStore API on the local IAM-protected API (${runtime}: newman ${Object.values(postmanRuntime(runtime).versions).join(', ')})`, () => {
    const how = {
      pasted: 'pasted in the collection script',
      variable: 'evaluated from the variable sigv4_lib',
      require: 'loaded with pm.require from the Package Library (packageResolver)',
      'require-npm': "loaded with pm.require('npm:sigv4-wasm@...'): the npm package's wasm2js CommonJS entry",
    };
    for (const mode of Object.keys(how)) {
      test(`GET /pets, GET /pets/{petId}, POST /pets: 200 with the signer ${how[mode]}`, async (t) => {
        const run = await runCollection({ runtime, mode, folder: FOLDER, values: valuesFor(api, DEMO) });
        t.diagnostic(`${run.ms} ms`);
        assertPetstore(run);
        if (mode.startsWith('require')) assert.equal(new Set(run.packagesResolved).size, 1, 'the script asked for the package');
      });
    }

    test('the signer without its library stops with where to get it, and sends nothing', async () => {
      const run = await runCollection({ runtime, mode: 'none', folder: FOLDER, values: valuesFor(api, DEMO) });
      assert.equal(run.executions.length, 0);
      assert.match(run.failures[0].error.message, /the signer library is not loaded: paste the text of postman\/sigv4\.postman\.js above this script, or put it in the collection variable sigv4_lib, or load it from your Package Library/);
    });

    test('a session token from aws_session_token: 200; without it the API answers UnrecognizedClientException', async () => {
      assertPetstore(await runCollection({ runtime, folder: FOLDER, values: valuesFor(temporaryApi, TEMPORARY) }));
      const without = await runCollection({ runtime, folder: FOLDER, values: valuesFor(temporaryApi, TEMPORARY, { aws_session_token: '' }) });
      assert.deepEqual(without.executions.map((e) => e.status), [403, 403, 403]);
      assert.match(without.executions[0].body, /The security token included in the request is invalid/);
    });

    test('a wrong secret: 403 InvalidSignatureException with the canonical request the API computed', async () => {
      const run = await runCollection({ runtime, folder: FOLDER, values: valuesFor(api, DEMO, { aws_secret_access_key: `${DEMO.SIGV4_DEMO_SECRET_ACCESS_KEY}x` }) });
      assert.deepEqual(run.executions.map((e) => e.status), [403, 403, 403]);
      assert.match(run.executions[0].body, /The request signature we calculated does not match the signature you provided[\s\S]*GET\\n\/test\/pets\\ntype=dog/);
    });

    test('credentials from a pm.sendRequest: sigv4_credentials(done) above the script fetches them once, and the script signs in its callback', async () => {
      const values = valuesFor(api, DEMO, { aws_access_key_id: '', aws_secret_access_key: '', credentials_url: `${api.url.replace(/\/$/, '')}/demo/credentials` });
      const run = await runCollection({ runtime, collection: withAbove(CREDENTIALS_HOOK), folder: FOLDER, values });
      assertPetstore(run);
      assert.equal(run.executions.filter((e) => e.request.url.includes('/demo/credentials')).length, 1, 'fetched once, then cached until its expiration');
      // Fetched into variables above the script instead: the script cannot wait for that answer, and says what to do.
      const plain = await runCollection({ runtime, collection: withAbove(FETCH_INTO_VARIABLES), folder: FOLDER, values });
      // (The first request stops; where the sandbox waits for the stopped script's fetch, later requests find its variables.)
      assert.ok(!petstoreCalls(plain).some((e) => e.name === 'GET /pets'), 'the first request is not sent unsigned');
      assert.match(plain.failures[0].error.message, /If a pm\.sendRequest above this script fetches them, this script runs before its answer arrives: fetch them in a function sigv4_credentials\(done\) instead/);
      // A fetch that fails, or gives no keys: each request stops with why, and none is sent.
      for (const [args, message] of [
        ["new Error('the identity pool refused the token')", /^sigv4: sigv4_credentials failed: the identity pool refused the token$/],
        ['null, {}', /^sigv4: sigv4_credentials gave no accessKeyId and secretAccessKey \(it gave nothing\): call done\(null, \{ accessKeyId, secretAccessKey, sessionToken, expiration \}\)$/],
      ]) {
        const failed = await runCollection({ runtime, collection: withAbove(hookAnswering(args)), folder: FOLDER, values });
        assert.deepEqual(petstoreCalls(failed), [], `nothing sent with done(${args})`);
        assert.deepEqual(failed.console.filter((c) => c.level === 'error').map((c) => c.text.replace(message, 'ok')), ['ok', 'ok', 'ok'], `done(${args})`);
      }
    });

    test('a sigv4_credentials that gives other field names (AWS\'s AccessKeyId...): the request stops, naming what it gave and what done() takes', async () => {
      const wrongNames = CREDENTIALS_HOOK.map((line) => line.replace('{ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey,', '{ AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey,'));
      assert.notDeepEqual(wrongNames, CREDENTIALS_HOOK);
      const values = valuesFor(api, DEMO, { aws_access_key_id: '', aws_secret_access_key: '', credentials_url: `${api.url.replace(/\/$/, '')}/demo/credentials` });
      const run = await runCollection({ runtime, collection: withAbove(wrongNames), folder: FOLDER, values });
      assert.deepEqual(petstoreCalls(run), [], 'nothing sent unsigned');
      const log = run.console.map((c) => c.text).join('\n');
      assert.match(log, /sigv4: sigv4_credentials gave no accessKeyId and secretAccessKey \(it gave AccessKeyId, SecretAccessKey, expiration\): call done\(null, \{ accessKeyId, secretAccessKey, sessionToken, expiration \}\)/);
      assert.ok(!log.includes(DEMO.SIGV4_DEMO_SECRET_ACCESS_KEY), 'the names, not the values');
    });

    test('credentials fetched by the collection script, signer in the folder script (library from sigv4_lib): 200', async () => {
      const collection = COLLECTION();
      collection.event.find((e) => e.listen === 'prerequest').script.exec = FETCH_INTO_VARIABLES; // local variables last for the request's later scripts
      const folder = collection.item.find((f) => f.name === FOLDER);
      folder.event = [{ listen: 'prerequest', script: { type: 'text/javascript', exec: SIGNER().replace(/\n$/, '').split('\n') } }];
      collection.variable.push({ key: 'sigv4_lib', value: LIBRARY() });
      const run = await runCollection({ runtime, collection, folder: FOLDER,
        values: valuesFor(api, DEMO, { aws_access_key_id: '', aws_secret_access_key: '', credentials_url: `${api.url.replace(/\/$/, '')}/demo/credentials` }) });
      assertPetstore(run);
    });

    test('a truncated or wrong sigv4_lib stops the request with what to paste again; nothing is sent unsigned', async () => {
      for (const [lib, error] of [[LIBRARY().slice(0, 60_000), /SyntaxError/], ['sigv4-wasm goes here', /ReferenceError|SyntaxError/], ['var sigv4 = {};', /./]]) {
        const collection = COLLECTION();
        collection.event.find((e) => e.listen === 'prerequest').script.exec = SIGNER().replace(/\n$/, '').split('\n');
        collection.variable.push({ key: 'sigv4_lib', value: lib });
        const run = await runCollection({ runtime, collection, folder: FOLDER, values: valuesFor(api, DEMO) });
        assert.equal(run.executions.length, 0, `nothing sent with ${lib.slice(0, 20)}…`);
        const message = run.failures[0].error.message;
        assert.match(message, /sigv4: the variable sigv4_lib does not hold a working copy of postman\/sigv4\.postman\.js/);
        assert.match(message, error);
        assert.match(message, /paste the whole text of that file into it again/);
      }
    });

    test('the paste alone (dist/sigv4-prerequest.js, without the optional parts): signs; what needs a part it lacks stops, names the file, and sends nothing', async () => {
      const pasteOnly = (above = []) => {
        const collection = COLLECTION();
        collection.event.find((e) => e.listen === 'prerequest').script.exec = above.concat(PREREQUEST().replace(/\n$/, '').split('\n'));
        return collection;
      };
      assertPetstore(await runCollection({ runtime, collection: pasteOnly(), folder: FOLDER, values: valuesFor(api, DEMO) }));
      const cases = [
        [pasteOnly(), { aws_secret_access_key: '{{vault:petstore-secret}}' },
          /sigv4: aws_secret_access_key refers to the Postman Vault \(\{\{vault:\.\.\.\}\}\), which needs the vault part of the script: paste postman\/src\/vault\.js between the signer library and this script/],
        [pasteOnly(), { sigv4_role_arn: 'arn:aws:iam::123456789012:role/postman-role' },
          /sigv4: sigv4_role_arn asks for temporary credentials, which need the credentials part of the script: paste postman\/src\/credentials\.js/],
        [pasteOnly(CREDENTIALS_HOOK), { credentials_url: `${api.url.replace(/\/$/, '')}/demo/credentials` },
          /sigv4: the function sigv4_credentials asks for temporary credentials, which need the credentials part of the script: paste postman\/src\/credentials\.js/],
      ];
      for (const [collection, extra, message] of cases) {
        const run = await runCollection({ runtime, collection, folder: FOLDER, values: valuesFor(api, DEMO, extra) });
        assert.equal(run.executions.length, 0, `nothing sent with ${Object.keys(extra)}`);
        assert.match(run.failures[0].error.message, message);
      }
    });

    test('credentials in the Postman Vault: read when scripts may read it; when not, a stop that says to allow vault access for scripts', async () => {
      const values = valuesFor(api, DEMO, { aws_secret_access_key: '{{vault:petstore-secret}}' });
      const vault = { secrets: { 'petstore-secret': DEMO.SIGV4_DEMO_SECRET_ACCESS_KEY, aws_access_key_id: DEMO.SIGV4_DEMO_ACCESS_KEY_ID, aws_secret_access_key: DEMO.SIGV4_DEMO_SECRET_ACCESS_KEY } };
      if (runtime === 'stock') {
        // newman 6.2.2's sandbox has no pm.vault: the reference cannot be read, and the script says so.
        const run = await runCollection({ runtime, folder: FOLDER, values });
        assert.equal(run.executions.length, 0);
        assert.match(run.failures[0].error.message, /aws_secret_access_key refers to the vault secret petstore-secret \(\{\{vault:\.\.\.\}\}\), but this Postman gives scripts no vault/);
        return;
      }
      assertPetstore(await runCollection({ runtime, folder: FOLDER, values, vault: { ...vault, allowScripts: true } }));
      const denied = await runCollection({ runtime, folder: FOLDER, values, vault: { ...vault, allowScripts: false } });
      assert.equal(denied.executions.length, 0, 'nothing sent');
      assert.match(denied.failures[0].error.message, /aws_secret_access_key refers to the vault secret petstore-secret, and the vault refused this script \(Vault access denied\): the credentials are set, but scripts may not read the vault\. In Postman, open the Vault > Settings, turn on "Enable support in scripts", and grant this collection access/);
      // Unset variables, the keys in the vault under their names: read when allowed, the same advice when not.
      const unset = valuesFor(api, DEMO, { aws_access_key_id: '', aws_secret_access_key: '' });
      assertPetstore(await runCollection({ runtime, folder: FOLDER, values: unset, vault: { ...vault, allowScripts: true } }));
      const unsetDenied = await runCollection({ runtime, folder: FOLDER, values: unset, vault: { ...vault, allowScripts: false } });
      assert.match(unsetDenied.failures[0].error.message, /set the variables aws_access_key_id and aws_secret_access_key \(in your environment, as secrets\)\. If they are in your Postman Vault, it refused this script \(Vault access denied\): in the Vault > Settings, turn on "Enable support in scripts"/);
    });
  });
}
