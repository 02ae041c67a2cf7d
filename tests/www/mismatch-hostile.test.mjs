// The debugger reads whatever body an endpoint answers (Send fills it in by itself): a body
// built to be slow must not freeze the page. Each of these took from seconds to minutes
// before (the XML reader's lazy regex was quadratic: 81 s for 1.2 MB of "<Code>").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, MAX_INPUT, parseAwsError } from '../../www/lib/mismatch.mjs';

const ours = { canonicalRequest: 'GET\n/\n\nhost:h\n\nhost\nabc', stringToSign: 'AWS4-HMAC-SHA256\n20261123T101500Z\n20261123/us-east-1/execute-api/aws4_request\nff', s3: false };
const bodies = {
  'unclosed XML elements (query API)': `<ErrorResponse>${'<Code>'.repeat(200000)}`,
  'unclosed XML elements (S3)': `<Error>${'<Message>'.repeat(200000)}`,
  'a canonical request of 400,000 lines': `The Canonical String for this request should have been\n'${'GET\n/\n\nhost:h\n'.repeat(100000)}'\n`,
  'a million quotes': "'a' ".repeat(250000),
  'escaped newlines': '\\n'.repeat(300000),
  'S3 bytes': `<Error><CanonicalRequestBytes>${'41 '.repeat(300000)}</CanonicalRequestBytes></Error>`,
};

for (const [name, body] of Object.entries(bodies)) {
  test(`a hostile body is read in bounded time: ${name}`, () => {
    const start = performance.now();
    const result = diagnose(parseAwsError(body), ours, { status: 403, requestSigned: true });
    const ms = performance.now() - start;
    assert.ok(result.causes.length > 0);
    assert.ok(ms < 3000, `${ms.toFixed(0)} ms`);
  });
}

test('only the first MAX_INPUT characters are read, and the page is told', () => {
  const parsed = parseAwsError(`{"message":"Forbidden"}${'x'.repeat(MAX_INPUT)}`);
  assert.match(parsed.notes.join(' '), /Only the first 256 KB/);
});
