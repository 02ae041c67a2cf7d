// The playground's signing (www/lib/signing.mjs) on the defects of issue 15: it signs the
// URL a browser sends (not the one typed), says so, and warns about an S3 path's raw '+'
// and a secret that is not shaped like one; what the package refuses (a secret with
// whitespace at an end, a region the host contradicts) is an error on its field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sigv4 from 'sigv4-wasm';
import { checklistFacts, secretProblem, sendableUrl, signSteps } from '../../www/lib/signing.mjs';
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

test('a secret with whitespace at an end or a control character is refused on its field, saying where (and never shown)', () => {
  for (const [secret, where] of [
    [` ${form.secretAccessKey}\n`, /Here it starts with a space and ends with a line break\./],
    [`${form.secretAccessKey} `, /Here it ends with a space\./],
    [`${form.secretAccessKey}\t`, /Here it ends with a tab\./],
    [`${form.secretAccessKey.slice(0, 20)}\u0007${form.secretAccessKey.slice(20)}`, /Here it has a control character inside\./],
  ]) {
    const result = signSteps(sigv4, { ...form, secretAccessKey: secret });
    assert.equal(result.ok, false, JSON.stringify(secret));
    assert.equal(result.error.code, 'INVALID_SECRET_ACCESS_KEY');
    assert.equal(result.error.field, 'secretAccessKey');
    assert.match(result.error.message, where);
    assert.match(result.error.message, /exactly as entered/);
    assert.ok(!result.error.message.includes(form.secretAccessKey.slice(0, 8)), 'no part of the secret in the error');
    assert.equal(result.steps, undefined, 'no signature to show');
  }
  assert.equal(secretProblem(form.secretAccessKey), '');
});

test('a region the host contradicts is refused on the Region field; an uppercase region and a lowercase PATCH on theirs', () => {
  const regional = { ...form, url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets' };
  const conflicting = signSteps(sigv4, { ...regional, region: 'eu-west-1' });
  assert.equal(conflicting.ok, false);
  assert.equal(conflicting.error.code, 'CONFLICTING_REGION');
  assert.equal(conflicting.error.field, 'region');
  assert.match(conflicting.error.message, /us-east-1/);
  assert.equal(signSteps(sigv4, { ...regional, region: '' }).signed.region, 'us-east-1', 'left empty: the host\'s');
  assert.equal(signSteps(sigv4, { ...regional, region: 'us-east-1' }).ok, true);
  // A global endpoint names no region: another one signs (the checklist then compares it with the one implied).
  assert.equal(signSteps(sigv4, { ...form, url: 'https://sts.amazonaws.com/', region: 'eu-west-1', service: '' }).signed.region, 'eu-west-1');
  const upper = signSteps(sigv4, { ...form, region: 'US-EAST-1' });
  assert.deepEqual([upper.error.code, upper.error.field], ['INVALID_REGION', 'region']);
  const method = signSteps(sigv4, { ...form, method: 'patch' });
  assert.deepEqual([method.error.code, method.error.field], ['INVALID_METHOD', 'method']);
  assert.equal(signSteps(sigv4, { ...form, method: 'get' }).signed.method, 'GET', "one of fetch's six: normalized");
});

test('a secret shaped like an access key id, or a key and token from different sets, is warned about (and never shown)', () => {
  const swapped = signSteps(sigv4, { ...form, secretAccessKey: 'AKIAIOSFODNN7EXAMPLE' });
  assert.ok(swapped.warnings.some((w) => /looks like an access key id/.test(w)), swapped.warnings.join('\n'));
  const asia = signSteps(sigv4, { ...form, accessKeyId: 'ASIAIOSFODNN7EXAMPLE' });
  assert.ok(asia.warnings.some((w) => /session token/.test(w)));
  const clean = signSteps(sigv4, form);
  assert.deepEqual(clean.warnings, []);
  for (const w of [...swapped.warnings, ...asia.warnings]) assert.ok(!w.includes(form.secretAccessKey));
});

test('the signing result says whether the S3 rules were used, and gives the checklist its facts', () => {
  assert.equal(signSteps(sigv4, form).ours.s3, false);
  assert.equal(signSteps(sigv4, { ...form, url: 'https://bucket.s3.us-east-1.amazonaws.com/k', region: '', service: '' }).ours.s3, true);
  const spaced = { ...form, url: 'http://127.0.0.1:8080/test/a b' };
  const result = signSteps(sigv4, spaced);
  assert.equal(result.ok, true);
  const facts = checklistFacts(spaced, result);
  assert.equal('secretEdgeWhitespace' in facts, false, 'a secret with whitespace does not sign: no fact about it');
  assert.equal(facts.pathChanged, true);
  assert.equal(facts.sentPath, '/test/a%20b');
  assert.equal(facts.signedAt, '20261123T101500Z');
  assert.deepEqual(facts.signedHeaders, ['host', 'x-amz-date']);
  assert.ok(!JSON.stringify(facts).includes('wJalr'), 'no secret in the facts');
});
