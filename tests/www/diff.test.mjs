// The page's diff module: line diffs, side-by-side rows, character highlights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffChars, diffLines, highlightChanges, sideBySide } from '../../www/lib/diff.mjs';

test('diffLines keeps common lines and marks deletions and insertions in order', () => {
  const ops = diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e']);
  assert.deepEqual(ops, [
    { op: 'equal', a: 'a', b: 'a' },
    { op: 'delete', a: 'b' },
    { op: 'insert', b: 'x' },
    { op: 'equal', a: 'c', b: 'c' },
    { op: 'equal', a: 'd', b: 'd' },
    { op: 'insert', b: 'e' },
  ]);
});

test('diffLines of empty and identical inputs', () => {
  assert.deepEqual(diffLines([], []), []);
  assert.deepEqual(diffLines([], ['a']), [{ op: 'insert', b: 'a' }]);
  assert.deepEqual(diffLines(['a'], []), [{ op: 'delete', a: 'a' }]);
  assert.ok(diffLines(['x', 'y'], ['x', 'y']).every((op) => op.op === 'equal'));
});

test('sideBySide pairs a replaced line as one changed row', () => {
  const rows = sideBySide(['GET', '/test/pets', 'x-demo:two', 'end'], ['GET', '/test/pets', 'x-demo:one', 'end']);
  assert.deepEqual(rows.map((r) => r.kind), ['same', 'same', 'changed', 'same']);
  assert.deepEqual(rows[2], { kind: 'changed', left: 'x-demo:two', right: 'x-demo:one' });
});

test('sideBySide shows lines only on one side as removed or added', () => {
  const rows = sideBySide(['a', 'b'], ['a', 'b', 'c']);
  assert.deepEqual(rows.at(-1), { kind: 'added', left: undefined, right: 'c' });
  const removed = sideBySide(['a', 'b', 'c'], ['a', 'c']);
  assert.deepEqual(removed.map((r) => r.kind), ['same', 'removed', 'same']);
});

test('diffChars marks only the differing middle', () => {
  const { left, right } = diffChars('x-amz-date:20261123T101500Z', 'x-amz-date:20261123T101742Z');
  assert.deepEqual(left.map((s) => s.changed), [false, true, false]);
  assert.equal(left[1].text, '500');
  assert.equal(right[1].text, '742');
  assert.equal(right.map((s) => s.text).join(''), 'x-amz-date:20261123T101742Z');
});

test('diffChars of equal strings and of an insertion', () => {
  assert.deepEqual(diffChars('same', 'same').right, [{ text: 'same', changed: false }]);
  const inserted = diffChars('ab', 'aXb');
  assert.deepEqual(inserted.left, [{ text: 'a', changed: false }, { text: 'b', changed: false }]);
  assert.deepEqual(inserted.right, [{ text: 'a', changed: false }, { text: 'X', changed: true }, { text: 'b', changed: false }]);
});

test('highlightChanges marks nothing the first time, then what changed', () => {
  assert.deepEqual(highlightChanges(undefined, 'a\nb'), [{ text: 'a\nb', changed: false }]);
  const segments = highlightChanges('GET\n/x\nx-amz-date:1\nhost', 'GET\n/x\nx-amz-date:2\nhost\nnew');
  assert.equal(segments.map((s) => s.text).join(''), 'GET\n/x\nx-amz-date:2\nhost\nnew');
  assert.deepEqual(segments.filter((s) => s.changed).map((s) => s.text), ['2', 'new']);
});

test('large inputs fall back to a positional comparison without blowing up', () => {
  const a = Array.from({ length: 3000 }, (_, i) => `line ${i}`);
  const b = a.slice();
  b[1500] = 'changed';
  const rows = sideBySide(a, b);
  assert.equal(rows.filter((r) => r.kind !== 'same').length, 1);
});
