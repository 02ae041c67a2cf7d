// The playground's signing (www/lib/signing.mjs) on the defects of issue 15: it signs the
// URL a browser sends (not the one typed), says so, and warns about an S3 path's raw '+'
// and a secret that is not shaped like one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sigv4 from 'sigv4-wasm';
import { checklistFacts, sendableUrl, signSteps } from '../../www/lib/signing.mjs';
import { curlSnippet } from '../../www/lib/snippets.mjs';

const form = {
  method: 'GET', url: 'http://127.0.0.1:8080/test/pets', headers: '', body: '',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: '',
  region: 'us-east-1', service: 'execute-api', location: 'headers', expiresIn: '3600', datetime: '20261123T101500Z',
};

test('sendableUrl: what fetch() sends, fragment dropped', () => {
  assert.equal(sendableUrl('http://h/test/pets/a b'), 'http://h/test/pets/a%20b');
  assert.equal(sendableUrl('http://h/caf\u00e9?q=a b'), 'http://h/caf%C3%A9?q=a%20b');
  assert.equal(sendableUrl('http://h/p#frag'), 'http://h/p');
  assert.equal(sendableUrl('http://h/a%20b+c'), 'http://h/a%20b+c', 'an encoded URL is left alone');
  assert.equal(sendableUrl('not a url'), 'not a url');
});

test('a raw space or non-ASCII letter: signed as the browser sends it, with a warning; curl gets the same URL', () => {
  for (const [typed, sent] of [['/test/pets/a b', '/test/pets/a%20b'], ['/test/pets/\u00e9t\u00e9', '/test/pets/%C3%A9t%C3%A9']]) {
    const result = signSteps(sigv4, { ...form, url: `http://127.0.0.1:8080${typed}` });
    assert.equal(result.ok, true);
    assert.equal(result.send.url, `http://127.0.0.1:8080${sent}`);
    // The default rules encode the sent path once more, as API Gateway does with what arrives.
    assert.equal(result.signed.canonicalRequest.split('\n')[1], sent.replace(/%/g, '%25'));
    assert.ok(result.warnings.some((w) => w.includes(sent) && /percent-encode/.test(w)), result.warnings.join('\n'));
    assert.ok(curlSnippet(result.send).includes(`'http://127.0.0.1:8080${sent}'`));
    // What the server would compute for the request that arrives is what was signed.
    const server = sigv4.sign({ url: `http://127.0.0.1:8080${sent}` }, { accessKeyId: form.accessKeyId, secretAccessKey: form.secretAccessKey, region: 'us-east-1', service: 'execute-api', datetime: form.datetime });
    assert.equal(result.signed.signature, server.signature);
  }
});

test("a raw '+' in an S3 path: warned that S3 reads it as a space (not re-encoded)", () => {
  const s3 = { ...form, url: 'https://bucket.s3.us-east-1.amazonaws.com/a+b.txt', region: '', service: '' };
  const result = signSteps(sigv4, s3);
  assert.equal(result.ok, true);
  assert.ok(result.warnings.some((w) => /'\+'/.test(w) && /space/.test(w) && /%2B/.test(w)), result.warnings.join('\n'));
  assert.ok(!signSteps(sigv4, { ...s3, url: 'https://bucket.s3.us-east-1.amazonaws.com/a%2Bb.txt' }).warnings.some((w) => /'\+'/.test(w)));
  assert.ok(!signSteps(sigv4, { ...s3, unencodedPath: true }).warnings.some((w) => /'\+'/.test(w)), 'an unencoded key keeps its plus');
  assert.ok(!signSteps(sigv4, { ...form, url: 'http://127.0.0.1:8080/test/a+b' }).warnings.some((w) => /'\+'/.test(w)), 'not S3: no warning');
});

test('a secret with spaces around it, or shaped like an access key id, is warned about (and never shown)', () => {
  const spaced = signSteps(sigv4, { ...form, secretAccessKey: ` ${form.secretAccessKey}\n` });
  assert.equal(spaced.ok, true);
  assert.ok(spaced.warnings.some((w) => /secret access key (starts|ends)/.test(w)), spaced.warnings.join('\n'));
  const swapped = signSteps(sigv4, { ...form, secretAccessKey: 'AKIAIOSFODNN7EXAMPLE' });
  assert.ok(swapped.warnings.some((w) => /looks like an access key id/.test(w)), swapped.warnings.join('\n'));
  const asia = signSteps(sigv4, { ...form, accessKeyId: 'ASIAIOSFODNN7EXAMPLE' });
  assert.ok(asia.warnings.some((w) => /session token/.test(w)));
  const clean = signSteps(sigv4, form);
  assert.deepEqual(clean.warnings, []);
  for (const w of [...spaced.warnings, ...swapped.warnings]) assert.ok(!w.includes(form.secretAccessKey.trim()));
});

test('the signing result says whether the S3 rules were used, and gives the checklist its facts', () => {
  assert.equal(signSteps(sigv4, form).ours.s3, false);
  assert.equal(signSteps(sigv4, { ...form, url: 'https://bucket.s3.us-east-1.amazonaws.com/k', region: '', service: '' }).ours.s3, true);
  const result = signSteps(sigv4, { ...form, url: 'http://127.0.0.1:8080/test/a b', secretAccessKey: `${form.secretAccessKey} ` });
  const facts = checklistFacts(form.url && { ...form, url: 'http://127.0.0.1:8080/test/a b', secretAccessKey: `${form.secretAccessKey} ` }, result);
  assert.equal(facts.secretEdgeWhitespace, true);
  assert.equal(facts.pathChanged, true);
  assert.equal(facts.signedAt, '20261123T101500Z');
  assert.deepEqual(facts.signedHeaders, ['host', 'x-amz-date']);
  assert.ok(!JSON.stringify(facts).includes('wJalr'), 'no secret in the facts');
});
