// AwsClient is aws4fetch's AwsClient (issue 17, item 7):
//  1. aws4fetch's own README examples, read from node_modules/aws4fetch/README.md and run
//     unchanged (but for the import line) with our AwsClient and with aws4fetch's, through the
//     global fetch against a local 127.0.0.1 server that verifies each signature; both
//     clients must send the same requests.
//  2. A differential: for the same inputs and datetime, our `sign` resolves to a Request with
//     the same method, URL and headers as aws4fetch's (GET, POST, presigned, Request input,
//     every body type, session tokens); where the README lists a deliberate difference, the
//     test pins that difference instead.
//  3. Retries: 503 then 200, 429, no retrying, retries exhausted, with the backoff's waits.
// Each runs on the servers' build and on the wasm2js build (tests/js/builds.mjs).
//
//   node --test tests/js/aws-client.test.mjs        (BUILDS=server,js,browser to choose)

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AwsClient as Aws4fetchClient } from 'aws4fetch';
import { loadBuild } from './builds.mjs';

const require = createRequire(import.meta.url);
const AWS4FETCH_DIR = join(dirname(require.resolve('aws4fetch')), '..');
const README = readFileSync(join(AWS4FETCH_DIR, 'README.md'), 'utf8');
const BUILD_NAMES = (process.env.BUILDS || 'server,js').split(',');
const ACCESS_KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==';
const DATETIME = '20150830T123600Z';
const sha256 = (data) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------
// The local server: answers every request with what it received and whether it verifies;
// /flaky/<id>/<statuses> answers those statuses in turn (then 200).

let server;
let baseUrl;
let verifyRequest; // (request) => { verified, code }: the build's verify
let verifyOptions = {}; // more options for it, for the case running
const received = []; // every request the server got
const hits = new Map();

function startServer() {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const host = req.headers['x-test-original-host'] || req.headers.host;
      const headers = { ...req.headers, host };
      delete headers['x-test-original-host'];
      const outcome = verifyRequest({ method: req.method, url: req.url, headers, body: new Uint8Array(body) });
      const seen = { method: req.method, url: req.url, headers, body: body.toString('latin1'), ...outcome };
      received.push(seen);
      const flaky = /^\/flaky\/([^/]+)\/([0-9,]+)/.exec(req.url);
      let status = 200;
      if (flaky) {
        const n = hits.get(flaky[1]) || 0;
        hits.set(flaky[1], n + 1);
        const statuses = flaky[2].split(',').map(Number);
        if (n < statuses.length) status = statuses[n];
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(seen));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    resolve();
  }));
}

/** Verifies a received request with the build's verify, scope and time from the request. */
function verifierOf(verify) {
  return (request) => {
    const url = new URL(request.url, 'http://x');
    const auth = request.headers.authorization || '';
    const credential = /Credential=([^,]+)/.exec(auth)?.[1] || url.searchParams.get('X-Amz-Credential') || '';
    const [, , region, service] = credential.split('/');
    const now = request.headers['x-amz-date'] || url.searchParams.get('X-Amz-Date') || undefined;
    const token = request.headers['x-amz-security-token'] || url.searchParams.get('X-Amz-Security-Token');
    // A token after the signature in the query was appended after signing (appendSessionToken).
    const query = url.search;
    const appended = query.indexOf('X-Amz-Security-Token') > query.indexOf('X-Amz-Signature') && query.indexOf('X-Amz-Signature') !== -1;
    try {
      verify(request, {
        region, service, now, appendSessionToken: appended, allowUnsignedPayload: service === 's3', ...verifyOptions,
        lookup: (id) => (id === ACCESS_KEY_ID ? { secretAccessKey: SECRET, sessionToken: token ? TOKEN : undefined } : null),
      });
      return { verified: true };
    } catch (error) {
      return { verified: false, code: error.code, message: error.message };
    }
  };
}

// The global fetch while a README example runs: sends to the local server whatever AWS host the
// example names, telling the server that host (the signature covers it).
const realFetch = globalThis.fetch;
function localFetch(input, init) {
  const request = new Request(input, init);
  const original = new URL(request.url);
  const headers = new Headers(request.headers);
  headers.set('x-test-original-host', original.host);
  return request.arrayBuffer().then((bytes) =>
    realFetch(`${baseUrl}${original.pathname}${original.search}`, {
      method: request.method, headers, body: bytes.byteLength ? bytes : undefined,
    }));
}

// ---------------------------------------------------------------------------------------------
// aws4fetch's README, its JavaScript blocks run as they are

const AsyncFunction = (async () => {}).constructor;
const IMPORT_CLIENT = "import { AwsClient } from 'aws4fetch'";
const BLOCKS = [...README.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

/**
 * Runs a README block with `AwsClient` and the free variables of `scope` bound; a block that
 * defines doFetch() (and only defines it) gets it called. Resolves with what it logged.
 */
async function runBlock(code, AwsClient, scope) {
  assert.ok(code.includes(IMPORT_CLIENT), 'the block imports AwsClient from aws4fetch');
  const logged = [];
  let settle;
  const done = new Promise((resolve) => (settle = resolve));
  const console = { log: (...values) => { logged.push(...values); settle(); } };
  const names = Object.keys(scope);
  const body = `${code.replace(IMPORT_CLIENT, '')}\n;return typeof doFetch === 'function' ? doFetch() : undefined`;
  const run = new AsyncFunction('AwsClient', 'console', ...names, body);
  await run(AwsClient, console, ...names.map((name) => scope[name]));
  if (code.includes('console.log')) await done;
  return logged;
}

/** What a request looked like to the server, without what the transport adds per connection. */
function comparable(seen) {
  const url = new URL(seen.url, 'http://x');
  const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { method: seen.method, path: url.pathname, query: params, headers: seen.headers, body: seen.body };
}

/** Runs a README block with both clients; returns each one's requests and logs. */
async function runWithBoth(code, ours, scope) {
  const results = {};
  for (const [name, AwsClient] of [['aws4fetch', Aws4fetchClient], ['ours', ours]]) {
    const from = received.length;
    globalThis.fetch = localFetch;
    try {
      const logged = await runBlock(code, AwsClient, scope);
      results[name] = { logged, requests: received.slice(from) };
    } finally {
      globalThis.fetch = realFetch;
    }
  }
  return results;
}

const API = 'https://abc123.execute-api.us-east-1.amazonaws.com';
/** The free variables of the README's fetch and sign blocks; each case overrides some. */
function scopeOf(overrides) {
  return {
    opts: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, retries: 0 },
    url: `${API}/prod/pets?type=dog`,
    method: undefined,
    headers: undefined,
    body: undefined,
    signQuery: undefined,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    sessionToken: undefined,
    service: undefined,
    region: undefined,
    cache: undefined,
    datetime: DATETIME,
    appendSessionToken: undefined,
    allHeaders: undefined,
    singleEncode: undefined,
    ...overrides,
  };
}

const README_CASES = {
  'GET with a query and a header': {},
  'POST: the method defaults to POST with a body, headers signed with allHeaders': {
    body: JSON.stringify({ my: 'event' }), headers: { 'content-type': 'application/json', 'x-amz-target': 'A.B' }, allHeaders: true,
  },
  'PUT bytes with a session token, service and region given': {
    method: 'PUT', body: new Uint8Array([0, 1, 2, 255]), sessionToken: TOKEN, service: 'execute-api', region: 'us-east-1',
  },
  'presigned (signQuery) with X-Amz-Expires in the URL and a session token': {
    url: `${API}/prod/pets?type=cat&X-Amz-Expires=300`, signQuery: true, sessionToken: TOKEN,
  },
  'presigned with the session token appended after signing': {
    url: `${API}/prod/pets?X-Amz-Expires=60`, signQuery: true, sessionToken: TOKEN, appendSessionToken: true,
  },
  // (The server verifies it with pathEncoding: 'single'. No %2F: the README's differences.)
  'singleEncode with an encoded path': { url: `${API}/prod/a%20b/%C3%A9t%C3%A9`, singleEncode: true },
  'S3 PUT with UNSIGNED-PAYLOAD declared': {
    url: 'https://examplebucket.s3.amazonaws.com/photos/my%20photo.jpg', method: 'PUT', body: 'photo',
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  },
  'S3 presigned GET': { url: 'https://examplebucket.s3.amazonaws.com/k?X-Amz-Expires=86400', signQuery: true },
};

// ---------------------------------------------------------------------------------------------
// The differential's cases: the same input to both clients gives the same Request.

const CLIENT = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET };
const at = (init = {}) => () => ({ ...init, aws: { datetime: DATETIME, ...init.aws } });
const SAME = {
  'GET with a query and a header': { url: `${API}/prod/pets?type=dog&a=1`, init: at({ headers: { 'x-amz-target': 'T' } }) },
  'GET with a session token': { client: { sessionToken: TOKEN }, url: `${API}/prod/pets`, init: at() },
  'a session token per request, and service and region in the aws options': {
    url: `${API}/prod/pets`, init: at({ aws: { sessionToken: TOKEN, service: 'execute-api', region: 'us-east-1' } }),
  },
  'POST: the default method with a string body': {
    url: `${API}/prod/pets`, init: at({ body: '{"a":1}' }), check: (request) => assert.equal(request.method, 'POST'),
  },
  'a Uint8Array body': { url: `${API}/prod/pets`, init: at({ method: 'PUT', body: new Uint8Array([0, 128, 255]) }) },
  'an ArrayBuffer body': { url: `${API}/prod/pets`, init: at({ method: 'PUT', body: new Uint8Array([9, 8, 7]).buffer }) },
  'a DataView body': { url: `${API}/prod/pets`, init: at({ method: 'PATCH', body: new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2) }) },
  'a URLSearchParams body (aws4fetch: its string)': {
    url: `${API}/prod/pets`, init: at({ body: new URLSearchParams('a=1&b=two words') }),
    theirsInit: at({ body: 'a=1&b=two+words', headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } }),
  },
  'a Blob body (aws4fetch: its string)': {
    url: `${API}/prod/pets`, init: at({ method: 'PUT', body: new Blob(['blob body'], { type: 'text/plain;charset=UTF-8' }) }),
    theirsInit: at({ method: 'PUT', body: 'blob body', headers: { 'content-type': 'text/plain;charset=utf-8' } }),
  },
  'a stream body signed with its x-amz-content-sha256 header': {
    url: 'https://examplebucket.s3.amazonaws.com/stream',
    init: () => ({ method: 'PUT', body: new Blob(['streamed']).stream(), duplex: 'half', headers: { 'x-amz-content-sha256': sha256('streamed') }, aws: { datetime: DATETIME } }),
  },
  'a Request with a body, allHeaders': {
    input: () => new Request(`${API}/prod/pets?x=1`, { method: 'PUT', body: 'from the request', headers: { 'content-type': 'text/plain', 'x-amz-meta-a': '1' } }),
    init: at({ aws: { allHeaders: true } }),
  },
  'a Request without a body': { input: () => new Request(`${API}/prod/pets`, { headers: { 'x-amz-target': 'T' } }), init: at() },
  'a Request whose method and headers init overrides': {
    input: () => new Request(`${API}/prod/pets`, { method: 'DELETE', headers: { 'x-gone': '1' } }), init: at({ method: 'HEAD', headers: { 'x-kept': '2' } }),
  },
  'a URL object': { input: () => new URL(`${API}/prod/pets?type=cat`), init: at() },
  'allHeaders with user-agent and content-type': {
    url: `${API}/prod/pets`, init: at({ body: 'x', headers: { 'user-agent': 'agent/1', 'content-type': 'text/plain' }, aws: { allHeaders: true } }),
  },
  'presigned (signQuery) with X-Amz-Expires and a session token': {
    client: { sessionToken: TOKEN }, url: `${API}/prod/pets?type=dog&X-Amz-Expires=900`, init: at({ aws: { signQuery: true } }),
  },
  'presigned with appendSessionToken': {
    client: { sessionToken: TOKEN }, url: `${API}/prod/pets?X-Amz-Expires=900`, init: at({ aws: { signQuery: true, appendSessionToken: true } }),
  },
  'presigned S3 GET with X-Amz-Expires': { url: 'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Expires=86400', init: at({ aws: { signQuery: true } }) },
  'presigned Request input': { input: () => new Request(`${API}/prod/pets?X-Amz-Expires=60`), init: at({ aws: { signQuery: true } }) },
  'S3 PUT with UNSIGNED-PAYLOAD in the header, and a session token': {
    client: { sessionToken: TOKEN }, url: 'https://examplebucket.s3.amazonaws.com/my%20key', init: at({ method: 'PUT', body: 'x', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
  },
  'singleEncode': { url: `${API}/prod/a%20b/%C3%A9`, init: at({ aws: { singleEncode: true } }) },
};

/** Signs case `c` with our AwsClient and aws4fetch's. */
async function signBoth(AwsClient, c) {
  const input = c.input || (() => c.url);
  const ours = await new AwsClient({ ...CLIENT, ...c.client }).sign(input(), c.init());
  const theirs = await new Aws4fetchClient({ ...CLIENT, ...c.client }).sign(input(), (c.theirsInit || c.init)());
  return { ours, theirs };
}

/** A Request's method, URL (its query sorted), headers and body. */
async function partsOf(request) {
  const url = new URL(request.url);
  const query = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    method: request.method, url: `${url.origin}${url.pathname}`, query, headers: [...request.headers],
    body: Buffer.from(await request.arrayBuffer()).toString('latin1'),
  };
}

// ---------------------------------------------------------------------------------------------

before(startServer);
after(() => new Promise((resolve) => server.close(resolve)));

for (const buildName of BUILD_NAMES) {
  describe(`AwsClient (${buildName} build)`, () => {
    let api;
    before(async () => {
      api = await loadBuild(buildName);
      verifyRequest = verifierOf(api.verify);
    });

    describe("aws4fetch's README examples, unchanged", () => {
      test('aws4fetch is 1.0.20, the version this client follows', () => {
        assert.equal(JSON.parse(readFileSync(join(AWS4FETCH_DIR, 'package.json'), 'utf8')).version, '1.0.20');
      });

      test('the README has the blocks this test runs: 4 with AwsClient, 2 with AwsV4Signer (not provided: README)', () => {
        assert.equal(BLOCKS.filter((b) => b.includes(IMPORT_CLIENT)).length, 4);
        assert.equal(BLOCKS.filter((b) => b.includes("import { AwsV4Signer } from 'aws4fetch'")).length, 2);
        assert.equal(BLOCKS.length, 6);
      });

      test('Example: invokeMyLambda sends the event to Lambda and logs the answer', async () => {
        const example = BLOCKS[0];
        assert.match(example, /invokeMyLambda/);
        const results = await runWithBoth(example, api.AwsClient, { MY_ACCESS_KEY: ACCESS_KEY_ID, MY_SECRET_KEY: SECRET });
        for (const name of ['aws4fetch', 'ours']) {
          const { logged, requests } = results[name];
          assert.equal(requests.length, 1, name);
          const [seen] = requests;
          assert.deepEqual({ verified: seen.verified, code: seen.code }, { verified: true, code: undefined }, `${name}: ${seen.message}`);
          assert.equal(seen.method, 'POST', name);
          assert.equal(seen.url, '/2015-03-31/functions/my-lambda/invocations');
          assert.equal(seen.body, '{"my":"event"}');
          assert.match(seen.headers.authorization, /\/us-east-1\/lambda\/aws4_request, SignedHeaders=host;x-amz-date, /);
          assert.equal(logged[0].body, '{"my":"event"}', 'the example logs the JSON answer');
        }
      });

      test('new AwsClient(options) takes every option the README lists', async () => {
        const block = BLOCKS[1];
        assert.match(block, /initRetryMs/);
        const scope = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN, service: 'execute-api', region: 'us-east-1', cache: new Map(), retries: 3, initRetryMs: 20 };
        let client;
        const Capture = function (options) {
          client = new api.AwsClient(options);
          return client;
        };
        await runBlock(block, Capture, scope);
        assert.deepEqual([client.accessKeyId, client.service, client.region, client.retries, client.initRetryMs], [ACCESS_KEY_ID, 'execute-api', 'us-east-1', 3, 20]);
        assert.equal(client.sessionToken, TOKEN);
        assert.ok(!JSON.stringify(client).includes(SECRET) && !JSON.stringify(client).includes('AQoDYXdz'), 'the secret and the token are not enumerable');
      });

      for (const [blockName, index] of [['aws.fetch(url, init)', 2], ['fetch(await aws.sign(url, init))', 3]]) {
        for (const [caseName, overrides] of Object.entries(README_CASES)) {
          test(`${blockName}: ${caseName}`, async () => {
            const block = BLOCKS[index];
            assert.match(block, index === 2 ? /aws\.fetch\(url/ : /aws\.sign\(url/);
            verifyOptions = overrides.singleEncode ? { pathEncoding: 'single' } : {};
            const results = await runWithBoth(block, api.AwsClient, scopeOf(overrides)).finally(() => (verifyOptions = {}));
            const [theirs] = results.aws4fetch.requests;
            const [ours] = results.ours.requests;
            assert.equal(results.ours.requests.length, 1);
            assert.equal(theirs.verified, true, `aws4fetch's request verifies: ${theirs.message}`);
            assert.equal(ours.verified, true, `ours verifies: ${ours.message}`);
            assert.deepEqual(comparable(ours), comparable(theirs));
            assert.deepEqual(results.ours.logged.map(comparable), results.aws4fetch.logged.map(comparable), 'what each logged');
          });
        }
      }
    });

    describe("sign: the Request aws4fetch's sign resolves to, for the same input and datetime", () => {
      for (const [name, c] of Object.entries(SAME)) {
        test(name, async () => {
          const { ours, theirs } = await signBoth(api.AwsClient, c);
          assert.ok(ours instanceof Request, 'sign resolves to a Request');
          assert.deepEqual(await partsOf(ours), await partsOf(theirs));
          if (c.check) await c.check(ours);
        });
      }
    });

    describe('where the README says AwsClient differs, it does as it says', () => {
      test('content-type is signed by default (aws4fetch never signs it without allHeaders)', async () => {
        const c = { url: `${API}/prod/pets`, init: () => ({ method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, aws: { datetime: DATETIME } }) };
        const { ours, theirs } = await signBoth(api.AwsClient, c);
        assert.match(ours.headers.get('authorization'), /SignedHeaders=content-type;host;x-amz-date,/);
        assert.match(theirs.headers.get('authorization'), /SignedHeaders=host;x-amz-date,/);
        const same = await signBoth(api.AwsClient, { ...c, init: () => ({ ...c.init(), aws: { datetime: DATETIME, allHeaders: true } }) });
        assert.deepEqual(await partsOf(same.ours), await partsOf(same.theirs), 'allHeaders: the same');
      });

      test("S3: the body's SHA-256 is signed (aws4fetch: UNSIGNED-PAYLOAD unless the header says otherwise)", async () => {
        const c = { url: 'https://examplebucket.s3.amazonaws.com/k', init: () => ({ method: 'PUT', body: 'photo', aws: { datetime: DATETIME } }) };
        const { ours, theirs } = await signBoth(api.AwsClient, c);
        assert.equal(ours.headers.get('x-amz-content-sha256'), sha256('photo'));
        assert.equal(theirs.headers.get('x-amz-content-sha256'), 'UNSIGNED-PAYLOAD');
        const unsigned = await signBoth(api.AwsClient, { ...c, init: () => ({ ...c.init(), aws: { datetime: DATETIME, unsignedPayload: true } }) });
        assert.deepEqual(await partsOf(unsigned.ours), await partsOf(unsigned.theirs), 'unsignedPayload: the same');
      });

      test('presigning without X-Amz-Expires: 3600 seconds (aws4fetch: none, or 86400 for S3)', async () => {
        for (const [url, theirsExpires] of [[`${API}/prod/pets`, null], ['https://examplebucket.s3.amazonaws.com/k', '86400']]) {
          const { ours, theirs } = await signBoth(api.AwsClient, { url, init: () => ({ aws: { signQuery: true, datetime: DATETIME } }) });
          assert.equal(new URL(ours.url).searchParams.get('X-Amz-Expires'), '3600', url);
          assert.equal(new URL(theirs.url).searchParams.get('X-Amz-Expires'), theirsExpires, url);
        }
        const given = await signBoth(api.AwsClient, { url: `${API}/prod/pets`, init: () => ({ aws: { signQuery: true, datetime: DATETIME, expiresIn: 60 } }) });
        assert.equal(new URL(given.ours.url).searchParams.get('X-Amz-Expires'), '60', 'aws.expiresIn');
      });

      test('a region the host contradicts: CONFLICTING_REGION (aws4fetch signs for it, and AWS refuses the signature)', async () => {
        const c = { url: `${API}/prod/pets`, init: () => ({ aws: { datetime: DATETIME, region: 'eu-west-1' } }) };
        const theirs = await new Aws4fetchClient(CLIENT).sign(c.url, c.init());
        assert.match(theirs.headers.get('authorization'), /\/eu-west-1\/execute-api\//);
        await assert.rejects(new api.AwsClient(CLIENT).sign(c.url, c.init()), (error) => error instanceof api.SigV4Error && error.code === 'CONFLICTING_REGION');
      });

      test('a host that names no region or service: a SigV4Error (aws4fetch signs for us-east-1 and service "")', async () => {
        const client = new api.AwsClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET });
        await assert.rejects(client.sign(`${baseUrl}/x`), (error) => error instanceof api.SigV4Error && error.code === 'MISSING_REGION');
        await assert.rejects(client.sign(`${baseUrl}/x`, { aws: { region: 'us-east-1' } }), (error) => error.code === 'MISSING_SERVICE');
        const theirs = await new Aws4fetchClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }).sign(`${baseUrl}/x`);
        assert.match(theirs.headers.get('authorization'), /\/us-east-1\/\/aws4_request/);
        const given = await client.sign(`${baseUrl}/x`, { aws: { region: 'us-east-1', service: 'execute-api' } });
        assert.match(given.headers.get('authorization'), /\/us-east-1\/execute-api\/aws4_request/);
      });

      test("a Request's body is read whatever its headers (aws4fetch reads it only with a content-type), and its signal kept", async () => {
        const bytes = new Uint8Array([1, 2, 3]);
        const c = { input: () => new Request(`${API}/prod/pets`, { method: 'PUT', body: bytes }), init: () => ({ aws: { datetime: DATETIME } }) };
        const { ours, theirs } = await signBoth(api.AwsClient, c);
        assert.deepEqual(new Uint8Array(await ours.arrayBuffer()), bytes);
        assert.equal((await theirs.arrayBuffer()).byteLength, 0, 'aws4fetch drops it');
        const signed = await new api.AwsClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET }).signDetails(c.input(), c.init());
        assert.equal(signed.signed.payloadHash, sha256(bytes));
        const abort = new AbortController();
        const withSignal = await new api.AwsClient(CLIENT).sign(new Request(`${API}/prod/pets`, { signal: abort.signal }), { aws: { datetime: DATETIME } });
        abort.abort();
        assert.equal(withSignal.signal.aborted, true, "the Request's signal is kept");
      });

      test('missing credentials: a SigV4Error with a code (aws4fetch: TypeError); retries checked when constructed', () => {
        assert.throws(() => new api.AwsClient({ secretAccessKey: SECRET }), (e) => e instanceof api.SigV4Error && e.code === 'MISSING_ACCESS_KEY_ID');
        assert.throws(() => new api.AwsClient({ accessKeyId: ACCESS_KEY_ID }), (e) => e instanceof api.SigV4Error && e.code === 'MISSING_SECRET_ACCESS_KEY');
        assert.throws(() => new Aws4fetchClient({ secretAccessKey: SECRET }), TypeError);
        for (const retries of [-1, 1.5, '3', NaN]) {
          assert.throws(() => new api.AwsClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, retries }), TypeError, String(retries));
        }
        assert.doesNotThrow(() => new Aws4fetchClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, retries: -1 }), 'aws4fetch fails only in fetch');
      });

      test('URLSearchParams and Blob bodies are signed (aws4fetch refuses them); FormData needs its hash', async () => {
        const client = new Aws4fetchClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET });
        await assert.rejects(client.sign(`${API}/prod/pets`, { body: new URLSearchParams('a=1') }), /body must be a string, ArrayBuffer or ArrayBufferView/);
        const form = new FormData();
        form.set('a', '1');
        const ours = new api.AwsClient(CLIENT);
        await assert.rejects(ours.sign(`${API}/prod/pets`, { body: form }), (e) => e instanceof TypeError && /payloadHash/.test(e.message), 'FormData without x-amz-content-sha256');
        const declared = await ours.sign(`${API}/prod/pets`, { body: form, aws: { payloadHash: 'UNSIGNED-PAYLOAD', datetime: DATETIME } });
        assert.match(await declared.text(), /name="a"/);
      });

      test('signSync and signDetails: fetch\'s two arguments and what was signed', async () => {
        const client = new api.AwsClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN });
        const init = { body: 'hi', headers: { 'x-a': '1' }, keepalive: true, aws: { datetime: DATETIME } };
        const sync = client.signSync(`${API}/prod/pets`, init);
        const later = await client.signDetails(`${API}/prod/pets`, init);
        assert.deepEqual(sync, later);
        assert.equal(sync.init.method, 'POST');
        assert.equal(sync.init.keepalive, true, 'the rest of init is kept');
        assert.equal(sync.init.aws, undefined);
        assert.equal(sync.init.headers.host, undefined, 'fetch sets the host');
        assert.equal(sync.init.headers.authorization, sync.signed.authorization);
        const request = await client.sign(`${API}/prod/pets`, init);
        assert.equal(request.headers.get('authorization'), sync.signed.authorization);
        assert.throws(() => client.signSync(new Request(`${API}/p`, { method: 'POST', body: 'x' })), /signSync cannot read the body of a Request/);
      });
    });

    describe('fetch retries 5xx and 429 with exponential backoff and full jitter', () => {
      let id = 0;
      const flaky = (statuses) => `${baseUrl}/flaky/${buildName}-${++id}/${statuses}`;
      const clientWith = (options) => {
        const waits = [];
        const client = new api.AwsClient({
          accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'execute-api',
          random: () => 0.5, sleep: (ms) => { waits.push(ms); return Promise.resolve(); }, ...options,
        });
        return { client, waits };
      };
      const attempts = (url) => received.filter((seen) => seen.url === new URL(url).pathname);

      test('the defaults are aws4fetch\'s: 10 retries, 50 ms', () => {
        const client = new api.AwsClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET });
        assert.deepEqual([client.retries, client.initRetryMs], [10, 50]);
      });

      test('503, 503, then 200: two retries, each signed anew, after waits of 0.5 x 50 x 2^n ms', async () => {
        const { client, waits } = clientWith();
        const url = flaky('503,503');
        const response = await client.fetch(url);
        assert.equal(response.status, 200);
        assert.deepEqual(waits, [25, 50]);
        const seen = attempts(url);
        assert.equal(seen.length, 3);
        assert.ok(seen.every((s) => s.verified), 'every attempt verifies');
      });

      test('429 then 200, with a POSTed body sent again', async () => {
        const { client, waits } = clientWith({ initRetryMs: 20 });
        const url = flaky('429');
        const response = await client.fetch(new Request(url, { method: 'POST', body: 'again', headers: { 'content-type': 'text/plain' } }));
        assert.equal(response.status, 200);
        assert.deepEqual(waits, [10]);
        assert.deepEqual(attempts(url).map((s) => [s.body, s.verified]), [['again', true], ['again', true]]);
      });

      test('retries: 0 answers the first 503; retries exhausted answer the last 503; a 4xx is not retried', async () => {
        const none = clientWith({ retries: 0 });
        const url0 = flaky('503');
        assert.equal((await none.client.fetch(url0)).status, 503);
        assert.deepEqual([attempts(url0).length, none.waits.length], [1, 0]);
        const two = clientWith({ retries: 2 });
        const url2 = flaky('503,500,502,503');
        assert.equal((await two.client.fetch(url2)).status, 502);
        assert.deepEqual([attempts(url2).length, two.waits], [3, [25, 50]]);
        const once = clientWith();
        const url4 = flaky('404');
        assert.equal((await once.client.fetch(url4)).status, 404);
        assert.equal(attempts(url4).length, 1);
      });

      test('as many attempts as aws4fetch makes for the same answers', async () => {
        for (const statuses of ['503,503', '429,500', '503,503,503,503']) {
          const ours = clientWith({ retries: 3 });
          const theirs = new Aws4fetchClient({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, region: 'us-east-1', service: 'execute-api', retries: 3, initRetryMs: 1 });
          const [a, b] = [flaky(statuses), flaky(statuses)];
          const [x, y] = [await ours.client.fetch(a), await theirs.fetch(b)];
          assert.deepEqual([x.status, attempts(a).length], [y.status, attempts(b).length], statuses);
        }
      });

      test('the fetch option sends, and the global fetch is read when fetch is called', async () => {
        const sent = [];
        const { client } = clientWith({ fetch: (request) => { sent.push(request); return realFetch(request); } });
        assert.equal((await client.fetch(flaky('503'))).status, 200);
        assert.equal(sent.length, 2);
        assert.ok(sent[0] instanceof Request);
        const plain = clientWith().client;
        let called = 0;
        globalThis.fetch = (request) => { called++; return realFetch(request); };
        try {
          assert.equal((await plain.fetch(flaky(''))).status, 200);
        } finally {
          globalThis.fetch = realFetch;
        }
        assert.equal(called, 1);
      });
    });
  });
}
