// The mismatch debugger on real error bodies (tests/www/error-corpus.json: each from a public
// thread, with its URL): every one gets the expected cause first. The same corpus runs in
// Chromium through the page (tests/e2e/error-corpus.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { diagnose, parseAwsError } from '../../www/lib/mismatch.mjs';

const corpus = JSON.parse(readFileSync(new URL('./error-corpus.json', import.meta.url), 'utf8')).cases;

test('the corpus: at least 20 bodies, each with a public source, covering the services', () => {
  assert.ok(corpus.length >= 20, `${corpus.length} cases`);
  const ids = new Set();
  for (const entry of corpus) {
    assert.match(entry.source, /^https:\/\/(github\.com|docs\.aws\.amazon\.com)\//, entry.id);
    assert.ok(entry.body.length > 10 && entry.expect, entry.id);
    assert.ok(!ids.has(entry.id), `duplicate id ${entry.id}`);
    ids.add(entry.id);
  }
  const services = new Set(corpus.map((e) => e.service.replace(/ \(.*\)$/, '')));
  for (const service of ['API Gateway REST API', 'API Gateway HTTP API', 'Lambda function URL', 'S3', 'STS', 'IAM', 'OpenSearch', 'AppSync']) {
    assert.ok(services.has(service), service);
  }
});

for (const entry of corpus) {
  test(`corpus ${entry.id} (${entry.service}): ${entry.expect}`, () => {
    const result = diagnose(parseAwsError(entry.body), null);
    assert.equal(result.causes[0].id, entry.expect, `${entry.source}\n${result.causes.map((c) => `${c.id}: ${c.title}`).join('\n')}`);
    assert.notEqual(result.causes[0].id, 'unknown');
  });
}
