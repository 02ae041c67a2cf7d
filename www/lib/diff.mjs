// Line and character differences, for the mismatch debugger (ours against the server's
// canonical request) and for highlighting what changed between two signings.

/** Above this many line pairs the diff compares lines by position instead of by LCS. */
const MAX_LCS_CELLS = 4_000_000;

/**
 * The differences between two lists of lines, as operations in order:
 * `{ op: 'equal', a, b }`, `{ op: 'delete', a }` (only in `a`), `{ op: 'insert', b }` (only in `b`).
 */
export function diffLines(a, b) {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_LCS_CELLS) return positional(a, b);
  // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: 'equal', a: a[i++], b: b[j++] });
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ops.push({ op: 'delete', a: a[i++] });
    } else {
      ops.push({ op: 'insert', b: b[j++] });
    }
  }
  while (i < n) ops.push({ op: 'delete', a: a[i++] });
  while (j < m) ops.push({ op: 'insert', b: b[j++] });
  return ops;
}

function positional(a, b) {
  const ops = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length && i < b.length && a[i] === b[i]) ops.push({ op: 'equal', a: a[i], b: b[i] });
    else {
      if (i < a.length) ops.push({ op: 'delete', a: a[i] });
      if (i < b.length) ops.push({ op: 'insert', b: b[i] });
    }
  }
  return ops;
}

/**
 * Rows for a side-by-side view: `{ kind: 'same' | 'changed' | 'removed' | 'added', left, right }`.
 * A run of deletions followed by insertions is paired line by line as changes.
 */
export function sideBySide(a, b) {
  const rows = [];
  const ops = diffLines(a, b);
  for (let k = 0; k < ops.length; ) {
    if (ops[k].op === 'equal') {
      rows.push({ kind: 'same', left: ops[k].a, right: ops[k].b });
      k++;
      continue;
    }
    const deleted = [];
    const inserted = [];
    while (k < ops.length && ops[k].op === 'delete') deleted.push(ops[k++].a);
    while (k < ops.length && ops[k].op === 'insert') inserted.push(ops[k++].b);
    for (let p = 0; p < Math.max(deleted.length, inserted.length); p++) {
      if (p < deleted.length && p < inserted.length) rows.push({ kind: 'changed', left: deleted[p], right: inserted[p] });
      else if (p < deleted.length) rows.push({ kind: 'removed', left: deleted[p], right: undefined });
      else rows.push({ kind: 'added', left: undefined, right: inserted[p] });
    }
  }
  return rows;
}

/**
 * Two strings as segments `{ text, changed }`: the common prefix and suffix unchanged, the
 * middle changed. Enough to point at an edited header value or a new timestamp.
 */
export function diffChars(a, b) {
  let start = 0;
  const limit = Math.min(a.length, b.length);
  while (start < limit && a[start] === b[start]) start++;
  let end = 0;
  while (end < limit - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const pieces = (text) => {
    const out = [];
    if (start > 0) out.push({ text: text.slice(0, start), changed: false });
    if (text.length - end > start) out.push({ text: text.slice(start, text.length - end), changed: true });
    if (end > 0) out.push({ text: text.slice(text.length - end), changed: false });
    return out;
  };
  return { left: pieces(a), right: pieces(b) };
}

/**
 * `next` as segments `{ text, changed }` marking what differs from `previous` (nothing is
 * marked when there is no previous text). Lines are compared first, then the characters of
 * changed lines; the newlines themselves are kept in the segments.
 */
export function highlightChanges(previous, next) {
  if (previous === undefined || previous === null) return [{ text: next, changed: false }];
  const segments = [];
  const push = (text, changed) => {
    if (!text) return;
    const last = segments[segments.length - 1];
    if (last && last.changed === changed) last.text += text;
    else segments.push({ text, changed });
  };
  const rows = sideBySide(previous.split('\n'), next.split('\n')).filter((row) => row.right !== undefined);
  rows.forEach((row, index) => {
    if (row.kind === 'same') push(row.right, false);
    else if (row.kind === 'added') push(row.right, true);
    else diffChars(row.left, row.right).right.forEach((piece) => push(piece.text, piece.changed));
    if (index < rows.length - 1) push('\n', false);
  });
  return segments.length ? segments : [{ text: '', changed: false }];
}

/** Characters that look like nothing (or like another character), by name. */
const INVISIBLE = {
  ' ': ['·', 'space (U+0020)'],
  '\t': ['→', 'tab (U+0009)'],
  '\r': ['␍', 'carriage return, CR (U+000D)'],
  '\n': ['␊', 'line feed, LF (U+000A)'],
  '\u00a0': ['⍽', 'no-break space (U+00A0)'],
  '\u00ad': ['‐', 'soft hyphen (U+00AD)'],
  '\u200b': ['⁐', 'zero-width space (U+200B)'],
  '\u200c': ['⁐', 'zero-width non-joiner (U+200C)'],
  '\u200d': ['⁐', 'zero-width joiner (U+200D)'],
  '\u2060': ['⁐', 'word joiner (U+2060)'],
  '\ufeff': ['⁐', 'byte order mark, zero-width no-break space (U+FEFF)'],
  '\u2028': ['⏎', 'line separator (U+2028)'],
  '\u2029': ['⏎', 'paragraph separator (U+2029)'],
};

function codePoint(ch) {
  return `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The name of a character a reader cannot see or tell apart: `{ symbol, name }`, or null for
 * a printable ASCII character other than the space.
 */
export function invisibleChar(ch) {
  if (INVISIBLE[ch]) return { symbol: INVISIBLE[ch][0], name: INVISIBLE[ch][1] };
  const cp = ch.codePointAt(0);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return { symbol: '�', name: `control character (${codePoint(ch)})` };
  if (/\s/u.test(ch)) return { symbol: '⍽', name: `a space-like character (${codePoint(ch)})` };
  if (cp > 0x7e) return { symbol: ch, name: `non-ASCII '${ch}' (${codePoint(ch)}, ${new TextEncoder().encode(ch).length} bytes in UTF-8)` };
  return null;
}

/** `text` as segments `{ text }` and `{ text: symbol, name }` for each character invisibleChar() names. */
export function visibleSegments(text) {
  const out = [];
  for (const ch of text) {
    const found = invisibleChar(ch);
    const last = out[out.length - 1];
    if (found) out.push({ text: found.symbol, name: found.name });
    else if (last && !last.name) last.text += ch;
    else out.push({ text: ch });
  }
  return out;
}

/** A character list in words: "a tab (U+0009) and a space (U+0020)", quoting plain text. */
function describeChars(text) {
  if (!text) return 'nothing';
  const parts = [];
  let plain = '';
  const flush = () => {
    if (plain) parts.push(`'${plain.length > 40 ? `${plain.slice(0, 40)}…` : plain}'`);
    plain = '';
  };
  for (const ch of text) {
    const found = invisibleChar(ch);
    if (found && ch !== ' ') {
      flush();
      parts.push(`a ${found.name}`);
    } else if (ch === ' ' && (text.trim() === '' || text.startsWith(' ') || text.endsWith(' '))) {
      flush();
      parts.push(`a ${INVISIBLE[' '][1]}`);
    } else {
      plain += ch;
    }
  }
  flush();
  return parts.join(' and ');
}

/**
 * What differs between the server's line `a` and ours `b` when the eye cannot tell (spaces at
 * the ends, tabs, CR, zero-width and non-ASCII characters, letter case, Unicode composition),
 * in words; '' when the difference is plain visible text.
 */
export function explainDifference(a, b) {
  if (a === b) return '';
  if (a.normalize('NFC') === b.normalize('NFC')) return 'The same letters, composed differently (Unicode normalization: é as one character or as e and a combining accent), so the bytes differ.';
  if (a.toLowerCase() === b.toLowerCase()) return 'Only the letter case differs.';
  const { left, right } = diffChars(a, b);
  const middle = (segments) => segments.filter((s) => s.changed).map((s) => s.text).join('');
  const server = middle(left);
  const ours = middle(right);
  const special = [...server, ...ours].some((ch) => invisibleChar(ch));
  const edge = /^\s|\s$/.test(a) !== /^\s|\s$/.test(b);
  if (!special && !edge) return '';
  return `The server's has ${describeChars(server)} where yours has ${describeChars(ours)}.`;
}
