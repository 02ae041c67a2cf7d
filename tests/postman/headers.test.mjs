// What the pre-request script signs, checked against what Postman really sends: requests go
// to an echo server that records them as they arrive, and each one must verify (sigv4-wasm's
// verify over the received method, target, headers and body) with exactly the expected
// SignedHeaders, never one of the headers Postman adds after the script. On both sandboxes.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { verify } from 'sigv4-wasm/verify';
import { COLLECTION, runCollection, startEcho, pairsOf, headerOf, signedHeadersOf, problems, postmanRuntime } from './helpers.mjs';

const KEY = { accessKeyId: 'AKIAPOSTMANECHO00001', secretAccessKey: 'echo/secret/KEY+0123456789abcdefghijklmno', sessionToken: 'FwoGZXIvYXdzEXAMPLE/token+with=chars' };
/** Added by Postman after the pre-request script (postman-runtime requester/core.js, postman-request). */
const POSTMAN_ADDED = ['user-agent', 'postman-token', 'accept', 'accept-encoding', 'connection', 'cache-control', 'content-length', 'content-type', 'cookie'];
const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

function collectionOf(items) {
  const base = COLLECTION();
  return { info: { name: 'sigv4 echo', schema: SCHEMA }, auth: { type: 'noauth' }, event: base.event, item: items };
}
const url = (raw, query) => (query ? { raw, host: ['{{echo_url}}'], path: raw.split('?')[0].replace('{{echo_url}}/', '').split('/'), query } : raw);

/** Items signed for execute-api, each with the exact SignedHeaders it must get. */
const SERVICE_ITEMS = [
  {
    name: 'GET: variables, spaces, UTF-8 and reserved characters in path and query, a disabled param, a disabled header, a repeated header',
    signed: 'accept;host;x-amz-date;x-amz-security-token;x-custom;x-empty;x-multi',
    request: {
      method: 'GET',
      header: [
        { key: 'X-Custom', value: '{{id}}' },
        { key: 'X-Off', value: 'not sent', disabled: true },
        { key: 'Accept', value: 'application/json' },
        { key: 'X-Multi', value: 'a' },
        { key: 'X-Multi', value: ' b  c ' },
        { key: 'X-Empty', value: '' },
      ],
      url: url("{{echo_url}}/{{stage}}/items/{{id}}/a b/ü'x|y/~(1)!*?b=2&a=1&q={{name}}&empty=&flag&plus=a+b&d=1", [
        { key: 'b', value: '2' }, { key: 'a', value: '1' }, { key: 'q', value: '{{name}}' }, { key: 'empty', value: '' },
        { key: 'flag', value: null }, { key: 'plus', value: 'a+b' }, { key: 'd', value: '1', disabled: true },
      ]),
    },
  },
  {
    name: 'GET: a path variable, dot segments and a double slash',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: { method: 'GET', header: [], url: { raw: '{{echo_url}}/pets/:petId/../x//y', host: ['{{echo_url}}'], path: ['pets', ':petId', '..', 'x', '', 'y'], variable: [{ key: 'petId', value: '{{id}}' }] } },
  },
  {
    name: 'POST raw JSON with {{$guid}} and no Content-Type (Postman adds application/json)',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: { method: 'POST', header: [], body: { mode: 'raw', raw: '{"id": "{{$guid}}", "at": {{$timestamp}}, "name": "{{name}}", "ü": "✓"}', options: { raw: { language: 'json' } } }, url: '{{echo_url}}/raw?n={{$randomInt}}' },
  },
  {
    name: 'PUT raw text with a user Content-Type',
    signed: 'content-type;host;x-amz-date;x-amz-security-token',
    request: { method: 'PUT', header: [{ key: 'Content-Type', value: 'text/plain; charset=utf-8' }], body: { mode: 'raw', raw: 'line 1\r\nline 2 {{name}}\n' }, url: '{{echo_url}}/text' },
  },
  {
    name: 'POST urlencoded: UTF-8, reserved characters, repeated and numeric keys, a disabled param, a variable',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: {
      method: 'POST',
      header: [],
      body: { mode: 'urlencoded', urlencoded: [
        { key: 'Zoë & co', value: "a+b=c !'()*~-._" }, { key: 'k', value: '1' }, { key: '10', value: 'ten' },
        { key: 'k', value: '{{id}}' }, { key: '2', value: 'two' }, { key: 'off', value: 'x', disabled: true }, { key: 'empty', value: '' },
      ] },
      url: '{{echo_url}}/form',
    },
  },
  {
    name: 'POST urlencoded with a Content-Type Postman replaces (not signed)',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: { method: 'POST', header: [{ key: 'Content-Type', value: 'text/plain' }], body: { mode: 'urlencoded', urlencoded: [{ key: 'Action', value: 'Test' }] }, url: '{{echo_url}}/form2' },
  },
  {
    name: 'POST urlencoded with its own Content-Type (signed)',
    signed: 'content-type;host;x-amz-date;x-amz-security-token',
    request: { method: 'POST', header: [{ key: 'Content-Type', value: 'application/x-www-form-urlencoded; charset=utf-8' }], body: { mode: 'urlencoded', urlencoded: [{ key: 'Action', value: 'GetCallerIdentity' }, { key: 'Version', value: '2011-06-15' }] }, url: '{{echo_url}}/form3' },
  },
  {
    name: 'POST GraphQL with variables',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: { method: 'POST', header: [], body: { mode: 'graphql', graphql: { query: 'query Pet($id: ID!) { pet(id: $id) { name } }', variables: '{"id": "{{id}}"}' } }, url: '{{echo_url}}/graphql' },
  },
  {
    name: 'GET with a body: Postman drops it',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: { method: 'GET', header: [], body: { mode: 'raw', raw: 'not sent' }, url: '{{echo_url}}/get-with-body' },
  },
  {
    name: 'DELETE, a user User-Agent and Cookie (unsigned by default), a Host header set by the user',
    signed: 'host;x-amz-date;x-amz-security-token',
    request: { method: 'DELETE', header: [{ key: 'User-Agent', value: 'MyClient/1.0' }, { key: 'Cookie', value: 'a=1' }, { key: 'Host', value: 'api.example.internal:8443' }], url: '{{echo_url}}/things/{{id}}' },
  },
  {
    name: 'GET an internationalized, upper-case *.localhost host: signed as Postman sends it (lower case, punycode)',
    signed: 'host;x-amz-date;x-amz-security-token',
    host: new RegExp(`^${domainToASCII('api.ünïcøde.localhost').replace(/\./g, '\\.')}:\\d+$`),
    request: { method: 'GET', header: [], url: 'http://API.Ünïcøde.localhost:{{echo_port}}/idn' },
  },
  {
    name: 'Presigned GET (X-Amz-Expires in the URL)',
    signed: 'host',
    presigned: true,
    request: { method: 'GET', header: [], url: url('{{echo_url}}/presign/me?x=1&X-Amz-Expires=60', [{ key: 'x', value: '1' }, { key: 'X-Amz-Expires', value: '60' }]) },
  },
  {
    name: 'POST form-data (stops: not S3)',
    stops: /cannot sign the form-data body of "POST form-data \(stops: not S3\)" for service 'execute-api'.*only S3 accepts UNSIGNED-PAYLOAD\. Send the body as raw/,
    request: { method: 'POST', header: [], body: { mode: 'formdata', formdata: [{ key: 'a', value: 'b', type: 'text' }] }, url: '{{echo_url}}/formdata' },
  },
  {
    name: 'PUT a file (stops: not S3)',
    stops: /cannot sign the file body of "PUT a file \(stops: not S3\)" for service 'execute-api': a script cannot read the file/,
    request: { method: 'PUT', header: [], body: { mode: 'file', file: { src: 'upload.bin' } }, url: '{{echo_url}}/file' },
  },
];

/** Items signed for S3: payload hashes S3 accepts, keys with reserved characters. */
const S3_ITEMS = [
  {
    name: 'S3 PUT form-data: UNSIGNED-PAYLOAD',
    signed: 'host;x-amz-content-sha256;x-amz-date',
    unsigned: true,
    request: { method: 'POST', header: [], body: { mode: 'formdata', formdata: [{ key: 'key', value: 'x', type: 'text' }, { key: 'file', type: 'file', src: 'upload.bin' }] }, url: '{{echo_url}}/bucket' },
  },
  {
    name: 'S3 PUT a file: UNSIGNED-PAYLOAD',
    signed: 'host;x-amz-content-sha256;x-amz-date',
    unsigned: true,
    request: { method: 'PUT', header: [], body: { mode: 'file', file: { src: 'upload.bin' } }, url: '{{echo_url}}/bucket/file.bin' },
  },
  {
    name: 'S3 PUT raw with X-Amz-Content-Sha256: UNSIGNED-PAYLOAD set on the request',
    signed: 'content-type;host;x-amz-content-sha256;x-amz-date',
    unsigned: true,
    request: { method: 'PUT', header: [{ key: 'X-Amz-Content-Sha256', value: 'UNSIGNED-PAYLOAD' }, { key: 'Content-Type', value: 'text/plain' }], body: { mode: 'raw', raw: 'hello' }, url: "{{echo_url}}/bucket/my folder/a&b=c (1)!$'*,;:@%2B.txt" },
  },
  {
    name: 'S3 PUT raw: payload hash in x-amz-content-sha256',
    signed: 'host;x-amz-content-sha256;x-amz-date',
    request: { method: 'PUT', header: [], body: { mode: 'raw', raw: 'ünïcödé ✓' }, url: '{{echo_url}}/bucket/a b.txt' },
  },
];

function verifyReceived(record, { service }) {
  const host = headerOf(record, 'host');
  return verify(
    { method: record.method, url: `http://${host}${record.target}`, headers: pairsOf(record), body: record.body },
    { region: 'us-east-1', service, lookup: (id) => (id === KEY.accessKeyId ? { secretAccessKey: KEY.secretAccessKey, sessionToken: service === 's3' ? undefined : KEY.sessionToken } : null) },
  );
}

for (const runtime of ['stock', 'latest']) {
  describe(`signed headers and bodies as Postman sends them (${runtime}: ${Object.values(postmanRuntime(runtime).versions).join(', ')})`, () => {
    let echo;
    let workingDir;
    before(async () => {
      echo = await startEcho();
      workingDir = mkdtempSync(join(tmpdir(), 'sigv4-postman-'));
      writeFileSync(join(workingDir, 'upload.bin'), Buffer.from([0, 1, 2, 255, 254, 10, 13]));
    });
    after(async () => {
      await echo.stop();
      rmSync(workingDir, { recursive: true, force: true });
    });

    test('execute-api: every request verifies as received, with exactly the expected SignedHeaders; form-data and files stop with what to do', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf(SERVICE_ITEMS.map(({ name, request }) => ({ name, request }))),
        workingDir,
        values: { echo_url: echo.url, echo_port: String(echo.port), stage: 'prod', id: '42', name: 'Zoë & co', aws_service: 'execute-api',
          aws_access_key_id: KEY.accessKeyId, aws_secret_access_key: KEY.secretAccessKey, aws_session_token: KEY.sessionToken, sigv4_log: 'true' },
      });
      const received = echo.received.splice(0);
      const sent = SERVICE_ITEMS.filter((item) => !item.stops);
      assert.equal(received.length, sent.length, `requests that reached the server: ${received.map((r) => r.target).join(', ')}`);
      sent.forEach((item, i) => {
        const record = received[i];
        const signedHeaders = signedHeadersOf(record);
        assert.equal(signedHeaders.join(';'), item.signed, item.name);
        for (const name of POSTMAN_ADDED) {
          const userSet = (item.request.header || []).some((h) => !h.disabled && h.key.toLowerCase() === name);
          if (!userSet || ['user-agent', 'cookie'].includes(name)) assert.ok(!signedHeaders.includes(name), `${item.name}: ${name} is signed`);
        }
        assert.ok(headerOf(record, 'postman-token'), 'Postman added its token after the script');
        let verified;
        assert.doesNotThrow(() => { verified = verifyReceived(record, { service: 'execute-api' }); }, item.name);
        assert.equal(verified.signedHeaders.join(';'), item.signed);
        if (item.host) assert.match(headerOf(record, 'host'), item.host);
      });
      // The disabled header and the pruned GET body did not go out; the Host the user set did, signed.
      assert.equal(headerOf(received[0], 'x-off'), undefined);
      assert.equal(received[8].body.length, 0);
      assert.equal(headerOf(received[9], 'host'), 'api.example.internal:8443');
      assert.equal(received[9].target, '/things/42');
      // The stops: a failed test with the message, the request not sent.
      for (const item of SERVICE_ITEMS.filter((i) => i.stops)) {
        assert.ok(run.failures.some((f) => item.stops.test(f.error && f.error.message)), `${item.name}: ${problems(run).join('\n')}`);
        assert.ok(run.console.some((c) => c.level === 'error' && item.stops.test(c.text)), `${item.name}: console`);
      }
      assert.equal(run.failures.length, 2, problems(run).join('\n'));
      // The log: canonical requests with the session token redacted; the secret never appears.
      const log = run.console.map((c) => c.text).join('\n');
      assert.match(log, /sigv4: canonical request\nGET\n\/prod\/items\/42\/a%2520b\//);
      assert.match(log, /x-amz-security-token:\*\* redacted \*\*/);
      assert.match(log, /sigv4: string to sign\nAWS4-HMAC-SHA256\n\d{8}T\d{6}Z\n\d{8}\/us-east-1\/execute-api\/aws4_request\n[0-9a-f]{64}/);
      assert.ok(!log.includes(KEY.secretAccessKey), 'the secret is never logged');
      const tokenLines = log.split('\n').filter((line) => line.includes(KEY.sessionToken) || line.includes(encodeURIComponent(KEY.sessionToken)));
      assert.ok(tokenLines.every((line) => line.includes('X-Amz-Signature=')), `the token appears only in the presigned URL: ${tokenLines.join('\n')}`);
      // The presigned URL went to the variable and the console.
      assert.match(run.collectionVariables.sigv4_presigned_url, /^http:\/\/127\.0\.0\.1:\d+\/presign\/me\?x=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Expires=60&.*X-Amz-Signature=[0-9a-f]{64}$/);
      assert.ok(log.includes(`presigned URL (valid 60 s, in the variable sigv4_presigned_url):\n${run.collectionVariables.sigv4_presigned_url}`));
    });

    test('S3: UNSIGNED-PAYLOAD for form-data, files and on request; the body hash otherwise', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf(S3_ITEMS.map(({ name, request }) => ({ name, request }))),
        workingDir,
        values: { echo_url: echo.url, aws_service: 's3', aws_access_key_id: KEY.accessKeyId, aws_secret_access_key: KEY.secretAccessKey },
      });
      assert.deepEqual(problems(run), []);
      const received = echo.received.splice(0);
      assert.equal(received.length, S3_ITEMS.length);
      S3_ITEMS.forEach((item, i) => {
        const record = received[i];
        assert.equal(signedHeadersOf(record).join(';'), item.signed, item.name);
        const hash = headerOf(record, 'x-amz-content-sha256');
        if (item.unsigned) assert.equal(hash, 'UNSIGNED-PAYLOAD', item.name);
        else assert.match(hash, /^[0-9a-f]{64}$/);
        assert.doesNotThrow(() => verifyReceived(record, { service: 's3' }), item.name);
      });
      assert.equal(received[1].body.toString('hex'), '000102fffe0a0d', 'the file went out as it is');
      assert.equal(received[2].target, "/bucket/my%20folder/a&b=c%20(1)!$'*,;:@%2B.txt");
    });

    test('sigv4_sign_headers signs a User-Agent the request sets; sigv4_unsigned_headers leaves one out', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([{ name: 'ua', request: { method: 'GET', header: [{ key: 'User-Agent', value: 'MyClient/1.0' }, { key: 'X-Trace', value: 't-1' }, { key: 'X-Keep', value: 'k' }], url: '{{echo_url}}/ua' } }]),
        values: { echo_url: echo.url, aws_service: 'execute-api', aws_access_key_id: KEY.accessKeyId, aws_secret_access_key: KEY.secretAccessKey, aws_session_token: KEY.sessionToken,
          sigv4_sign_headers: 'User-Agent', sigv4_unsigned_headers: 'x-trace' },
      });
      assert.deepEqual(problems(run), []);
      const [record] = echo.received.splice(0);
      assert.equal(signedHeadersOf(record).join(';'), 'host;user-agent;x-amz-date;x-amz-security-token;x-keep');
      assert.equal(headerOf(record, 'user-agent'), 'MyClient/1.0');
      assert.doesNotThrow(() => verifyReceived(record, { service: 'execute-api' }));
    });

    test('sigv4_presign presigns every request for sigv4_expires_in seconds, into sigv4_presigned_url_variable', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([{ name: 'presign all', request: { method: 'POST', header: [], body: { mode: 'raw', raw: '{"a": 1}' }, url: '{{echo_url}}/all?z=1' } }]),
        values: { echo_url: echo.url, aws_service: 'execute-api', aws_access_key_id: KEY.accessKeyId, aws_secret_access_key: KEY.secretAccessKey,
          aws_session_token: KEY.sessionToken, sigv4_presign: 'true', sigv4_expires_in: '120', sigv4_presigned_url_variable: 'my_url' },
      });
      assert.deepEqual(problems(run), []);
      const [record] = echo.received.splice(0);
      assert.match(record.target, /^\/all\?z=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&.*&X-Amz-Expires=120&.*X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/);
      assert.equal(headerOf(record, 'authorization'), undefined);
      assert.equal(`${echo.url}${record.target}`, run.collectionVariables.my_url);
      assert.equal(verifyReceived(record, { service: 'execute-api' }).expiresIn, 120);
    });

    test('a signer error about an option names the variable it came from, and nothing is sent', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([
          { name: 'too long', request: { method: 'GET', header: [], url: '{{echo_url}}/a' } },
          { name: 'bad date', request: { method: 'GET', header: [], url: '{{echo_url}}/b' } },
          { name: 'in the URL', request: { method: 'GET', header: [], url: '{{echo_url}}/c?X-Amz-Expires=0' } },
        ]),
        values: { echo_url: echo.url, aws_region: 'us-east-1', aws_service: 'execute-api', aws_access_key_id: KEY.accessKeyId, aws_secret_access_key: KEY.secretAccessKey,
          'sigv4_presign@too long': 'true', 'sigv4_expires_in@too long': '999999', 'sigv4_datetime@bad date': 'yesterday' },
      });
      assert.equal(echo.received.splice(0).length, 0, 'nothing was sent');
      const messages = run.failures.map((f) => f.error.message);
      assert.equal(messages.length, 3, messages.join('\n'));
      assert.match(messages[0], /EXPIRES_OUT_OF_RANGE: .*not 999999.* \(set by sigv4_expires_in@too long\)$/);
      assert.match(messages[1], /INVALID_DATE: 'yesterday' is not a date .* \(set by sigv4_datetime@bad date\)$/);
      assert.match(messages[2], /EXPIRES_OUT_OF_RANGE: .* \(set by the URL's X-Amz-Expires\)$/);
    });

    test("requests with their own authorization are left alone, Postman's own AWS Signature included; inherited auth gives way to the signature", async () => {
      const bearerFolder = { type: 'bearer', bearer: [{ key: 'token', value: 'folder-token' }] };
      const run = await runCollection({
        runtime,
        collection: collectionOf([
          { name: 'bearer', request: { auth: { type: 'bearer', bearer: [{ key: 'token', value: 'tok' }] }, method: 'GET', header: [], url: '{{echo_url}}/bearer' } },
          { name: 'own header', request: { method: 'GET', header: [{ key: 'Authorization', value: 'Basic dXNlcjpwYXNz' }], url: '{{echo_url}}/basic' } },
          { name: 'awsv4', request: { auth: { type: 'awsv4', awsv4: [{ key: 'accessKey', value: 'AKIDBUILTIN' }, { key: 'secretKey', value: 'x' }, { key: 'service', value: 'execute-api' }] }, method: 'GET', header: [], url: '{{echo_url}}/awsv4' } },
          { name: 'Bearer folder', auth: bearerFolder, item: [{ name: 'inherits bearer', request: { method: 'GET', header: [], url: '{{echo_url}}/inherited' } }] },
          { name: 'Bearer folder, not signed', auth: bearerFolder, item: [{ name: 'inherits bearer, disabled', request: { method: 'GET', header: [], url: '{{echo_url}}/inherited-off' } }] },
        ]),
        values: { echo_url: echo.url, aws_service: 'execute-api', aws_access_key_id: KEY.accessKeyId, aws_secret_access_key: KEY.secretAccessKey,
          aws_session_token: KEY.sessionToken, 'sigv4_disabled@Bearer folder, not signed': 'true' },
      });
      assert.deepEqual(problems(run), []);
      const received = echo.received.splice(0);
      const authorization = (r) => (headerOf(r, 'authorization') || '').replace(/Signature=[0-9a-f]{64}/, 'Signature=…').replace(/\d{8}\//, 'DATE/');
      assert.deepEqual(received.map((r) => [r.target, authorization(r).split(',')[0], headerOf(r, 'x-amz-security-token')]), [
        ['/bearer', 'Bearer tok', undefined],
        ['/basic', 'Basic dXNlcjpwYXNz', undefined],
        ['/awsv4', 'AWS4-HMAC-SHA256 Credential=AKIDBUILTIN/DATE/us-east-1/execute-api/aws4_request', undefined],
        ['/inherited', `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/DATE/us-east-1/execute-api/aws4_request`, KEY.sessionToken],
        ['/inherited-off', 'Bearer folder-token', undefined],
      ]);
      assert.doesNotThrow(() => verifyReceived(received[3], { service: 'execute-api' }), 'the inherited request carries the signature alone');
      const info = run.console.filter((c) => c.level === 'info').map((c) => c.text);
      assert.ok(info.some((t) => /not signing "bearer": it uses Postman's "bearer" authorization/.test(t)));
      assert.ok(info.some((t) => /not signing "awsv4": it uses Postman's own "AWS Signature" authorization, which signs it instead/.test(t)));
      assert.ok(info.some((t) => /signed "inherits bearer" and set its Authorization from "Inherit" to "No Auth" for this send: a script cannot see what it inherits/.test(t)));
      assert.ok(info.some((t) => /not signing "inherits bearer, disabled": sigv4_disabled@Bearer folder, not signed is true/.test(t)));
    });

    test('clear stops: no region or service for a host that names none; no credentials', async () => {
      const run = await runCollection({
        runtime,
        collection: collectionOf([{ name: 'no scope', request: { method: 'GET', header: [], url: '{{echo_url}}/x' } }, { name: 'no key', request: { method: 'GET', header: [], url: 'https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15' } }]),
        values: { echo_url: echo.url, aws_region: '', aws_service: '', aws_access_key_id: '', aws_secret_access_key: '' },
      });
      assert.equal(echo.received.splice(0).length, 0, 'nothing was sent');
      const messages = run.failures.map((f) => f.error.message);
      assert.match(messages[0], /cannot tell the region and service to sign for: the host 127\.0\.0\.1:\d+ names none\. Set the variables aws_region and aws_service/);
      assert.match(messages[1], /set the variables aws_access_key_id and aws_secret_access_key/);
    });
  });
}
