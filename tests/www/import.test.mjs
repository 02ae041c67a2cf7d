// Importing a request signed elsewhere (curl, raw HTTP, HAR, URL) and the server's canonical
// request into the form, and comparing signatures: www/lib/import.mjs with the package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sigv4 from 'sigv4-wasm';
import { AwsClient } from 'aws4fetch';
import { canonicalToForm, compareSignatures, importedToForm, MAX_HEADERS, parseAuthorization, parseImport, shellWords } from '../../www/lib/import.mjs';
import { signSteps } from '../../www/lib/signing.mjs';
import { curlSnippet } from '../../www/lib/snippets.mjs';

const KEY = { accessKeyId: 'AKIAIMPORTEXAMPLE001', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYIMPORTKEY' };
const BASE_FORM = { method: 'GET', url: '', headers: '', body: '', ...KEY, sessionToken: '', region: '', service: '', location: 'headers', expiresIn: '3600', datetime: '', s3: false, unsignedPayload: false, unencodedPath: false, signedHeaders: '' };

/** Imports `text`, fills a form with it (and the secret), signs it here and compares. */
function importAndCompare(text, secret = KEY.secretAccessKey) {
  const imported = parseImport(text);
  assert.ok(imported.ok, imported.error);
  const { form, notes } = importedToForm(imported);
  const result = signSteps(sigv4, { ...BASE_FORM, ...form, secretAccessKey: secret });
  assert.ok(result.ok, JSON.stringify(result.error));
  const ours = { accessKeyId: form.accessKeyId, credentialScope: result.signed.credentialScope, signedHeaders: result.signed.signedHeaders, signature: result.signed.signature, datetime: result.signed.datetime };
  return { imported, form, notes, result, compared: compareSignatures(imported.authorization, ours) };
}

function signedHere(formPart) {
  const result = signSteps(sigv4, { ...BASE_FORM, ...formPart });
  assert.ok(result.ok, JSON.stringify(result.error));
  return result;
}

test('shell words: quotes, $\'…\', escapes and continuations as bash reads them', () => {
  assert.deepEqual(shellWords(`curl 'a b' "c \\"d\\" \\$e" $'f\\ng\\x41' h\\ i \\\n  j`).words, ['curl', 'a b', 'c "d" $e', 'f\ngA', 'h i', 'j']);
  assert.equal(shellWords("curl 'open").words, null);
  assert.equal(shellWords('curl "open').words, null);
});

test('curl: the page\'s own curl snippet imports back and signs to the same signature', () => {
  const result = signedHere({ method: 'POST', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets?b=2&a=1', headers: 'Content-Type: application/json\nX-Demo: one', body: '{"type":"dog"}', datetime: '20261123T101500Z' });
  const { compared, form } = importAndCompare(curlSnippet(result.send));
  assert.equal(form.method, 'POST');
  assert.equal(form.region, 'eu-west-1');
  assert.equal(form.service, 'execute-api');
  assert.equal(form.datetime, '20261123T101500Z');
  assert.deepEqual(compared, { same: true, differences: [] });
});

test('curl: a wrong secret is named as "only the signature differs"', () => {
  const result = signedHere({ url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets', datetime: '20261123T101500Z' });
  const { compared } = importAndCompare(curlSnippet(result.send), `${KEY.secretAccessKey} `);
  assert.deepEqual(compared.differences.map((d) => d.field), ['signature']);
  assert.match(compared.differences[0].text, /secret access key/);
});

test('curl as a browser copies it: -X, -H, --data-raw, --compressed, $\'…\' bodies; unsigned headers left out and named', () => {
  const signed = sigv4.sign({ method: 'PUT', url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets/1', headers: { 'content-type': 'application/json' }, body: "{\"it's\":1}" }, { ...KEY, datetime: '20261123T101500Z' });
  const text = [
    `curl 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets/1' \\`,
    '  -X PUT \\',
    `  -H 'accept: */*' \\`,
    `  -H 'content-type: application/json' \\`,
    `  -H 'x-amz-date: ${signed.headers['x-amz-date']}' \\`,
    `  -H 'authorization: ${signed.headers.authorization}' \\`,
    `  -H 'user-agent: Mozilla/5.0' \\`,
    `  --data-raw $'{"it\\'s":1}' \\`,
    '  --compressed',
  ].join('\n');
  const { compared, notes, form } = importAndCompare(text);
  assert.deepEqual(compared.differences, []);
  assert.match(notes.join(' '), /left out here: accept, user-agent/);
  assert.equal(form.body, "{\"it's\":1}");
});

test('curl: -XPOST, --url=, -d joined with & and its form content type, -G moves data to the query, -I is HEAD', () => {
  let r = parseImport("curl -XPOST --url=http://127.0.0.1:9/test -d a=1 -d 'b=2'");
  assert.equal(r.method, 'POST');
  assert.equal(r.url, 'http://127.0.0.1:9/test');
  assert.equal(r.body, 'a=1&b=2');
  assert.deepEqual(r.headers, [['Content-Type', 'application/x-www-form-urlencoded']]);
  r = parseImport('curl -G https://h.example/p -d x=1');
  assert.equal(r.method, 'GET');
  assert.equal(r.url, 'https://h.example/p?x=1');
  assert.equal(parseImport('curl -I https://h.example/').method, 'HEAD');
  r = parseImport(`curl --aws-sigv4 'aws:amz:eu-west-1:es' --user "$K:$S" https://search.example/_search`);
  assert.equal(importedToForm(r).form.region, 'eu-west-1');
  assert.equal(importedToForm(r).form.service, 'es');
});

test('raw HTTP: request line, Host, folded header lines joined; HTTP/2 pseudo-headers; same signature as aws4fetch\'s', async () => {
  const aws = new AwsClient({ ...KEY, region: 'us-east-1', service: 'execute-api' });
  const request = await aws.sign('http://127.0.0.1:8080/test/pets?type=dog&page=2', { method: 'GET', headers: { 'X-Trace': 'a   b' }, aws: { datetime: '20261123T101500Z', allHeaders: true } });
  const lines = [`GET /test/pets?type=dog&page=2 HTTP/1.1`, 'Host: 127.0.0.1:8080'];
  request.headers.forEach((value, name) => lines.push(`${name}: ${value}`));
  lines.push('Accept-Encoding: gzip', '', '');
  const { compared, form } = importAndCompare(lines.join('\r\n'));
  assert.equal(form.url, 'http://127.0.0.1:8080/test/pets?type=dog&page=2');
  assert.deepEqual(compared.differences, [], JSON.stringify(compared));
  const folded = parseImport('POST /p HTTP/1.1\nHost: h.example\nX-Long: one\n  two\n\nbody');
  assert.deepEqual(folded.headers, [['Host', 'h.example'], ['X-Long', 'one two']]);
  assert.equal(folded.body, 'body');
  assert.equal(folded.url, 'https://h.example/p');
  const h2 = parseImport(':method: GET\n:authority: abc.execute-api.us-east-1.amazonaws.com\n:scheme: https\n:path: /prod/pets\nx-amz-date: 20261123T101500Z');
  assert.equal(h2.url, 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets');
  assert.equal(parseImport('not http at all').ok, false);
  assert.match(parseImport('GET /p HTTP/1.1\nAccept: x').error, /Host/);
});

test('HAR: the first signed entry of a file; differences in region and signed headers named', () => {
  const signed = sigv4.sign({ method: 'GET', url: 'https://abc123.execute-api.us-east-1.amazonaws.com/prod/pets', headers: { 'x-demo': '1' } }, { ...KEY, datetime: '20261123T101500Z' });
  const har = { log: { entries: [
    { request: { method: 'GET', url: 'https://example.com/', headers: [{ name: 'accept', value: '*/*' }] } },
    { request: { method: 'GET', url: signed.url, headers: [{ name: ':authority', value: 'x' }, ...Object.entries(signed.headers).map(([name, value]) => ({ name, value }))] } },
  ] } };
  const { compared, imported } = importAndCompare(JSON.stringify(har));
  assert.equal(imported.kind, 'har');
  assert.deepEqual(compared.differences, []);
  assert.match(imported.notes.join(' '), /2 entries: read the first signed one/);
  // The same signature against a form signed for another region and with one header more.
  const other = compareSignatures(imported.authorization, { accessKeyId: KEY.accessKeyId, credentialScope: '20261123/eu-west-1/execute-api/aws4_request', signedHeaders: 'host;x-amz-date;x-demo;x-more', signature: '0'.repeat(64), datetime: '20261123T101500Z' });
  assert.deepEqual(other.differences.map((d) => d.field), ['region', 'signed headers', 'signature']);
  assert.match(other.differences[1].text, /x-more/);
});

test('a presigned URL: its parameters become the form\'s expiry, time and key, and it re-signs to the same URL signature', () => {
  const url = sigv4.presign({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', datetime: '20130524T000000Z', expiresIn: 86400 }).url;
  const imported = parseImport(url);
  const { form } = importedToForm(imported);
  assert.equal(form.url, 'https://examplebucket.s3.amazonaws.com/test.txt');
  assert.equal(form.location, 'query');
  assert.equal(form.expiresIn, '86400');
  const result = signSteps(sigv4, { ...BASE_FORM, ...form, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' });
  assert.equal(result.signed.signature, 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  assert.equal(imported.authorization.signature, result.signed.signature);
});

test('Authorization parsing: scope, list, signature; not SigV4 is null', () => {
  assert.deepEqual(parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request,SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79'), {
    algorithm: 'AWS4-HMAC-SHA256', accessKeyId: 'AKID', date: '20150830', region: 'us-east-1', service: 'iam', terminator: 'aws4_request', signedHeaders: ['content-type', 'host', 'x-amz-date'], signature: '5d672d79',
  });
  assert.equal(parseAuthorization('Bearer abc'), null);
});

test('the server\'s canonical request loads into a form that signs to exactly that canonical request', () => {
  for (const [formPart, what] of [
    [{ method: 'POST', url: 'http://127.0.0.1:8080/test/pets/a%20b?z=1&a=%2B', headers: 'Content-Type: application/json\nX-Demo:  a   b ', body: '{"type":"dog"}', region: 'us-east-1', service: 'execute-api', datetime: '20261123T101500Z' }, 'API Gateway, a space in the path'],
    [{ method: 'PUT', url: 'https://examplebucket.s3.us-east-1.amazonaws.com/my%20folder/a%2Bb.txt', headers: 'X-Amz-Meta-Note: hi', body: 'x', datetime: '20261123T101500Z' }, 'S3, encoded once'],
  ]) {
    const server = signedHere(formPart);
    const loaded = canonicalToForm(server.signed.canonicalRequest, { stringToSign: server.signed.stringToSign, baseUrl: formPart.url });
    assert.ok(loaded.ok, loaded.error);
    // A different starting form: everything but the key and body comes from the canonical request.
    const again = signedHere({ url: 'http://elsewhere.example/x', headers: 'X-Other: 1', body: formPart.body, ...loaded.form });
    assert.equal(again.signed.canonicalRequest, server.signed.canonicalRequest, what);
    assert.equal(again.signed.stringToSign, server.signed.stringToSign, what);
  }
});

test('the canonical request\'s signed-header list is kept: a header the form has but the server did not sign is left out', () => {
  const canonical = 'GET\n/test/pets\n\nhost:127.0.0.1:8080\nx-amz-date:20261123T101500Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const loaded = canonicalToForm(canonical, { baseUrl: 'http://127.0.0.1:8080/' });
  assert.equal(loaded.form.signedHeaders, 'host;x-amz-date');
  const again = signedHere({ ...loaded.form, headers: 'X-Added-Later: 1', region: 'us-east-1', service: 'execute-api' });
  assert.equal(again.signed.canonicalRequest, canonical);
  assert.equal(canonicalToForm('GET\n/p', {}).ok, false);
});

test('hostile pastes: linear time, bounded output', () => {
  const cases = {
    'a megabyte of -H': `curl https://h.example/ ${"-H 'a: b' ".repeat(120000)}`,
    'an unclosed quote after a megabyte': `curl https://h.example/ '${'x'.repeat(1_000_000)}`,
    'a megabyte of $-quote escapes': `curl $'${'\\x4'.repeat(300000)}`,
    '500k header lines': `GET / HTTP/1.1\nHost: h\n${'a: b\n'.repeat(500000)}`,
    '500k folded lines': `GET / HTTP/1.1\nHost: h\nX: a\n${' b\n'.repeat(500000)}`,
    'deeply nested JSON': `${'['.repeat(200000)}${']'.repeat(200000)}`,
    'a HAR with 100k entries': JSON.stringify({ log: { entries: Array.from({ length: 100000 }, () => ({ request: { method: 'GET', url: 'https://h/', headers: [] } })) } }),
  };
  for (const [name, text] of Object.entries(cases)) {
    const start = performance.now();
    const r = parseImport(text);
    const ms = performance.now() - start;
    assert.ok(ms < 500, `${name}: ${ms.toFixed(0)} ms`);
    if (r.ok) assert.ok(r.headers.length <= MAX_HEADERS, `${name}: ${r.headers.length} headers`);
  }
});
