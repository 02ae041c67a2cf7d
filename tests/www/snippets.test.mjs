// Snippets, storage, the form-to-steps module and response formatting of the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as sigv4 from 'sigv4-wasm';
import { curlSnippet, fetchSnippet, postmanSnippet, shellQuote } from '../../www/lib/snippets.mjs';
import { clearForm, loadForm, saveForm, STORAGE_KEY } from '../../www/lib/storage.mjs';
import { browserRefuses, formatHeaderLines, hostOf, parseHeaderLines, redactToken, signSteps } from '../../www/lib/signing.mjs';
import { describeFetchFailure, prettyBody } from '../../www/lib/format.mjs';

const request = {
  method: 'POST',
  url: 'http://127.0.0.1:8080/test/pets',
  headers: [['content-type', 'application/json'], ['x-amz-date', '20261123T101500Z'], ['authorization', 'AWS4-HMAC-SHA256 Credential=AKID/20261123/us-east-1/execute-api/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc']],
  body: `{"type":"dog","note":"it's"}`,
};

test('shellQuote survives quotes', () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(execFileSync('bash', ['-c', `printf %s ${shellQuote(`a'b"c$HOME\\`)}`]).toString(), `a'b"c$HOME\\`);
});

test('curl: method, URL, every header and the body, reproduced exactly by a shell', () => {
  const text = curlSnippet(request);
  assert.match(text, /^curl -X POST 'http:\/\/127\.0\.0\.1:8080\/test\/pets'/);
  // Let bash parse it (with curl replaced by printf) and compare the words.
  const words = execFileSync('bash', ['-c', `curl() { printf '%s\\0' "$@"; }\n${text}`]).toString().split('\0').slice(0, -1);
  assert.deepEqual(words, [
    '-X', 'POST', 'http://127.0.0.1:8080/test/pets',
    '-H', 'content-type: application/json',
    '-H', 'x-amz-date: 20261123T101500Z',
    '-H', request.headers[2].join(': '),
    '--data-binary', request.body,
  ]);
});

test('curl: GET needs no -X, HEAD uses --head', () => {
  assert.match(curlSnippet({ method: 'GET', url: 'http://h/p', headers: [], body: '' }), /^curl 'http:\/\/h\/p'$/);
  assert.match(curlSnippet({ method: 'HEAD', url: 'http://h/p', headers: [], body: '' }), /^curl --head /);
});

test('snippets never write out the session token sent as a header', () => {
  const withToken = { ...request, headers: [...request.headers, ['x-amz-security-token', 'SECRET-TOKEN']] };
  for (const text of [curlSnippet(withToken), fetchSnippet(withToken), postmanSnippet(withToken, { datetime: 'x' })]) {
    assert.ok(!text.includes('SECRET-TOKEN'), text);
    assert.match(text, /AWS_SESSION_TOKEN/);
  }
});

test('fetch(): valid JavaScript that passes the same request', async () => {
  const text = fetchSnippet(request);
  const calls = [];
  const fakeFetch = async (url, init) => {
    calls.push({ url, init });
    return { status: 200, text: async () => 'ok' };
  };
  const logged = [];
  const run = new Function('fetch', 'console', `return (async () => { ${text} })();`);
  await run(fakeFetch, { log: (...args) => logged.push(args) });
  assert.equal(calls[0].url, request.url);
  assert.equal(calls[0].init.method, 'POST');
  assert.deepEqual(Object.entries(calls[0].init.headers), request.headers);
  assert.equal(calls[0].init.body, request.body);
  assert.deepEqual(logged, [[200, 'ok']]);
});

test('Postman: upserts each header, and updates the URL for a presigned request', () => {
  const upserts = [];
  let updated;
  const pm = { request: { headers: { upsert: (h) => upserts.push(h) }, url: { update: (u) => (updated = u) } }, variables: { get: () => 'T' } };
  new Function('pm', postmanSnippet(request, { datetime: '20261123T101500Z' }))(pm);
  assert.deepEqual(upserts.map((h) => [h.key, h.value]), request.headers);
  assert.equal(updated, undefined);
  const presigned = { method: 'GET', url: 'http://h/p?X-Amz-Signature=abc', headers: [], body: '' };
  new Function('pm', postmanSnippet(presigned, { presigned: true, datetime: 'x' }))(pm);
  assert.equal(updated, presigned.url);
});

test('storage: nothing until saved; saved form comes back; clear removes it; bad data is ignored', () => {
  const map = new Map();
  const storage = { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k) };
  assert.equal(loadForm(storage), null);
  assert.equal(saveForm(storage, { url: 'http://h/', secretAccessKey: 's', s3: true, unknownField: 'x' }), true);
  assert.deepEqual(loadForm(storage), { url: 'http://h/', secretAccessKey: 's', s3: true });
  clearForm(storage);
  assert.equal(map.size, 0);
  map.set(STORAGE_KEY, '{broken');
  assert.equal(loadForm(storage), null);
  const refusing = { setItem: () => { throw new Error('QuotaExceededError'); }, getItem: () => { throw new Error('denied'); }, removeItem: () => {} };
  assert.equal(saveForm(refusing, { url: 'x' }), false);
  assert.equal(loadForm(refusing), null);
});

test('header lines: parsed, formatted, and bad lines reported by number', () => {
  const parsed = parseHeaderLines('Content-Type: application/json\n\n# a comment\nX-Demo:  one  \nnot a header');
  assert.deepEqual(parsed.headers, [['Content-Type', 'application/json'], ['X-Demo', 'one']]);
  assert.match(parsed.errors[0], /^line 5/);
  assert.equal(formatHeaderLines(parsed.headers), 'Content-Type: application/json\nX-Demo: one');
  assert.equal(hostOf('http://127.0.0.1:8080/test/pets'), '127.0.0.1:8080');
  assert.equal(hostOf('/relative'), '');
  assert.ok(browserRefuses('Content-Length') && browserRefuses('sec-fetch-mode') && !browserRefuses('x-amz-date'));
  assert.equal(redactToken('a=T%2B1&b=T+1', 'T+1'), 'a=** redacted **&b=** redacted **');
});

const form = {
  method: 'GET', url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/pets?type=dog', headers: '', body: '',
  accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: '',
  region: '', service: '', location: 'headers', expiresIn: '3600', datetime: '20261123T101500Z',
};

test('signSteps: every step as the core computes it, scope inferred from the host', () => {
  const result = signSteps(sigv4, form);
  assert.equal(result.ok, true);
  const expected = sigv4.sign({ url: form.url }, { accessKeyId: form.accessKeyId, secretAccessKey: form.secretAccessKey, datetime: form.datetime });
  const text = Object.fromEntries(result.steps.map((s) => [s.id, s.text]));
  assert.equal(text['canonical-request'], expected.canonicalRequest);
  assert.equal(text['string-to-sign'], expected.stringToSign);
  assert.equal(text['canonical-request-hash'], expected.stringToSign.split('\n')[3]);
  assert.equal(text.signature, expected.signature);
  const key = sigv4.signingKeyDerivation({ secretAccessKey: form.secretAccessKey, date: '20261123', region: 'eu-west-1', service: 'execute-api' });
  for (const hex of Object.values(key)) assert.ok(text['signing-key'].includes(hex));
  assert.ok(!text['signing-key'].includes(form.secretAccessKey), 'the secret is not shown');
  assert.match(text.result, new RegExp(`authorization: ${expected.authorization.replace(/[+/]/g, '\\$&')}`));
  assert.equal(result.scope.region, 'eu-west-1');
  assert.deepEqual(result.send.headers.map(([n]) => n).sort(), ['authorization', 'x-amz-date']);
});

test('signSteps: presigning, with the session token redacted from what is shown', () => {
  const result = signSteps(sigv4, { ...form, location: 'query', expiresIn: '60', sessionToken: 'TOKEN123' });
  assert.equal(result.ok, true);
  assert.equal(result.signed.expiresIn, 60);
  for (const step of result.steps) assert.ok(!step.text.includes('TOKEN123'), step.id);
  assert.ok(result.send.url.includes('X-Amz-Security-Token=TOKEN123'), 'the URL sent carries the token');
  assert.ok(result.ours.canonicalRequest.includes('** redacted **'));
});

test('signSteps: errors name the field to fix', () => {
  const noRegion = signSteps(sigv4, { ...form, url: 'http://127.0.0.1:8080/test/pets' });
  assert.equal(noRegion.ok, false);
  assert.equal(noRegion.error.code, 'MISSING_REGION');
  assert.equal(noRegion.error.field, 'region');
  assert.equal(signSteps(sigv4, { ...form, accessKeyId: '' }).error.field, 'accessKeyId');
  assert.equal(signSteps(sigv4, { ...form, headers: 'nonsense' }).error.field, 'headers');
  assert.equal(signSteps(sigv4, { ...form, url: '' }).error.field, 'url');
  assert.equal(signSteps(sigv4, { ...form, location: 'query', expiresIn: '999999999' }).error.field, 'expiresIn');
});

test('signSteps: warns about headers a browser will not send and a body on GET', () => {
  const result = signSteps(sigv4, { ...form, headers: 'Content-Length: 2', body: 'hi' });
  assert.equal(result.ok, true);
  assert.ok(result.warnings.some((w) => /content-length/.test(w)));
  assert.ok(result.warnings.some((w) => /body with GET/.test(w)));
});

test('format: JSON bodies indented, fetch failures explained', () => {
  assert.equal(prettyBody('{"a":1}', 'application/json'), '{\n  "a": 1\n}');
  assert.equal(prettyBody('plain', 'text/plain'), 'plain');
  assert.equal(prettyBody('', null), '(empty body)');
  assert.match(describeFetchFailure(new TypeError('Failed to fetch'), 'https://x.example/p', 'http://127.0.0.1:8080/'), /CORS/);
  assert.match(describeFetchFailure(new TypeError('Failed to fetch'), 'http://x.example/p', 'https://127.0.0.1/'), /mixed content/);
});
