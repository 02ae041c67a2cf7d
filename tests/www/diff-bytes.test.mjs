// Byte-level differences the eye cannot see, named: spaces at the ends, tabs, CR, zero-width
// and non-ASCII characters, letter case, Unicode composition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'sigv4-wasm';
import { explainDifference, invisibleChar, visibleSegments } from '../../www/lib/diff.mjs';
import { diagnose, parseAwsError } from '../../www/lib/mismatch.mjs';

test('invisibleChar names what cannot be seen, and leaves plain ASCII alone', () => {
  assert.match(invisibleChar('\u200b').name, /zero-width space \(U\+200B\)/);
  assert.match(invisibleChar('\t').name, /tab/);
  assert.match(invisibleChar('\r').name, /CR/);
  assert.match(invisibleChar('\u00a0').name, /no-break space/);
  assert.match(invisibleChar('\u00e9').name, /non-ASCII 'é' \(U\+00E9, 2 bytes/);
  assert.equal(invisibleChar('a'), null);
  assert.deepEqual(visibleSegments('a\tb'), [{ text: 'a' }, { text: '→', name: 'tab (U+0009)' }, { text: 'b' }]);
});

test('explainDifference: trailing space, tab against space, CR, zero-width, case, composition; nothing for plain text', () => {
  assert.equal(explainDifference('x-demo:two ', 'x-demo:two'), "The server's has a space (U+0020) where yours has nothing.");
  assert.match(explainDifference('a\tb', 'a b'), /tab \(U\+0009\).*space/);
  assert.match(explainDifference('value\r', 'value'), /carriage return/);
  assert.match(explainDifference('ab\u200bc', 'abc'), /zero-width space/);
  assert.match(explainDifference('Host', 'host'), /letter case/);
  assert.match(explainDifference('cafe\u0301', 'caf\u00e9'), /composed differently/);
  assert.equal(explainDifference('x-demo:two', 'x-demo:one'), '');
});

test('the debugger names a zero-width space that reached a header value', () => {
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'execute-api', datetime: '20261123T101500Z' };
  const ours = sign({ url: 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets', headers: { 'x-demo': 'one' } }, credentials);
  const server = ours.canonicalRequest.replace('x-demo:one', 'x-demo:o\u200bne');
  const body = JSON.stringify({ message: `The request signature we calculated does not match the signature you provided.\n\nThe Canonical String for this request should have been\n'${server}'\n\nThe String-to-Sign should have been\n'${ours.stringToSign}'\n` });
  const result = diagnose(parseAwsError(body), ours);
  assert.equal(result.causes[0].id, 'header-changed');
  assert.match(result.causes[0].detail, /zero-width space \(U\+200B\)/);
  assert.ok(result.canonicalRows.some((row) => row.explanation && /zero-width/.test(row.explanation)));
});
