// The canonicalization rules shown beside the steps and under the debugger's causes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sigv4 from 'sigv4-wasm';
import { DOCS, RULES, ruleForCause, rulesForSteps } from '../../www/lib/rules.mjs';
import { diagnose, parseAwsError } from '../../www/lib/mismatch.mjs';
import { signSteps } from '../../www/lib/signing.mjs';

// The pages, as checked against AWS's documentation (IAM User Guide; S3 API reference).
const CHECKED = [
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html',
  'https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html',
  'https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html',
];

test('every rule links only to the checked AWS pages, and each S3 rule to an S3 page', () => {
  assert.deepEqual(Object.values(DOCS).sort(), [...CHECKED].sort());
  for (const rule of RULES) {
    assert.ok(rule.links.length > 0, rule.id);
    for (const link of rule.links) assert.ok(CHECKED.includes(link.href), `${rule.id}: ${link.href}`);
    if (rule.id.endsWith('-s3')) assert.ok(rule.links.some((l) => l.href.includes('AmazonS3')), rule.id);
  }
});

test('the steps get the rules of the signing: S3\'s path and payload rules only with S3\'s rules', () => {
  const ids = (s3) => rulesForSteps({ s3 })['canonical-request'].map((r) => r.id);
  assert.deepEqual(ids(false), ['path', 'query', 'headers', 'signed-headers', 'payload']);
  assert.deepEqual(ids(true), ['path-s3', 'query', 'headers', 'signed-headers', 'payload-s3']);
  assert.deepEqual(rulesForSteps()['string-to-sign'].map((r) => r.id), ['string-to-sign']);
});

test('each cause the debugger names about a canonicalization step has its rule', () => {
  // Real diagnoses: a header changed, the path encoded twice, the query, the body.
  const form = { method: 'POST', url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/a%20b?x=1', headers: 'X-Demo: one', body: '{}', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', region: '', service: '', location: 'headers', datetime: '20261123T101500Z' };
  const ours = signSteps(sigv4, form).ours;
  const server = ours.canonicalRequest.replace('x-demo:one', 'x-demo:two').replace('/prod/a%2520b', '/prod/a%20b').replace('x=1', 'x=2')
    .replace(/\n[0-9a-f]{64}$/, `\n${'0'.repeat(64)}`);
  const { causes } = diagnose(parseAwsError(JSON.stringify({ message: `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'${server}'\n\nThe String-to-Sign should have been\n'x'` })), ours);
  const named = causes.map((c) => [c.id, ruleForCause(c.id, { s3: false })?.id]);
  assert.deepEqual(named, [['path-encoding', 'path'], ['query', 'query'], ['header-changed', 'headers'], ['body-hash', 'payload']]);
  assert.equal(ruleForCause('path-encoding', { s3: true }).id, 'path-s3');
  assert.equal(ruleForCause('unknown-key'), undefined);
});
