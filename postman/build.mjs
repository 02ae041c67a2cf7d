// The Postman integration, in two stages:
//
//  1. the library, from the package's wasm2js build (js/dist/gen, made by js/build.mjs, which
//     needs the Rust toolchain), written to this folder and COMMITTED:
//
//   sigv4.postman.js                        the signer as one classic script (var sigv4; module.exports
//                                           when there is a module): paste it, keep it in a variable,
//                                           or publish it to Postman's Package Library
//
//  2. from the committed library and postman/src (Node only: no Rust, no js/dist, no npm
//     dependencies), written to postman/dist/ and NOT committed (.gitignore):
//
//   dist/sigv4-prerequest.js                the collection pre-request script, ready to paste: the
//                                           library followed by src/prerequest.js (the optional
//                                           src/credentials.js and src/vault.js go between the two)
//   dist/sigv4-wasm.postman_collection.json a collection (v2.1) with the library, both optional
//                                           parts and src/prerequest.js: PetStore API,
//                                           STS GetCallerIdentity, S3 PUT/GET/presigned GET, and
//                                           Cognito (its own script: src/cognito-signin.js)
//   dist/sigv4-wasm.postman_environment.json its environment
//
// Usage:
//   node postman/build.mjs                  both stages (only the second, with a note, when
//                                           js/dist is not built); exits 1, after writing
//                                           everything, when the library is over the 100 KB budget
//   node postman/build.mjs --from-library   the second stage only (what scripts/setup runs)
//
// Tests import buildLibrary() (async) to check the committed library is current, and writeFromLibrary()
// to make postman/dist before they read it.

import { readFileSync, writeFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import vm from 'node:vm';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);

/**
 * The budget, in bytes, of the paste (dist/sigv4-prerequest.js: the library, a newline and
 * src/prerequest.js; issue 14), and so of the library alone (issue 5). KB are 1000 bytes, as in
 * js/size-budget.json.
 */
export const SIZE_BUDGET = 100_000;

/** Where stage 2 writes (ignored by git). */
export const DIST = join(here, 'dist');

export const FILES = {
  library: join(here, 'sigv4.postman.js'), // stage 1, committed
  prerequest: join(DIST, 'sigv4-prerequest.js'), // stage 2, generated
  collection: join(DIST, 'sigv4-wasm.postman_collection.json'),
  environment: join(DIST, 'sigv4-wasm.postman_environment.json'),
};
export const SIGNER_SOURCE = join(here, 'src', 'prerequest.js');
/** The optional parts pasted between the library and the signer: STS credentials, the Postman Vault. */
export const OPTIONAL_SOURCES = [join(here, 'src', 'credentials.js'), join(here, 'src', 'vault.js')];

/** The pre-request script without its library: the optional parts (by default both) and the signer. */
export function signerScript(optional = OPTIONAL_SOURCES) {
  return optional.concat([SIGNER_SOURCE]).map((path) => readFileSync(path, 'utf8')).join('');
}
/** The S3 uploads folder's own pre-request script (POST policies and chunked uploads, with sigv4-wasm/s3). */
export const S3_UPLOADS_SOURCE = join(here, 'src', 's3-uploads.js');

const GEN = join(root, 'js', 'dist', 'gen', 'postman');
const GENERATED_INPUTS = ['glue.js', 'wasm2js.mjs'];

/** Fails unless the package is built (js/build.mjs replaces js/dist whole, never in part). */
function requirePackageBuild() {
  const missing = GENERATED_INPUTS.filter((f) => !existsSync(join(GEN, f)));
  if (missing.length) {
    throw new Error(`postman/build.mjs: ${missing.map((f) => `js/dist/gen/postman/${f}`).join(' and ')} missing; build the package first (node js/build.mjs, or scripts/setup)`);
  }
}

// ---- Stage 1: the library, from js/dist ----------------------------------------------------------------------

// esbuild bundles (and checks the syntax against what the sandboxes run); terser then minifies
// the bundle again, 4.8 KB smaller than esbuild alone (js/dist's translation is esbuild's
// minification of wasm2js's output, which terser's compressor shortens further), ASCII only so
// the paste survives any editor, with the same bytes for the same input.
// The glue's and translation's internal property names (__wbindgen_*, __wbg_*: the wasm
// exports and imports, which only the bundle itself uses) are shortened too: 1.5 KB.
// Two of its unsafe transforms are safe here, and take 0.33 KB off: object properties that are
// function expressions become methods (nothing calls one of them with new), and parameters a
// function never reads are dropped (nothing reads a function's length; the glue's one function
// that reads `arguments` keeps them).
const TERSER = {
  ecma: 2015,
  compress: { passes: 2, unsafe_methods: true, keep_fargs: false },
  mangle: true,
  format: { ascii_only: true, max_line_len: 500, comments: /^!/ }, // reviewable diffs; the banner kept
};

/**
 * The translation's memory accesses as calls of small functions, which it then defines: a 32-bit
 * word `HEAP32[address >> 2]` becomes `loadWord(address)`, a byte `HEAPU8[address | 0]` (`HEAP8`
 * signed) `loadByte(address)` (`loadSignedByte`), and each of them written in a statement of its
 * own, `HEAP32[address >> 2] = value;`, `storeWord(address, value);`. Minified, `e[a+8>>2]=v` is
 * `W(a+8,v)`: 3 characters less for each of some 3,000 word accesses and 2 for each of 200 bytes,
 * 11 KB in all; a word set to 0 is `clearWord(address)` (140 of them, 0.25 KB). A word the binary
 * reads or writes at an address that may be unaligned, which wasm2js spells out byte by byte (four
 * loads shifted and or-ed, four statements storing the value shifted), becomes one call too,
 * `loadWordBytes(address)` and `storeWordBytes(address, value)`, where the value is a local (some
 * 80 loads and 60 stores: 5 KB). The functions index the same typed arrays the same way (the
 * translation replaces the arrays when its memory grows, and the functions read them anew), and
 * the arguments are evaluated in the order the index and the value were, so the result is the same
 * code run a call deeper, and slower where it is hot: in Node, a 1 KiB POST with a session token
 * signs in 0.88 ms instead of 0.67, and a 1 MiB body hashes in 0.13 s instead of 0.045 (a script
 * does not read file bodies: they are sent with UNSIGNED-PAYLOAD). Everything else (other arrays
 * and shapes, an assignment whose value is used) is left as wasm2js wrote it. The source is parsed
 * (rollup's parser), not matched as text, so an index is rewritten only where it is what it looks
 * like.
 */
const MEMORY_FUNCTIONS = {
  loadWord: 'function loadWord(address) { return HEAP32[address >> 2]; }',
  storeWord: 'function storeWord(address, value) { HEAP32[address >> 2] = value; }',
  clearWord: 'function clearWord(address) { HEAP32[address >> 2] = 0; }',
  loadByte: 'function loadByte(address) { return HEAPU8[address | 0]; }',
  storeByte: 'function storeByte(address, value) { HEAPU8[address | 0] = value; }',
  loadSignedByte: 'function loadSignedByte(address) { return HEAP8[address | 0]; }',
  storeSignedByte: 'function storeSignedByte(address, value) { HEAP8[address | 0] = value; }',
  loadWordBytes: 'function loadWordBytes(address) { return HEAPU8[address | 0] | HEAPU8[address + 1 | 0] << 8 | (HEAPU8[address + 2 | 0] << 16 | HEAPU8[address + 3 | 0] << 24); }',
  storeWordBytes: 'function storeWordBytes(address, value) { HEAP8[address | 0] = value; HEAP8[address + 1 | 0] = value >>> 8; HEAP8[address + 2 | 0] = value >>> 16; HEAP8[address + 3 | 0] = value >>> 24; }',
};
const MEMORY_ACCESS = [
  { array: 'HEAP32', operator: '>>', operand: 2, load: 'loadWord', store: 'storeWord' },
  { array: 'HEAPU8', operator: '|', operand: 0, load: 'loadByte', store: 'storeByte' },
  { array: 'HEAP8', operator: '|', operand: 0, load: 'loadSignedByte', store: 'storeSignedByte' },
];

export function memoryCalls(source) {
  const { parseAst } = require('rollup/parseAst');
  if (/[^\x00-\x7f]/.test(source)) throw new Error('postman/build.mjs: the translation is not ASCII; memoryCalls() splices it by the parser\'s offsets');
  /** The address of `node` if it is one of MEMORY_ACCESS's shapes (`HEAP32[address >> 2]`), with the shape. */
  const accessOf = (node) => {
    if (node.type !== 'MemberExpression' || !node.computed || node.object.type !== 'Identifier') return null;
    const index = node.property;
    const shape = MEMORY_ACCESS.find((a) => a.array === node.object.name);
    if (!shape || index.type !== 'BinaryExpression' || index.operator !== shape.operator ||
      index.right.type !== 'Literal' || index.right.value !== shape.operand) return null;
    return { shape, address: index.left };
  };
  /** Where byte `node` (`HEAP8[$1 + 58 | 0]`, `array` the array's name) is: { base, offset, address }, the base a
   * local's name or null for a constant address, and `address` the node before `| 0`; or null. */
  const byteAt = (node, array) => {
    if (node.type !== 'MemberExpression' || !node.computed || node.object.type !== 'Identifier' || node.object.name !== array) return null;
    const index = node.property;
    const address = index.type === 'BinaryExpression' && index.operator === '|' && index.right.type === 'Literal' && index.right.value === 0 ? index.left : index;
    if (address.type === 'Identifier') return { base: address.name, offset: 0, address };
    if (address.type === 'Literal' && Number.isInteger(address.value)) return { base: null, offset: address.value, address };
    if (address.type === 'BinaryExpression' && address.operator === '+' && address.left.type === 'Identifier' &&
      address.right.type === 'Literal' && Number.isInteger(address.right.value)) return { base: address.left.name, offset: address.right.value, address };
    return null;
  };
  /** Whether `places` (byteAt) are consecutive bytes from the first one's address. */
  const consecutive = (places) => places.every((p, i) => p && p.base === places[0].base && p.offset === places[0].offset + i);
  const shifted = (node, bits) => node.type === 'BinaryExpression' && node.right.type === 'Literal' && node.right.value === bits ? node.left : null;
  /** The address of an unaligned 32-bit load as wasm2js writes it, byte by byte:
   * `HEAPU8[a | 0] | HEAPU8[a + 1 | 0] << 8 | (HEAPU8[a + 2 | 0] << 16 | HEAPU8[a + 3 | 0] << 24)`; or null. */
  const wordBytesLoad = (node) => {
    if (node.type !== 'BinaryExpression' || node.operator !== '|' || node.left.type !== 'BinaryExpression' || node.left.operator !== '|' ||
      node.right.type !== 'BinaryExpression' || node.right.operator !== '|') return null;
    const parts = [node.left.left, node.left.right, node.right.left, node.right.right];
    const bytes = parts.map((part, i) => (i === 0 ? part : part.type === 'BinaryExpression' && part.operator === '<<' ? shifted(part, 8 * i) : null));
    const places = bytes.map((b) => b && byteAt(b, 'HEAPU8'));
    return consecutive(places) ? places[0].address : null;
  };
  /** [address, value] of an unaligned 32-bit store, four statements from `statements[i]` on:
   * `HEAP8[a | 0] = v; HEAP8[a + 1 | 0] = v >>> 8; HEAP8[a + 2 | 0] = v >>> 16; HEAP8[a + 3 | 0] = v >>> 24;`
   * with `v` a local; or null. */
  const wordBytesStore = (statements, i) => {
    const assignments = statements.slice(i, i + 4).map((s) => (s.type === 'ExpressionStatement' && s.expression.type === 'AssignmentExpression' && s.expression.operator === '=' ? s.expression : null));
    if (assignments.length !== 4 || !assignments.every(Boolean) || assignments[0].right.type !== 'Identifier') return null;
    const value = assignments[0].right;
    const valueOk = assignments.every((a, k) => {
      const v = k === 0 ? a.right : a.right.type === 'BinaryExpression' && a.right.operator === '>>>' ? shifted(a.right, 8 * k) : null;
      return v && v.type === 'Identifier' && v.name === value.name;
    });
    const places = assignments.map((a) => byteAt(a.left, 'HEAP8'));
    return valueOk && consecutive(places) ? [places[0].address, value] : null;
  };
  const rewrites = []; // { start, end, name, args: [nodes] }, in source order
  (function visit(node, parent) {
    const load = wordBytesLoad(node);
    if (load) {
      rewrites.push({ start: node.start, end: node.end, name: 'loadWordBytes', args: [load] });
      return;
    }
    if (node.type === 'ExpressionStatement' && node.expression.type === 'AssignmentExpression' && node.expression.operator === '=') {
      const access = accessOf(node.expression.left);
      const value = node.expression.right;
      if (access && access.shape.array === 'HEAP32' && value.type === 'Literal' && value.value === 0 && value.raw === '0') {
        rewrites.push({ start: node.expression.start, end: node.expression.end, name: 'clearWord', args: [access.address] });
        visit(access.address, null);
        return;
      }
      if (access) {
        rewrites.push({ start: node.expression.start, end: node.expression.end, name: access.shape.store, args: [access.address, node.expression.right] });
        visit(access.address, null);
        visit(node.expression.right, null);
        return;
      }
    }
    const isTarget = parent && ((parent.type === 'AssignmentExpression' && parent.left === node) || parent.type === 'UpdateExpression');
    const access = isTarget ? null : accessOf(node);
    if (access) {
      rewrites.push({ start: node.start, end: node.end, name: access.shape.load, args: [access.address] });
      visit(access.address, null);
      return;
    }
    for (const value of Object.values(node)) {
      const children = Array.isArray(value) ? value : [value];
      for (let i = 0; i < children.length; i++) {
        const store = Array.isArray(value) && wordBytesStore(children, i);
        if (store) {
          rewrites.push({ start: children[i].expression.start, end: children[i + 3].expression.end, name: 'storeWordBytes', args: store });
          i += 3;
        } else if (children[i] && typeof children[i].type === 'string') visit(children[i], node);
      }
    }
  })(parseAst(source), null);
  rewrites.sort((a, b) => a.start - b.start);
  const used = new Set();
  /** The text of source[start, end) with the rewrites inside it applied (the next ones in order). */
  let next = 0;
  function text(start, end) {
    let out = '';
    let at = start;
    while (next < rewrites.length && rewrites[next].start < end) {
      const rewrite = rewrites[next++];
      used.add(rewrite.name);
      out += `${source.slice(at, rewrite.start)}${rewrite.name}(${rewrite.args.map((arg) => text(arg.start, arg.end)).join(', ')})`;
      at = rewrite.end;
    }
    return out + source.slice(at, end);
  }
  const rewritten = text(0, source.length);
  const anchor = ' var HEAPF64 = new Float64Array(buffer);\n';
  const at = rewritten.indexOf(anchor);
  if (at < 0 || !used.has('loadWord') || !used.has('storeWord')) throw new Error('postman/build.mjs: the wasm2js translation changed shape (no HEAPF64, or no word accesses): see memoryCalls()');
  const functions = Object.keys(MEMORY_FUNCTIONS).filter((name) => used.has(name)).map((name) => ` ${MEMORY_FUNCTIONS[name]}\n`).join('');
  return rewritten.slice(0, at + anchor.length) + functions + rewritten.slice(at + anchor.length);
}

/** `source` with `edits` ({ start, end, text }, not overlapping) applied. */
function edited(source, edits, what) {
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const edit of edits) {
    if (edit.start < at) throw new Error(`postman/build.mjs: ${what}: overlapping rewrites`);
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at);
}

/** `source` with `edits` applied, and `functions` (text) defined after the translation's
 * HEAPF64, where memoryCalls() puts its own. */
function spliced(source, edits, functions, what) {
  const out = edited(source, edits, what);
  const anchor = ' var HEAPF64 = new Float64Array(buffer);\n';
  const anchorAt = out.indexOf(anchor);
  if (anchorAt < 0) throw new Error(`postman/build.mjs: the wasm2js translation changed shape (no HEAPF64): see ${what}`);
  return out.slice(0, anchorAt + anchor.length) + functions.map((f) => ` ${f}\n`).join('') + out.slice(anchorAt + anchor.length);
}

/** Calls `visit(statements)` for every list of statements in the tree `node` (blocks, function bodies, cases). */
function eachStatementList(node, visit) {
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) {
      if (['body', 'consequent'].includes(key)) visit(value);
      for (const child of value) if (child && typeof child.type === 'string') eachStatementList(child, visit);
    } else if (value && typeof value.type === 'string') eachStatementList(value, visit);
  }
}

/** Where `node` points if it is a pure address, `local`, `local + n` or `n`: { base (the local's name, or
 * null), offset }; or null. Evaluating one again, or in another order, gives the same value. */
function pureAddress(node) {
  if (node.type === 'Identifier') return { base: node.name, offset: 0 };
  if (node.type === 'Literal' && Number.isInteger(node.value)) return { base: null, offset: node.value };
  if (node.type === 'BinaryExpression' && node.operator === '+' && node.left.type === 'Identifier' &&
    node.right.type === 'Literal' && Number.isInteger(node.right.value)) return { base: node.left.name, offset: node.right.value };
  return null;
}

/** The arguments of `node` if it is a call of `name` with `arity` arguments, else null. */
function callOf(node, name, arity) {
  return node && node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === name &&
    node.arguments.length === arity ? node.arguments : null;
}

const COPY_FUNCTIONS = {
  copyWord: 'function copyWord(to, from) { HEAP32[to >> 2] = HEAP32[from >> 2]; }',
  copyWords: 'function copyWords(to, from) { var high = HEAP32[from + 4 >> 2]; HEAP32[to >> 2] = HEAP32[from >> 2]; HEAP32[to + 4 >> 2] = high; return high; }',
  storeWords: 'function storeWords(address, low, high) { HEAP32[address >> 2] = low; HEAP32[address + 4 >> 2] = high; }',
};

/**
 * After memoryCalls(): the translation's copies of words as calls. Rust moves 8-byte values (a
 * `&str`, a `Vec`'s pointer and length) through memory a word at a time, which wasm2js writes
 * as three statements, the high word loaded into a local first:
 * `$3 = loadWord($1 + 12); storeWord($0 + 4, loadWord($1 + 8)); storeWord($0 + 8, $3);`.
 * That becomes `$3 = copyWords($0 + 4, $1 + 8);`, which loads, stores and returns the same words
 * in the same order (some 160 of them: `i=L(_+44),W(_+16,L(_+40)),W(_+20,i)` is
 * `i=C(_+16,_+40)` minified), where both addresses are pure (`local`, `local + n`, `n`), the
 * second word of each is the first's plus 4, and the local is neither base. Any other
 * `storeWord(to, loadWord(from))` becomes `copyWord(to, from)`, whose arguments are evaluated in
 * the order the original evaluated them, before the load and the store.
 */
export function wordCopies(source) {
  const { parseAst } = require('rollup/parseAst');
  const edits = [];
  const used = new Set();
  const text = (node) => source.slice(node.start, node.end);
  const expression = (statement) => (statement && statement.type === 'ExpressionStatement' ? statement.expression : null);
  const ast = parseAst(source);
  const paired = new Set(); // the statements rewritten as copyWords
  eachStatementList(ast, (statements) => {
    for (let i = 0; i + 2 < statements.length; i++) {
      const first = expression(statements[i]);
      if (!first || first.type !== 'AssignmentExpression' || first.operator !== '=' || first.left.type !== 'Identifier') continue;
      const highLoad = callOf(first.right, 'loadWord', 1);
      const lowStore = callOf(expression(statements[i + 1]), 'storeWord', 2);
      const lowLoad = lowStore && callOf(lowStore[1], 'loadWord', 1);
      const highStore = callOf(expression(statements[i + 2]), 'storeWord', 2);
      if (!highLoad || !lowLoad || !highStore || highStore[1].type !== 'Identifier' || highStore[1].name !== first.left.name) continue;
      const [from, fromHigh, to, toHigh] = [lowLoad[0], highLoad[0], lowStore[0], highStore[0]].map(pureAddress);
      if (!from || !fromHigh || !to || !toHigh) continue;
      if (fromHigh.base !== from.base || fromHigh.offset !== from.offset + 4 || toHigh.base !== to.base || toHigh.offset !== to.offset + 4) continue;
      if (from.base === first.left.name || to.base === first.left.name) continue;
      edits.push({ start: statements[i].start, end: statements[i + 2].end, text: `${first.left.name} = copyWords(${text(lowStore[0])}, ${text(lowLoad[0])});` });
      used.add('copyWords');
      paired.add(statements[i + 1]);
      i += 2;
    }
    // Two words stored side by side, in either order, of values that are locals or numbers.
    const pureValue = (node) => node.type === 'Identifier' || node.type === 'Literal' ||
      (node.type === 'UnaryExpression' && node.operator === '-' && node.argument.type === 'Literal');
    for (let i = 0; i + 1 < statements.length; i++) {
      if (edits.some((edit) => edit.start <= statements[i].start && statements[i + 1].end <= edit.end) || paired.has(statements[i]) || paired.has(statements[i + 1])) continue;
      const [one, two] = [statements[i], statements[i + 1]].map((statement) => callOf(expression(statement), 'storeWord', 2));
      if (!one || !two || !pureValue(one[1]) || !pureValue(two[1])) continue;
      const [at, next] = [pureAddress(one[0]), pureAddress(two[0])];
      if (!at || !next || at.base !== next.base || Math.abs(at.offset - next.offset) !== 4) continue;
      const [low, high] = at.offset < next.offset ? [one, two] : [two, one];
      edits.push({ start: statements[i].start, end: statements[i + 1].end, text: `storeWords(${text(low[0])}, ${text(low[1])}, ${text(high[1])});` });
      used.add('storeWords');
      paired.add(statements[i]);
      paired.add(statements[i + 1]);
      i += 1;
    }
  });
  (function visit(node) {
    const store = callOf(node, 'storeWord', 2);
    const load = store && callOf(store[1], 'loadWord', 1);
    if (load && !paired.has(node)) {
      // The arguments hold no copy themselves (memoryCalls writes a store as a statement).
      edits.push({ start: node.start, end: node.end, text: `copyWord(${text(store[0])}, ${text(load[0])})` });
      used.add('copyWord');
      return;
    }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string' && !paired.has(child)) visit(child);
    }
  })(ast);
  return spliced(source, edits, Object.keys(COPY_FUNCTIONS).filter((name) => used.has(name)).map((name) => COPY_FUNCTIONS[name]), 'wordCopies()');
}

/**
 * The translation's stack frames and long constants, shorter. A function with a frame opens it
 * in two statements, `$5 = global$0 - 48 | 0; global$0 = $5;` (some 100 of them), which become
 * `$5 = stackAlloc(48);`: the same stack pointer, set and returned. A number of 4 characters or
 * more written often enough that a name saves characters (uses x (length - 2) >= length + 12:
 * `-2147483648`, the niche of an `Option<String>`, 100 times; addresses of static data; 65535)
 * becomes a variable holding it, declared in asmFunc before any of its functions can run,
 * `var INT_m2147483648 = -2147483648;`, which the minifier names with a letter or two. Only
 * asmFunc's numbers are named: the data segments are written outside it.
 */
export function framesAndConstants(source) {
  const { parseAst } = require('rollup/parseAst');
  const ast = parseAst(source);
  const edits = [];
  const functions = [];
  const isStackPointer = (node) => node.type === 'Identifier' && node.name === 'global$0';
  eachStatementList(ast, (statements) => {
    for (let i = 0; i + 1 < statements.length; i++) {
      const [open, set] = [statements[i], statements[i + 1]].map((s) => (s.type === 'ExpressionStatement' ? s.expression : null));
      if (!open || !set || open.type !== 'AssignmentExpression' || open.operator !== '=' || open.left.type !== 'Identifier') continue;
      if (set.type !== 'AssignmentExpression' || set.operator !== '=' || !isStackPointer(set.left) || set.right.type !== 'Identifier' || set.right.name !== open.left.name) continue;
      // global$0 - N | 0, or global$0 + -N | 0
      const value = open.right;
      if (value.type !== 'BinaryExpression' || value.operator !== '|' || value.right.type !== 'Literal' || value.right.value !== 0) continue;
      const sum = value.left;
      if (sum.type !== 'BinaryExpression' || !isStackPointer(sum.left)) continue;
      let size = null;
      if (sum.operator === '-' && sum.right.type === 'Literal' && Number.isInteger(sum.right.value)) size = sum.right.value;
      if (sum.operator === '+' && sum.right.type === 'UnaryExpression' && sum.right.operator === '-' && sum.right.argument.type === 'Literal' &&
        Number.isInteger(sum.right.argument.value)) size = sum.right.argument.value;
      if (size === null) continue;
      edits.push({ start: statements[i].start, end: statements[i + 1].end, text: `${open.left.name} = stackAlloc(${size});` });
      i += 1;
    }
  });
  if (edits.length) functions.push('function stackAlloc(size) { global$0 = global$0 - size | 0; return global$0; }');
  const constants = new Map(); // text -> [nodes], inside asmFunc (where the names are declared)
  const asm = ast.body.find((node) => node.type === 'FunctionDeclaration' && node.id.name === 'asmFunc');
  if (!asm) throw new Error('postman/build.mjs: the wasm2js translation changed shape (no asmFunc): see framesAndConstants()');
  (function visit(node) {
    const negative = node.type === 'UnaryExpression' && node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number';
    if ((node.type === 'Literal' && typeof node.value === 'number') || negative) {
      const text = source.slice(node.start, node.end);
      if (/^-?\d{4,}$/.test(text)) constants.set(text, (constants.get(text) || []).concat([node]));
      if (negative) return;
    }
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string') visit(child);
    }
  })(asm.body);
  for (const [text, nodes] of constants) {
    // Named where it saves characters: each use 2 at most instead of the number, for a declaration.
    if (nodes.length * (text.length - 2) < text.length + 12) continue;
    const name = `INT_${text.replace('-', 'm')}`;
    if (source.includes(name)) throw new Error(`postman/build.mjs: framesAndConstants(): the translation already names ${name}`);
    functions.push(`var ${name} = ${text};`);
    for (const node of nodes) {
      if (edits.some((edit) => edit.start <= node.start && node.end <= edit.end)) continue; // inside a frame's statements: a size is short
      edits.push({ start: node.start, end: node.end, text: name });
    }
  }
  return spliced(source, edits, functions, 'framesAndConstants()');
}

/**
 * The data segments' three most frequent bytes that are not printable, one character each.
 * js/build.mjs writes a segment as a string literal whose characters are its bytes; in ASCII, a
 * NUL is `\0` and the others `\xNN` (the Postman binary's 0x00 400 times, 0x01 137 and 0x10 83:
 * pointers and lengths between the messages). Here 0x00 is `~`, 0x01 `^` and 0x10 `|`, and each
 * of those characters where the data has it, and the backtick that marks them, a backtick then
 * the character (9 in all). The decoder, which replaces js/build.mjs's, reads them back.
 */
const SEGMENT_SHORTHANDS = { 0x00: '~', 0x01: '^', 0x10: '|' };
const SEGMENT_ESCAPE = '`';
const SEGMENT_DECODER = `  function textToExistingUint8Array(uint8Array, offset, text) {
    // Data written as text: ~ ^ | are the bytes 0x00, 0x01, 0x10, and a backtick makes the next character itself.
    for (var i = 0, at = offset; i < text.length; i++) {
      var code = text.charCodeAt(i);
      if (code === 96) code = text.charCodeAt(++i);
      else if (code === 126) code = 0;
      else if (code === 94) code = 1;
      else if (code === 124) code = 16;
      uint8Array[at++] = code;
    }
  }`;

/** `bytes` (a string of char codes below 256) as segmentBytes() writes them. */
export function segmentText(bytes) {
  const shorthand = new Map(Object.entries(SEGMENT_SHORTHANDS).map(([byte, char]) => [Number(byte), char]));
  const escaped = new Set([...Object.values(SEGMENT_SHORTHANDS), SEGMENT_ESCAPE]);
  let out = '';
  for (const char of bytes) {
    const code = char.charCodeAt(0);
    if (shorthand.has(code)) out += shorthand.get(code);
    else if (escaped.has(char)) out += SEGMENT_ESCAPE + char;
    else out += char;
  }
  return out;
}

export function segmentBytes(source) {
  const { parseAst } = require('rollup/parseAst');
  const decoder = '  function textToExistingUint8Array(uint8Array, offset, text) {\n    for (var i = 0; i < text.length; i++) uint8Array[offset + i] = text.charCodeAt(i);\n  }';
  if (source.split(decoder).length !== 2) throw new Error('postman/build.mjs: the data segments\' decoder changed (js/build.mjs segmentsAsText): see segmentBytes()');
  const edits = [];
  (function visit(node) {
    if (callOf(node, 'textToExistingUint8Array', 3)) {
      const text = node.arguments[2];
      if (text.type !== 'Literal' || typeof text.value !== 'string' || /[^\x00-\xff]/.test(text.value)) throw new Error('postman/build.mjs: a data segment that is not a string of bytes: see segmentBytes()');
      edits.push({ start: text.start, end: text.end, text: JSON.stringify(segmentText(text.value)) });
      return;
    }
    for (const value of Object.values(node)) for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string') visit(child);
  })(parseAst(source));
  return edited(source, edits, 'segmentBytes()').replace(decoder, SEGMENT_DECODER);
}

/** Calls `visit(node, parent)` for every node of the tree `node`, parents first. */
function eachNode(node, visit, parent = null) {
  visit(node, parent);
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string') eachNode(child, visit, node);
  }
}

/** The translation's functions, the ones declared in asmFunc's body: { asm, functions: Map name -> node }. */
function translatedFunctions(ast, what) {
  const asm = ast.body.find((node) => node.type === 'FunctionDeclaration' && node.id.name === 'asmFunc');
  if (!asm) throw new Error(`postman/build.mjs: the wasm2js translation changed shape (no asmFunc): see ${what}`);
  const functions = new Map();
  for (const node of asm.body.body) if (node.type === 'FunctionDeclaration') functions.set(node.id.name, node);
  return { asm, functions };
}

/** Thrown by the analyses on code they do not model: the function is then left as it is. */
class Unmodelled extends Error {}

/**
 * Definite assignment (in the manner of Java's) over a translated function: which of `locals`
 * may be read before the function assigns them, as if their declarations had no initialisers,
 * and whether the body can complete normally (fall off its end). A set of names is what is
 * certainly assigned at a point, `null` where the point cannot be reached (after a return, a
 * break, a continue), where everything is. Branches meet by intersection; a loop's body starts
 * from what is assigned before the loop (later iterations start from more), and a loop or a
 * labelled block ends with what every break to it has; each case of a switch starts from what
 * the discriminant leaves. Reads in code that cannot be reached are not reads. Anything else
 * (for, try, nested functions, ...) throws Unmodelled.
 */
function assignedBeforeRead(fn, locals) {
  const early = new Set();
  const exits = new Map(); // a break's target -> what is assigned at its breaks (met)
  const targets = []; // { node, label, loop, switch }, innermost last
  const meet = (a, b) => (a === null ? b : b === null ? a : new Set([...a].filter((name) => b.has(name))));
  const exit = (target, assigned) => exits.set(target, exits.has(target) ? meet(exits.get(target), assigned) : new Set(assigned));
  /** Evaluates `node` with `assigned` (a Set, updated in place). */
  function expression(node, assigned) {
    switch (node.type) {
      case 'Identifier':
        if (locals.has(node.name) && !assigned.has(node.name)) early.add(node.name);
        return;
      case 'Literal':
        return;
      case 'AssignmentExpression':
        if (node.left.type === 'Identifier') {
          if (node.operator !== '=') expression(node.left, assigned);
          expression(node.right, assigned);
          assigned.add(node.left.name);
          return;
        }
        if (node.left.type !== 'MemberExpression') throw new Unmodelled(node.left.type);
        expression(node.left, assigned); // the object and index, then the value (the member is not read by '=', and a compound read is a read)
        expression(node.right, assigned);
        return;
      case 'UpdateExpression':
        expression(node.argument, assigned);
        if (node.argument.type === 'Identifier') assigned.add(node.argument.name);
        return;
      case 'BinaryExpression':
        expression(node.left, assigned);
        expression(node.right, assigned);
        return;
      case 'LogicalExpression': // the right side may not run
        expression(node.left, assigned);
        expression(node.right, new Set(assigned));
        return;
      case 'ConditionalExpression': {
        expression(node.test, assigned);
        const [yes, no] = [new Set(assigned), new Set(assigned)];
        expression(node.consequent, yes);
        expression(node.alternate, no);
        for (const name of yes) if (no.has(name)) assigned.add(name);
        return;
      }
      case 'SequenceExpression':
        for (const e of node.expressions) expression(e, assigned);
        return;
      case 'CallExpression':
        expression(node.callee, assigned);
        for (const e of node.arguments) expression(e, assigned);
        return;
      case 'MemberExpression':
        expression(node.object, assigned);
        if (node.computed) expression(node.property, assigned);
        return;
      case 'UnaryExpression':
        expression(node.argument, assigned);
        return;
      case 'ArrayExpression':
        for (const e of node.elements) if (e) expression(e, assigned);
        return;
      default:
        throw new Unmodelled(node.type);
    }
  }
  /** Runs `node` from `assigned` (a Set or null): what is assigned after it completes normally, or null when it cannot. */
  function statement(node, assigned) {
    if (assigned === null) return null; // not reached
    switch (node.type) {
      case 'ExpressionStatement': {
        const after = new Set(assigned);
        expression(node.expression, after);
        return after;
      }
      case 'VariableDeclaration': {
        if (node.kind !== 'var') throw new Unmodelled(node.kind);
        const after = new Set(assigned);
        for (const d of node.declarations) {
          if (d.id.type !== 'Identifier') throw new Unmodelled(d.id.type);
          if (locals.has(d.id.name)) continue; // analysed as if it had no initialiser
          if (d.init) {
            expression(d.init, after);
            after.add(d.id.name);
          }
        }
        return after;
      }
      case 'EmptyStatement':
        return assigned;
      case 'BlockStatement': {
        let after = assigned;
        for (const s of node.body) after = statement(s, after);
        return after;
      }
      case 'IfStatement': {
        const after = new Set(assigned);
        expression(node.test, after);
        return meet(statement(node.consequent, after), node.alternate ? statement(node.alternate, after) : after);
      }
      case 'LabeledStatement': {
        targets.push({ node, label: node.label.name });
        const after = statement(node.body, assigned);
        targets.pop();
        return exits.has(node) ? meet(after, exits.get(node)) : after;
      }
      case 'WhileStatement': {
        const after = new Set(assigned);
        expression(node.test, after);
        targets.push({ node, loop: true });
        statement(node.body, after); // its end goes back to the test
        targets.pop();
        const always = node.test.type === 'Literal' && node.test.value;
        const leaving = always ? null : after;
        return exits.has(node) ? meet(leaving, exits.get(node)) : leaving;
      }
      case 'SwitchStatement': {
        const after = new Set(assigned);
        expression(node.discriminant, after);
        for (const c of node.cases) if (c.test && c.test.type !== 'Literal') throw new Unmodelled('case test');
        targets.push({ node, switch: true });
        // A case is entered from the discriminant or by falling through from the one before, which
        // has assigned at least as much: it starts from the discriminant's. The last one falls out.
        let end = after;
        for (const c of node.cases) end = c.consequent.reduce((at, s) => statement(s, at), after);
        targets.pop();
        let leaving = node.cases.some((c) => !c.test) ? end : meet(end, after);
        if (exits.has(node)) leaving = meet(leaving, exits.get(node));
        return leaving;
      }
      case 'ReturnStatement':
      case 'ThrowStatement':
        if (node.argument) expression(node.argument, new Set(assigned));
        return null;
      case 'BreakStatement': {
        const target = node.label
          ? targets.findLast((t) => t.label === node.label.name)
          : targets.findLast((t) => t.loop || t.switch);
        if (!target) throw new Unmodelled('break without a target');
        exit(target.node, assigned);
        return null;
      }
      case 'ContinueStatement':
        return null; // back to a loop's test, which starts from less than this
      default:
        throw new Unmodelled(node.type);
    }
  }
  const completes = statement(fn.body, new Set(fn.params.map((p) => {
    if (p.type !== 'Identifier') throw new Unmodelled(p.type);
    return p.name;
  }))) !== null;
  return { early, completes };
}

/**
 * wasm2js's initialisers dropped where they are never read. It declares a function's locals at
 * its top with the value wasm gives them, `var $4_1 = 0, $5_1 = 0, ...;` (some 1,600 of them);
 * where every path through the function assigns a local before reading it (assignedBeforeRead),
 * the `= 0` is never read, and the declaration is `var $4_1, ...`. A function with code the
 * analysis does not model is left as it is.
 */
export function unreadInitialisers(source) {
  const { parseAst } = require('rollup/parseAst');
  const { functions } = translatedFunctions(parseAst(source), 'unreadInitialisers()');
  const edits = [];
  for (const fn of functions.values()) {
    const declarators = fn.body.body.filter((s) => s.type === 'VariableDeclaration').flatMap((s) => s.declarations)
      .filter((d) => d.id.type === 'Identifier' && d.init && d.init.type === 'Literal' && typeof d.init.value === 'number');
    const locals = new Set(declarators.map((d) => d.id.name));
    if (locals.size !== declarators.length) continue; // declared twice
    let early;
    try {
      ({ early } = assignedBeforeRead(fn, locals));
    } catch (error) {
      if (error instanceof Unmodelled) continue;
      throw error;
    }
    for (const d of declarators) if (!early.has(d.id.name)) edits.push({ start: d.start, end: d.end, text: d.id.name });
  }
  return edited(source, edits, 'unreadInitialisers()');
}

/** The memory and copy functions memoryCalls() and wordCopies() define whose results are int32: each returns a
 * word or a byte read from memory (`HEAP32[...]`, `HEAPU8[...]`) or one or-ed from bytes. */
const INT32_FUNCTIONS = new Set(['loadWord', 'loadByte', 'loadSignedByte', 'loadWordBytes', 'copyWords', 'Math_imul', 'Math_clz32']);
const INT32_ARRAYS = new Set(['HEAP8', 'HEAPU8', 'HEAP16', 'HEAPU16', 'HEAP32']);
const INT32_OPERATORS = new Set(['|', '&', '^', '<<', '>>']);
const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Operators that read their operands as numbers when both are numbers or booleans. */
const NUMBER_OPERATORS = new Set([...COMPARISONS, ...INT32_OPERATORS, '>>>', '+', '-', '*', '/', '%']);

/**
 * The translation's `x | 0` written as `x` where `x` is always an int32 already, so that
 * `x | 0` is `x`: wasm2js coerces for asm.js's types, `($5_1 | 0) == 1114112`, `$3_1 = $2_1 | 0`,
 * `return $0_1 | 0`, whatever it knows of the operand. What is an int32 here: an integer literal
 * in range; the result of `| & ^ << >> ~`; a byte or word loaded from memory (a typed array read
 * within memory, as each of the binary's loads is: where one would not, the wasm traps); Math.imul
 * and Math.clz32; and, found together as the largest set that holds (each assumed, then dropped
 * until every one's values are int32 given the others): a function's local whose every
 * assigned value (its initialiser included) is one; a parameter of a function only ever called
 * by name (not exported, not in the table) when every call passes one in its place and the
 * function assigns it only ones; a call of a function whose every return returns one and that
 * cannot end without a return (assignedBeforeRead's completion). Run before unreadInitialisers(),
 * which leaves a local without a value until it is assigned.
 */
export function int32Coercions(source) {
  const { parseAst } = require('rollup/parseAst');
  const ast = parseAst(source);
  const { asm, functions } = translatedFunctions(ast, 'int32Coercions()');
  // Per function: its variables (parameters and locals) and the values assigned to them, as
  // [variable key, node or null (not an int32: undefined, or a value the analysis does not follow)].
  const variables = new Map(); // function name -> Set of its variable names
  const assignments = []; // [key, node | null, function name of the node]
  const returns = new Map(); // function name -> [node | null]
  const key = (fn, name) => `${fn}\u0000${name}`;
  // The function table, `var FUNCTION_TABLE = [null, $114, ...]`: where nothing but indirect calls
  // `FUNCTION_TABLE[i](...)` reads it, its functions' parameters take those calls' arguments.
  const tableArrays = asm.body.body.filter((s) => s.type === 'VariableDeclaration').flatMap((s) => s.declarations)
    .filter((d) => d.id.type === 'Identifier' && d.id.name === 'FUNCTION_TABLE');
  const table = tableArrays.length === 1 && tableArrays[0].init && tableArrays[0].init.type === 'ArrayExpression' ? tableArrays[0].init : null;
  const indirectCalls = [];
  let tableRead = true;
  eachNode(asm, (node, parent) => {
    if (node.type !== 'Identifier' || node.name !== 'FUNCTION_TABLE' || node === tableArrays[0]?.id) return;
    if (parent.type === 'MemberExpression' && parent.object === node && parent.computed) indirectCalls.push(parent);
    else tableRead = false;
  });
  const indirect = []; // the indirect calls, [call, caller]
  const referencedOtherwise = new Set(); // functions named other than as a callee (or in the table, when it is only called)
  // Where code is: a translated function's name, NESTED inside any other function (an export's
  // getter or setter: its names may be its own), or null for asmFunc's own statements.
  const NESTED = '\u0000nested';
  const nestedFunctions = [];
  eachNode(asm.body, (node) => {
    if (['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration'].includes(node.type) && !(node.type === 'FunctionDeclaration' && functions.get(node.id.name) === node)) nestedFunctions.push(node);
  });
  const callerOf = (node) => (nestedFunctions.some((f) => f.start <= node.start && node.end <= f.end) ? NESTED
    : [...functions].find(([, fn]) => fn.start <= node.start && node.end <= fn.end)?.[0] ?? null);
  eachNode(asm, (node, parent) => {
    if (node.type === 'CallExpression' && indirectCalls.includes(node.callee)) indirect.push([node, callerOf(node)]);
    if (node.type === 'MemberExpression' && indirectCalls.includes(node) && !(parent.type === 'CallExpression' && parent.callee === node)) tableRead = false;
    if (node.type === 'Identifier' && functions.has(node.name) && !(parent && parent.type === 'CallExpression' && parent.callee === node) &&
      !(parent && parent.type === 'FunctionDeclaration' && parent.id === node) && !(parent === table && tableRead)) referencedOtherwise.add(node.name);
  });
  if (!tableRead && table) for (const e of table.elements) if (e && e.type === 'Identifier' && functions.has(e.name)) referencedOtherwise.add(e.name);
  const modelled = new Set();
  const coercedParams = new Set(); // keys
  const entryCoercions = new Set(); // their `p | 0` nodes
  for (const [name, fn] of functions) {
    const names = new Set(fn.params.filter((p) => p.type === 'Identifier').map((p) => p.name));
    // Modelled: a body that starts with the parameters' coercions (an exported function's,
    // `$0_1 = $0_1 | 0;`, `$3_1 = +$3_1;`: each parameter at most once, from itself alone), then
    // declares its locals, each with a number or nothing, and declares nothing further on (no read
    // of a local before its declaration); no nested functions or `arguments` (nothing assigns its
    // variables but its own code). What a caller passes a coerced parameter is read only by the
    // coercion; `| 0` makes it an int32 from then on (those `| 0` stay).
    let modelledHere = fn.params.every((p) => p.type === 'Identifier');
    const paramNames = new Set(fn.params.map((p) => p.name));
    const coerced = new Set();
    let part = 'coercions'; // then 'declarations', then 'code'
    for (const s of fn.body.body) {
      const e = s.type === 'ExpressionStatement' ? s.expression : null;
      const target = e && e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier' ? e.left.name : null;
      let fromItself = target !== null && paramNames.has(target) && !coerced.has(target);
      if (fromItself) eachNode(e.right, (node) => { if (node.type === 'Identifier' && node.name !== target && !/^Math_/.test(node.name)) fromItself = false; });
      if (part === 'coercions' && fromItself) {
        coerced.add(target);
        const r = e.right;
        if (r.type === 'BinaryExpression' && r.operator === '|' && r.left.type === 'Identifier' && r.left.name === target && r.right.type === 'Literal' && r.right.raw === '0') {
          coercedParams.add(key(name, target));
          entryCoercions.add(r);
        }
        continue;
      }
      if (s.type !== 'VariableDeclaration') {
        part = 'code';
        continue;
      }
      if (part === 'code' || s.kind !== 'var') modelledHere = false;
      part = 'declarations';
      for (const d of s.declarations) {
        const number = (n) => n.type === 'Literal' && typeof n.value === 'number';
        if (d.id.type !== 'Identifier' || paramNames.has(d.id.name) ||
          (d.init && !number(d.init) && !(d.init.type === 'UnaryExpression' && d.init.operator === '-' && number(d.init.argument)))) modelledHere = false;
        else names.add(d.id.name);
      }
    }
    eachNode(fn.body, (node) => {
      if (['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration', 'ClassExpression'].includes(node.type) ||
        (node.type === 'Identifier' && node.name === 'arguments')) modelledHere = false;
    });
    if (!modelledHere) {
      for (const param of paramNames) coercedParams.delete(key(name, param));
      continue; // its variables are not int32s here
    }
    variables.set(name, names);
    modelled.add(name);
    let completes = true;
    try {
      ({ completes } = assignedBeforeRead(fn, new Set()));
    } catch (error) {
      if (!(error instanceof Unmodelled)) throw error;
    }
    const own = completes ? [null] : [];
    eachNode(fn.body, (node) => {
      if (node.type === 'ReturnStatement') own.push(node.argument);
    });
    returns.set(name, own);
  }
  // asmFunc's globals (`var global$0 = 1048576;`, `var i64toi32_i32$HIGH_BITS = 0;`: declared with a
  // number) and what any code assigns them, the exports' setters included; and the modelled
  // functions' locals' values.
  const globals = new Set(asm.body.body.filter((s) => s.type === 'VariableDeclaration').flatMap((s) => s.declarations)
    .filter((d) => d.id.type === 'Identifier' && d.init && d.init.type === 'Literal' && typeof d.init.value === 'number').map((d) => d.id.name));
  (function walk(node, fn) {
    if (node.type === 'FunctionDeclaration' && functions.get(node.id.name) === node) fn = node.id.name;
    else if (['FunctionExpression', 'ArrowFunctionExpression', 'FunctionDeclaration'].includes(node.type)) fn = NESTED;
    const variable = (name) => (modelled.has(fn) && variables.get(fn).has(name) ? key(fn, name) : globals.has(name) ? key('', name) : null);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && variable(node.id.name)) {
      assignments.push([variable(node.id.name), node.init, fn ?? null]);
    }
    if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier' && variable(node.left.name)) {
      const value = node.operator === '=' ? node.right : INT32_OPERATORS.has(node.operator.slice(0, -1)) ? { type: 'Int32' } : null;
      assignments.push([variable(node.left.name), value, fn ?? null]);
    }
    if (node.type === 'UpdateExpression' && node.argument.type === 'Identifier' && variable(node.argument.name)) assignments.push([variable(node.argument.name), null, null]);
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (child && typeof child.type === 'string') walk(child, fn);
    }
  })(asm.body, undefined);
  // Parameters: what the calls pass, for functions only called by name; else not int32s.
  for (const [name, fn] of functions) {
    if (!modelled.has(name)) continue;
    if (referencedOtherwise.has(name)) for (const p of fn.params) assignments.push([key(name, p.name), null, name, true]);
  }
  // The calls, from any function or from asmFunc's own code (where an argument is only what it
  // is whatever holds it: a local of a function not modelled is not an int32 here).
  eachNode(asm, (node) => {
    const callee = node.type === 'CallExpression' && node.callee.type === 'Identifier' && functions.get(node.callee.name);
    if (!callee || !modelled.has(callee.id.name)) return;
    const caller = callerOf(node);
    callee.params.forEach((p, i) => assignments.push([key(callee.id.name, p.name), i < node.arguments.length ? node.arguments[i] : null, caller, true]));
  });
  if (table && tableRead) {
    for (const e of table.elements) {
      const callee = e && e.type === 'Identifier' && modelled.has(e.name) ? functions.get(e.name) : null;
      if (!callee) continue;
      for (const [call, caller] of indirect) callee.params.forEach((p, i) => assignments.push([key(callee.id.name, p.name), i < call.arguments.length ? call.arguments[i] : null, caller, true]));
    }
  }
  for (let i = assignments.length - 1; i >= 0; i--) if (assignments[i][3] && coercedParams.has(assignments[i][0])) assignments.splice(i, 1);
  // What a value is: INT32, or NUMERIC (an int32 or a boolean, which wasm2js's comparisons give
  // and its code uses as 1 and 0), or UNKNOWN. Every variable and return starts as INT32 and is
  // lowered until every value assigned to it is at least what it is said to be.
  const [UNKNOWN, NUMERIC, INT32] = [0, 1, 2];
  const variableKinds = new Map(assignments.map(([k]) => [k, INT32]));
  const returnKinds = new Map([...modelled].map((name) => [name, INT32]));
  const isVariable = (fn, name) => fn !== null && variables.has(fn) && variables.get(fn).has(name);
  const kind = (node, fn) => {
    if (!node) return UNKNOWN;
    switch (node.type) {
      case 'Int32':
        return INT32;
      case 'Literal':
        if (typeof node.value === 'boolean') return NUMERIC;
        return typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= -0x80000000 && node.value <= 0x7fffffff && !Object.is(node.value, -0) ? INT32 : UNKNOWN;
      case 'UnaryExpression':
        if (node.operator === '~') return INT32;
        if (node.operator === '!') return NUMERIC;
        return node.operator === '-' && node.argument.type === 'Literal' && typeof node.argument.value === 'number' &&
          Number.isInteger(node.argument.value) && node.argument.value > 0 && node.argument.value <= 0x80000000 ? INT32 : UNKNOWN;
      case 'BinaryExpression':
        return INT32_OPERATORS.has(node.operator) ? INT32 : COMPARISONS.has(node.operator) ? NUMERIC : UNKNOWN;
      case 'LogicalExpression':
        return Math.min(kind(node.left, fn), kind(node.right, fn));
      case 'ConditionalExpression':
        return Math.min(kind(node.consequent, fn), kind(node.alternate, fn));
      case 'SequenceExpression':
        return kind(node.expressions[node.expressions.length - 1], fn);
      case 'AssignmentExpression':
        return node.operator === '=' ? kind(node.right, fn) : INT32_OPERATORS.has(node.operator.slice(0, -1)) ? INT32 : UNKNOWN;
      case 'Identifier':
        if (fn !== null && !modelled.has(fn)) return UNKNOWN; // a function whose names are not followed
        if (isVariable(fn, node.name)) return variableKinds.get(key(fn, node.name)) ?? UNKNOWN;
        return globals.has(node.name) ? variableKinds.get(key('', node.name)) ?? UNKNOWN : UNKNOWN;
      case 'MemberExpression':
        return node.computed && node.object.type === 'Identifier' && INT32_ARRAYS.has(node.object.name) ? INT32 : UNKNOWN;
      case 'CallExpression':
        if (node.callee.type !== 'Identifier' || isVariable(fn, node.callee.name)) return UNKNOWN;
        return INT32_FUNCTIONS.has(node.callee.name) ? INT32 : returnKinds.get(node.callee.name) ?? UNKNOWN;
      default:
        return UNKNOWN;
    }
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const [k, node, fn] of assignments) {
      const was = variableKinds.get(k);
      const is = Math.min(was, kind(node, fn));
      if (is !== was) {
        variableKinds.set(k, is);
        changed = true;
      }
    }
    for (const [name, nodes] of returns) {
      const was = returnKinds.get(name);
      const is = Math.min(was, ...nodes.map((node) => kind(node, name)));
      if (is !== was) {
        returnKinds.set(name, is);
        changed = true;
      }
    }
  }
  // `x | 0` is x where x is an INT32; and where x is NUMERIC, in the places that read the number a
  // boolean stands for: an operand of a comparison or an arithmetic or bitwise operator whose other
  // operand is NUMERIC too (`==` compares a boolean with a number as a number, `+` adds them), and
  // a condition (`if`, `?:`, `!`), where true and false are as 1 and 0.
  const removals = [];
  for (const [name, fn] of functions) {
    if (!modelled.has(name)) continue;
    eachNode(fn.body, (node, parent) => {
      if (node.type !== 'BinaryExpression' || node.operator !== '|' || node.right.type !== 'Literal' || node.right.raw !== '0' || entryCoercions.has(node)) return;
      const is = kind(node.left, name);
      const other = parent && parent.type === 'BinaryExpression' && (parent.left === node ? parent.right : parent.left);
      const asNumber = (other && NUMBER_OPERATORS.has(parent.operator) && kind(other, name) >= NUMERIC) ||
        (parent && ['IfStatement', 'ConditionalExpression', 'WhileStatement'].includes(parent.type) && parent.test === node) ||
        (parent && parent.type === 'UnaryExpression' && parent.operator === '!');
      if (is === INT32 || (is === NUMERIC && asNumber)) removals.push(node);
    });
  }
  removals.sort((a, b) => a.start - b.start || b.end - a.end);
  let i = 0;
  const render = (start, end) => {
    let out = '';
    let at = start;
    while (i < removals.length && removals[i].start < end) {
      const node = removals[i++];
      out += `${source.slice(at, node.start)}(${render(node.left.start, node.left.end)})`;
      at = node.end;
    }
    return out + source.slice(at, end);
  };
  return render(0, source.length);
}

/**
 * The translation's function declarations (its 160 functions and the ones the rewrites above
 * define) as arrow functions in `var`s: `function $5($0_1) {...}` is `var $5 = ($0_1) => {...};`,
 * which minified is 3 or 4 characters shorter. The same where nothing tells them apart: none
 * reads `this`, `arguments` or `new.target`, nothing calls one with `new`, and nothing runs one
 * or names it before its `var` is assigned: asmFunc's own statements among them name only
 * functions declared above them and call none (the table lists them; the functions call each
 * other only once asmFunc has returned). A translation where this does not hold fails the build.
 */
export function functionsAsArrows(source) {
  const { parseAst } = require('rollup/parseAst');
  const { asm, functions } = translatedFunctions(parseAst(source), 'functionsAsArrows()');
  const statements = asm.body.body;
  const last = statements.findLastIndex((s) => s.type === 'FunctionDeclaration');
  let safe = last >= 0;
  for (const fn of functions.values()) {
    if (fn.async || fn.generator || fn.params.some((p) => p.type !== 'Identifier')) safe = false;
    eachNode(fn.body, (node) => {
      if (node.type === 'ThisExpression' || node.type === 'MetaProperty' || (node.type === 'Identifier' && node.name === 'arguments')) safe = false;
    });
  }
  eachNode(asm, (node) => {
    if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && functions.has(node.callee.name)) safe = false;
  });
  const declared = new Set();
  for (const s of statements.slice(0, last)) {
    if (s.type === 'FunctionDeclaration') {
      declared.add(s.id.name);
      continue;
    }
    eachNode(s, (node, parent) => {
      if (node.type === 'Identifier' && functions.has(node.name) && (!declared.has(node.name) || (parent && parent.type === 'CallExpression' && parent.callee === node))) safe = false;
    });
  }
  if (!safe) throw new Error('postman/build.mjs: the wasm2js translation changed shape (a function that is not only called, or named before the functions end): see functionsAsArrows()');
  const edits = [...functions.values()].map((fn) => ({
    start: fn.start,
    end: fn.end,
    text: `var ${fn.id.name} = (${fn.params.map((p) => p.name).join(', ')}) => ${source.slice(fn.body.start, fn.body.end)};`,
  }));
  return edited(source, edits, 'functionsAsArrows()');
}

/** esbuild: the translation with memoryCalls(), wordCopies(), int32Coercions(), unreadInitialisers(), framesAndConstants(), segmentBytes() and functionsAsArrows(). */
export function translationRewrites(source) {
  return functionsAsArrows(segmentBytes(framesAndConstants(unreadInitialisers(int32Coercions(wordCopies(memoryCalls(source)))))));
}
const memoryCallsPlugin = {
  name: 'memory-calls',
  setup(build) {
    build.onLoad({ filter: /[\\/]gen[\\/]postman[\\/]wasm2js\.mjs$/ }, ({ path }) => ({ contents: translationRewrites(readFileSync(path, 'utf8')), loader: 'js' }));
  },
};

async function bundleLibrary() {
  const esbuild = require('esbuild');
  const { minify_sync: terser } = require('terser');
  const pkg = JSON.parse(readFileSync(join(root, 'js', 'package.json'), 'utf8'));
  const result = await esbuild.build({
    entryPoints: [join(here, 'src', 'library.js')],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2019',
    // Fail rather than emit syntax an old sandbox or a classic script cannot run.
    supported: { class: false, 'async-await': false, 'async-generator': false, 'top-level-await': false, 'dynamic-import': false, 'import-meta': false },
    minify: true,
    mangleProps: /^__wb(g|indgen)_/,
    mangleQuoted: true,
    legalComments: 'none',
    // Postman's sandbox has no native SHA-256 (node:crypto, WebCrypto): js/src/api.js leaves out
    // the code that hands bodies to one (1.5 KB); and its binary's binding is the size builds'
    // (no body callback), so the servers' branch goes too (1 KB).
    define: { __SIGV4_VERSION__: JSON.stringify(pkg.version), __SIGV4_NATIVE_UTF8__: 'false', __SIGV4_NO_NATIVE_HASH__: 'true', __SIGV4_BODY_CALLBACK__: 'false' },
    banner: { js: `/*! sigv4-wasm ${pkg.version} for Postman: AWS Signature Version 4 as one classic script (the package's wasm2js build), defining var sigv4. Generated by postman/build.mjs; MIT OR Apache-2.0. */\nvar sigv4;` },
    footer: { js: "if (typeof module === 'object' && module) module.exports = sigv4;" },
    plugins: [memoryCallsPlugin],
    write: false,
    logLevel: 'silent',
  });
  if (result.warnings.length) throw new Error(`postman/build.mjs: esbuild warnings: ${result.warnings.map((w) => w.text).join('; ')}`);
  const { code } = terser(result.outputFiles[0].text, TERSER);
  return { code: `${code}\n`, version: pkg.version };
}

/** Identifiers the library must not rely on, outside strings and property names. */
const FORBIDDEN = ['globalThis', 'window', 'self', 'global', 'process', 'require', 'WebAssembly', 'async', 'await', 'class', 'import', 'export'];

/** Checks that sigv4.postman.js is a synchronous classic script that needs none of what Postman's sandboxes lack. */
export function checkLibrary(code) {
  const problems = [];
  try {
    new vm.Script(code, { filename: 'sigv4.postman.js' }); // a classic script: no import/export/top-level await
  } catch (error) {
    problems.push(`does not parse as a classic script: ${error.message}`);
  }
  const bare = code
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""');
  for (const word of FORBIDDEN) {
    // Skip property names (x.self, {self:...}): only a free use is reliance.
    const pattern = new RegExp(`(?<![.\\w$])${word}(?![\\w$])(?!\\s*:)`, 'g');
    const count = (bare.match(pattern) || []).length;
    if (count) problems.push(`uses '${word}' ${count} time(s)`);
  }
  const outcome = runInSandboxLikeContext(code);
  if (outcome.error) problems.push(`fails in a context without WebAssembly/TextEncoder/globalThis: ${outcome.error}`);
  return { problems, ...outcome };
}

/**
 * Loads the library in a fresh context shaped like postman-sandbox 4.7.1 (newman 6.2.2): no
 * globalThis, WebAssembly, TextEncoder/TextDecoder, crypto, URL, atob; then signs two AWS
 * examples and compares the signatures with AWS's, and a large body with its hash's.
 */
export function runInSandboxLikeContext(code) {
  const context = vm.createContext(Object.create(null));
  // A body past the size passed with the fields (js/src/api.js), which the core reads back: signed
  // as the SHA-256 of its UTF-8 bytes, computed here outside the context.
  const largeBody = 'Action=ünïcødé&Value='.repeat(150);
  context.LARGE_BODY = largeBody;
  context.LARGE_BODY_SHA256 = createHash('sha256').update(largeBody, 'utf8').digest('hex');
  vm.runInContext(`(function () {
    var g = this;
    ['globalThis', 'WebAssembly', 'TextEncoder', 'TextDecoder', 'crypto', 'URL', 'URLSearchParams', 'atob', 'btoa',
     'structuredClone', 'queueMicrotask', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry', 'WeakRef']
      .forEach(function (name) { delete g[name]; });
  })();`, context);
  try {
    vm.runInContext(code, context, { filename: 'sigv4.postman.js' });
    const out = vm.runInContext(`(function () {
      var getVanilla = sigv4.sign({ method: 'GET', url: 'https://example.amazonaws.com/' }, { accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service', datetime: '20150830T123600Z' });
      var s3Presign = sigv4.presign({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' }, { accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', datetime: '20130524T000000Z', expiresIn: 86400 });
      var post = function (body, payloadHash) {
        return sigv4.sign({ method: 'POST', url: 'https://example.amazonaws.com/', body: body }, { accessKeyId: 'AKIDEXAMPLE',
          secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service', datetime: '20150830T123600Z',
          payloadHash: payloadHash }).signature;
      };
      return JSON.stringify({ hasGlobalThis: typeof globalThis !== 'undefined', hasWasm: typeof WebAssembly !== 'undefined',
        backend: sigv4.getBackend(), getVanilla: getVanilla.signature, s3Presign: s3Presign.signature,
        largeBody: post(LARGE_BODY) === post(undefined, LARGE_BODY_SHA256) });
    })()`, context);
    const result = JSON.parse(out);
    if (result.hasGlobalThis || result.hasWasm) return { error: 'the test context still has globalThis or WebAssembly' };
    if (result.getVanilla !== '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31') return { error: `get-vanilla signature ${result.getVanilla}` };
    if (result.s3Presign !== 'aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404') return { error: `S3 presign signature ${result.s3Presign}` };
    if (!result.largeBody) return { error: 'a body of 3 KB (read by the core, not passed with the fields) is not signed as its SHA-256' };
    return { result };
  } catch (error) {
    return { error: error && error.stack ? error.stack.split('\n').slice(0, 3).join(' ') : String(error) };
  }
}

// ---- Stage 2: the collection and environment ---------------------------------------------------

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

function lines(text) {
  return text.replace(/\n$/, '').split('\n');
}

/** A request URL in Postman's stored form (raw plus parts, as the app saves it). */
function urlOf(raw, { query = [], variable } = {}) {
  const [base] = raw.split('?');
  const match = /^(\{\{[^}]+\}\})(.*)$/.exec(base);
  const url = { raw, host: [match ? match[1] : base], path: match && match[2] ? match[2].replace(/^\//, '').split('/') : [] };
  if (query.length) url.query = query.map(([key, value]) => ({ key, value }));
  if (variable) url.variable = variable;
  return url;
}

function tests(...exec) {
  return [{ listen: 'test', script: { type: 'text/javascript', exec } }];
}

const collectionDescription = `Signs every request with AWS Signature Version 4 in the collection's pre-request script, using sigv4-wasm's core (the same Rust signer as the npm package, as plain JavaScript: Postman's sandbox has no WebAssembly).

What it does that Postman's built-in "AWS Signature" does not: S3 \`UNSIGNED-PAYLOAD\` (form-data and file bodies, or a header \`X-Amz-Content-Sha256: UNSIGNED-PAYLOAD\`), the canonical request and string to sign in the Postman console (\`sigv4_log = true\`), presigned URLs (add \`X-Amz-Expires=N\` to a URL; the URL lands in the variable \`sigv4_presigned_url\` and the console), region and service read from AWS hosts, control over signed headers (\`sigv4_sign_headers\`, \`sigv4_unsigned_headers\`), a session token from the environment.

Keep the collection's Authorization on "No Auth". Set the credentials in the environment (sigv4-wasm.postman_environment.json). Every variable is listed in postman/README.md; the script's optional parts (temporary credentials, the Postman Vault) are postman/src/credentials.js and vault.js.`;

export function buildCollection(script) {
  return {
    info: {
      _postman_id: '5a1d7f0e-54c4-4b8e-9f3e-0a7c2f7c5e01',
      name: 'sigv4-wasm: AWS Signature Version 4',
      description: collectionDescription,
      schema: SCHEMA,
    },
    item: [
      {
        name: 'PetStore API (IAM-protected)',
        description: 'The API Gateway PetStore example with AWS_IAM authorization. `petstore_url` is the local API that `scripts/start` serves (http://127.0.0.1:8080/test, region us-east-1, service execute-api from aws_region/aws_service), or your own `https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`.',
        item: [
          {
            name: 'GET /pets',
            event: tests(
              "pm.test('200 with a list of dogs', function () {",
              '  pm.response.to.have.status(200);',
              '  var pets = pm.response.json();',
              "  pm.expect(pets).to.be.an('array').that.is.not.empty;",
              "  pets.forEach(function (pet) { pm.expect(pet.type).to.equal('dog'); });",
              '});',
            ),
            request: { method: 'GET', header: [], url: urlOf('{{petstore_url}}/pets?type=dog', { query: [['type', 'dog']] }) },
          },
          {
            name: 'GET /pets/{petId}',
            event: tests(
              "pm.test('200 with pet 2', function () {",
              '  pm.response.to.have.status(200);',
              '  pm.expect(pm.response.json().id).to.equal(2);',
              '});',
            ),
            request: { method: 'GET', header: [], url: urlOf('{{petstore_url}}/pets/:petId', { variable: [{ key: 'petId', value: '2', description: 'A pet id: 1, 2, 3...' }] }) },
          },
          {
            name: 'POST /pets',
            event: tests(
              "pm.test('200: the pet is added', function () {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.json().message).to.equal('success');",
              "  pm.expect(pm.response.json().pet.type).to.equal(pm.variables.get('pet_type'));",
              '});',
            ),
            request: {
              method: 'POST',
              header: [{ key: 'Content-Type', value: 'application/json' }],
              body: { mode: 'raw', raw: '{\n  "type": "{{pet_type}}",\n  "price": 249.99\n}', options: { raw: { language: 'json' } } },
              url: urlOf('{{petstore_url}}/pets'),
            },
          },
        ],
      },
      {
        name: 'STS',
        description: 'Who the credentials belong to. `sts_url` is https://sts.amazonaws.com (the host names its region and service), or a regional endpoint such as https://sts.eu-west-1.amazonaws.com.',
        item: [
          {
            name: 'GetCallerIdentity',
            event: tests(
              "pm.test('200 with the ARN of the signing identity', function () {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.text()).to.match(/<Arn>arn:aws:(iam|sts)::\\d{12}:[^<]+<\\/Arn>/);",
              '});',
            ),
            request: {
              method: 'POST',
              header: [],
              body: { mode: 'urlencoded', urlencoded: [{ key: 'Action', value: 'GetCallerIdentity' }, { key: 'Version', value: '2011-06-15' }] },
              url: urlOf('{{sts_url}}/'),
            },
          },
        ],
      },
      {
        name: 'S3',
        description: 'An object whose key has spaces and reserved characters. `s3_bucket_url` is https://{bucket}.s3.{region}.amazonaws.com (or path style, https://s3.{region}.amazonaws.com/{bucket}); `s3_key` goes into the URL as a path, so write a `+` in a key as `%2B` and a `%` as `%25` (S3 reads a raw `+` as a space).',
        item: [
          {
            name: 'PUT object',
            event: tests(
              "pm.test('200: stored', function () { pm.response.to.have.status(200); });",
            ),
            request: {
              method: 'PUT',
              header: [{ key: 'Content-Type', value: 'text/plain; charset=utf-8' }],
              body: { mode: 'raw', raw: '{{s3_object_text}}' },
              url: urlOf('{{s3_bucket_url}}/{{s3_key}}'),
            },
          },
          {
            name: 'GET object',
            event: tests(
              "pm.test('200 with the text that was put', function () {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.text()).to.equal(pm.variables.replaceIn('{{s3_object_text}}'));",
              '});',
            ),
            request: { method: 'GET', header: [], url: urlOf('{{s3_bucket_url}}/{{s3_key}}') },
          },
          {
            name: 'PUT object from a file (UNSIGNED-PAYLOAD)',
            description: 'A file body cannot be read by a script, so it is signed with UNSIGNED-PAYLOAD, which S3 accepts. Choose the file in Body > binary (newman: its path relative to --working-dir). The test fails when S3 stored an empty object (the ETag of nothing), and, with `s3_upload_md5` set, when it stored other bytes than that file (md5sum FILE).',
            event: tests(
              "pm.test('200: the file is stored, not an empty body', function () {",
              '  pm.response.to.have.status(200);',
              "  var etag = String(pm.response.headers.get('ETag') || '').replace(/\"/g, '');",
              "  pm.expect(etag, 'the ETag of an empty object: no file was sent (choose it in Body > binary; newman: --working-dir)').to.not.equal('d41d8cd98f00b204e9800998ecf8427e');",
              "  var md5 = pm.variables.get('s3_upload_md5');",
              "  if (md5) pm.expect(etag, 'the MD5 of the stored object against s3_upload_md5').to.equal(md5.toLowerCase());",
              '});',
            ),
            request: {
              method: 'PUT',
              header: [],
              body: { mode: 'file', file: { src: 'sigv4-upload.bin' } },
              url: urlOf('{{s3_bucket_url}}/{{s3_upload_key}}'),
            },
          },
          {
            name: 'Presign GET object',
            description: 'X-Amz-Expires in the URL makes the script presign instead of signing headers: it sends the presigned GET, and writes the URL to the variable sigv4_presigned_url and to the console.',
            event: tests(
              "pm.test('200 with the text that was put, through a presigned URL', function () {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.text()).to.equal(pm.variables.replaceIn('{{s3_object_text}}'));",
              "  pm.expect(pm.collectionVariables.get('sigv4_presigned_url')).to.include('X-Amz-Signature=');",
              '});',
            ),
            request: { method: 'GET', header: [], url: urlOf('{{s3_bucket_url}}/{{s3_key}}?X-Amz-Expires=300', { query: [['X-Amz-Expires', '300']] }) },
          },
          {
            name: 'GET the presigned URL',
            description: 'A URL that already carries X-Amz-Signature is sent as it is: anyone with it can GET the object until it expires.',
            event: tests(
              "pm.test('200 with the text that was put', function () {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.text()).to.equal(pm.variables.replaceIn('{{s3_object_text}}'));",
              '});',
            ),
            request: { method: 'GET', header: [], url: { raw: '{{sigv4_presigned_url}}', host: ['{{sigv4_presigned_url}}'] } },
          },
        ],
      },
      {
        name: 'S3 uploads',
        description: 'S3\'s other two upload forms, signed by this folder\'s own pre-request script (postman/src/s3-uploads.js) with sigv4-wasm/s3: set the variable `sigv4_s3_lib` to the text of the npm package\'s `js/dist/s3-js.cjs`. The collection\'s signer leaves its POST and PUT alone (the collection variables `sigv4_disabled@<request name>`) and signs the rest. `s3_bucket_url` as in the S3 folder.',
        event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(readFileSync(S3_UPLOADS_SOURCE, 'utf8')) } }],
        item: [
          {
            name: 'POST object with a presigned POST policy',
            description: 'A browser form\'s upload: the script signs a POST policy (key `s3_post_key`, at most `s3_post_max_bytes`, answer 201) and puts its fields before the file entry of the form-data body (choose the file in Body > form-data; newman: its path relative to --working-dir). The test fails unless S3 stored the file: its ETag against `s3_post_md5` when set, and never the ETag of nothing.',
            event: tests(
              "pm.test('201: the file is stored', function () {",
              '  pm.response.to.have.status(201);',
              "  var etag = (/<ETag>\"?([^<\"]*)\"?<\\/ETag>/.exec(pm.response.text()) || [])[1];",
              "  pm.expect(etag, 'the ETag of an empty object: no file was sent').to.not.equal('d41d8cd98f00b204e9800998ecf8427e');",
              "  var md5 = pm.variables.get('s3_post_md5');",
              "  if (md5) pm.expect(etag, 'the MD5 of the stored object against s3_post_md5').to.equal(md5.toLowerCase());",
              '});',
            ),
            request: {
              method: 'POST',
              header: [],
              body: { mode: 'formdata', formdata: [{ key: 'file', type: 'file', src: 'sigv4-post-upload.bin' }] },
              url: urlOf('{{s3_bucket_url}}'),
            },
          },
          {
            name: 'PUT object as a chunked upload',
            description: 'The raw text body sent in aws-chunked encoding: the seed request signed, each chunk of `s3_chunk_size` bytes signed in a chain, a CRC32C (`s3_checksum`) in a signed trailer. The next request reads the object back and compares it with the text.',
            event: tests(
              "pm.test('200: stored', function () { pm.response.to.have.status(200); });",
            ),
            request: {
              method: 'PUT',
              header: [{ key: 'Content-Type', value: 'text/plain; charset=utf-8' }],
              body: { mode: 'raw', raw: '{{s3_chunked_text}}' },
              url: urlOf('{{s3_bucket_url}}/{{s3_chunked_key}}'),
            },
          },
          {
            name: 'GET the chunked upload',
            description: 'Signed by the collection\'s script: the object the chunked upload stored, read back.',
            event: tests(
              "pm.test('200 with the text that was uploaded in chunks', function () {",
              '  pm.response.to.have.status(200);',
              "  pm.expect(pm.response.text()).to.equal(pm.variables.replaceIn('{{s3_chunked_text}}'));",
              '});',
            ),
            request: { method: 'GET', header: [], url: urlOf('{{s3_bucket_url}}/{{s3_chunked_key}}') },
          },
        ],
      },
      cognitoFolder(),
    ],
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(script) } }],
    variable: [
      { key: 'sigv4_presigned_url', value: '', description: 'Written by the pre-request script in presign mode.' },
      { key: 'sigv4_disabled@POST object with a presigned POST policy', value: 'true', description: 'Signed by the S3 uploads folder\'s own script.' },
      { key: 'sigv4_disabled@PUT object as a chunked upload', value: 'true', description: 'Signed by the S3 uploads folder\'s own script.' },
      ...COGNITO_VARIABLES,
    ],
    auth: { type: 'noauth' },
  };
}

// ---- The Cognito folder (issue 14) ----------------------------------------------------------
// Requests with Postman's own OAuth 2.0 authorization (authorization code with PKCE against the
// local user pool), which the signer leaves alone; a scripted sign-in for newman
// (src/cognito-signin.js); and the identity pool's credentials signing a call. Defaults: the
// local API started with --config www/server/example-config.json.

export const COGNITO_SIGNIN_SOURCE = join(here, 'src', 'cognito-signin.js');

/** Environment values: [key, value, type, description]. */
const COGNITO_ENVIRONMENT = [
  ['cognito_auth_url', 'http://127.0.0.1:8080/oauth2/authorize', 'default', 'OAuth 2.0 tab: Auth URL (a real pool: https://DOMAIN.auth.REGION.amazoncognito.com/oauth2/authorize)'],
  ['cognito_token_url', 'http://127.0.0.1:8080/oauth2/token', 'default', 'OAuth 2.0 tab: Access Token URL'],
  ['cognito_oauth_client_id', 'localwebapp000000000000001', 'default', 'OAuth 2.0 tab: Client ID (a public app client whose callback URLs list Postman\'s)'],
  ['cognito_callback_url', 'https://oauth.pstmn.io/v1/callback', 'default', 'OAuth 2.0 tab: Callback URL ("Authorize using browser")'],
  ['cognito_scope', 'openid email profile pets/read', 'default', 'OAuth 2.0 tab: Scope'],
  ['cognito_idp_url', 'http://127.0.0.1:8080/cognito-idp/', 'default', 'Scripted sign-in: the cognito-idp endpoint (a real pool: https://cognito-idp.REGION.amazonaws.com/)'],
  ['cognito_client_id', 'localbackend00000000000001', 'default', 'Scripted sign-in: an app client that allows USER_PASSWORD_AUTH'],
  ['cognito_client_secret', '', 'secret', 'Scripted sign-in: that client\'s secret, for SECRET_HASH (empty for a public client; the example config\'s: backend/secret/for/the/local/pool/only)'],
  ['cognito_username', 'alice', 'default', 'Scripted sign-in: the user'],
  ['cognito_password', '', 'secret', 'Scripted sign-in: the user\'s password (the example config\'s alice: Alice#local-only-1); empty: no scripted sign-in (use the OAuth 2.0 tab)'],
  ['cognito_identity_url', 'http://127.0.0.1:8080/cognito-identity/', 'default', 'The cognito-identity endpoint (a real pool: https://cognito-identity.REGION.amazonaws.com/)'],
  ['cognito_identity_pool_id', 'us-east-1:0f0e0d0c-1111-4222-8333-444455556666', 'default', 'The identity pool'],
];

/** Collection variables: written by the scripts (their local values), and what keeps the signer off the identity pool's own calls. */
const COGNITO_VARIABLES = [
  ...['cognito_id_token', 'cognito_access_token', 'cognito_refresh_token', 'cognito_tokens_expire_at', 'cognito_token_username']
    .map((key) => ({ key, value: '', description: 'Written by the Cognito folder\'s sign-in script (src/cognito-signin.js), or paste a token here.' })),
  { key: 'cognito_identity_id', value: '', description: 'Written by the request GetId.' },
  { key: 'sigv4_disabled@GetId', value: 'true', description: 'The identity pool\'s GetId is not signed (as at AWS).' },
  { key: 'sigv4_disabled@GetCredentialsForIdentity', value: 'true', description: 'Nor is GetCredentialsForIdentity.' },
];

/** Postman's OAuth 2.0 authorization: authorization code with PKCE (S256) against the user pool, sending `token` raw. */
function cognitoOAuth2(token, tokenName) {
  const entries = [
    ['grant_type', 'authorization_code_with_pkce'],
    ['challengeAlgorithm', 'S256'],
    ['authUrl', '{{cognito_auth_url}}'],
    ['accessTokenUrl', '{{cognito_token_url}}'],
    ['clientId', '{{cognito_oauth_client_id}}'],
    ['clientSecret', ''],
    ['redirect_uri', '{{cognito_callback_url}}'],
    ['useBrowser', true],
    ['scope', '{{cognito_scope}}'],
    ['client_authentication', 'body'],
    ['tokenName', tokenName],
    ['accessToken', token],
    ['addTokenTo', 'header'],
    ['headerPrefix', ''], // API Gateway's COGNITO_USER_POOLS authorizer takes the token itself
  ];
  return { type: 'oauth2', oauth2: entries.map(([key, value]) => ({ key, value, type: typeof value === 'boolean' ? 'boolean' : 'string' })) };
}

/** Test lines: 200, and the token's user is the one signed in. */
function signedInAs(what, user) {
  return tests(
    `pm.test('200 for the user of the ${what}', function () {`,
    '  pm.response.to.have.status(200);',
    `  var user = ${user};`,
    "  pm.expect(user, 'the user the API saw').to.be.a('string').that.is.not.empty;",
    "  var expected = pm.variables.get('cognito_token_username') || pm.variables.get('cognito_username');",
    '  if (expected) pm.expect(user).to.equal(expected);',
    '});',
  );
}

/** Lines that set the local variable cognito_login_provider: the ID token's issuer without its scheme (the identity pool's Logins key). */
const LOGIN_PROVIDER = [
  "var idToken = String(pm.variables.get('cognito_id_token') || '');",
  'if (idToken.split(\'.\').length === 3) {',
  "  var CryptoJS = require('crypto-js');",
  "  var part = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');",
  "  while (part.length % 4) part += '=';",
  '  var iss = JSON.parse(CryptoJS.enc.Base64.parse(part).toString(CryptoJS.enc.Utf8)).iss;',
  "  pm.variables.set('cognito_login_provider', String(iss).replace(/^https?:\\/\\//, ''));",
  '}',
];

const identityCall = (target, body) => ({
  method: 'POST',
  header: [
    { key: 'Content-Type', value: 'application/x-amz-json-1.1' },
    { key: 'X-Amz-Target', value: `AWSCognitoIdentityService.${target}` },
  ],
  body: { mode: 'raw', raw: body, options: { raw: { language: 'json' } } },
  url: { raw: '{{cognito_identity_url}}', host: ['{{cognito_identity_url}}'] },
});

function cognitoFolder() {
  const signin = readFileSync(COGNITO_SIGNIN_SOURCE, 'utf8');
  return {
    name: 'Cognito',
    description: 'A Cognito user pool\'s tokens, then its identity pool\'s credentials (the local API: `node www/server/server.mjs --config www/server/example-config.json`).\n\n' +
      'The two token routes use Postman\'s OAuth 2.0 authorization (Authorization Code (With PKCE), SHA-256, client credentials in the body), so the signer leaves them alone. In the app: "Get New Access Token" on their Authorization tab. Without a browser (newman): set `cognito_password` and this folder\'s script signs in with USER_PASSWORD_AUTH, keeps the tokens in variables and refreshes them when they expire. Steps: postman/README.md, "Cognito sign-in".',
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: lines(signin) } }],
    item: [
      {
        name: 'GET /me (ID token)',
        description: 'A method behind the COGNITO_USER_POOLS authorizer without OAuth scopes: it takes an ID token, raw in Authorization. In the app, choose "Use Token Type: ID token".',
        event: signedInAs('ID token', "pm.response.json().requestContext.authorizer.claims['cognito:username']"),
        request: { method: 'GET', header: [], auth: cognitoOAuth2('{{cognito_id_token}}', 'Local user pool (ID token)'), url: urlOf('{{petstore_url}}/me') },
      },
      {
        name: 'GET / (access token)',
        description: 'A method with OAuth scopes (pets/read, or aws.cognito.signin.user.admin, which InitiateAuth\'s tokens carry): it takes an access token. The local API names the caller in X-Local-Caller.',
        event: signedInAs('access token', "decodeURIComponent(String(pm.response.headers.get('X-Local-Caller') || ''))"),
        request: { method: 'GET', header: [], auth: cognitoOAuth2('{{cognito_access_token}}', 'Local user pool (access token)'), url: urlOf('{{petstore_url}}/') },
      },
      {
        name: 'Identity pool',
        description: 'The identity pool\'s credentials for the ID token (GetId, GetCredentialsForIdentity: not signed, as at AWS), kept as this folder\'s aws_access_key_id@Identity pool, aws_secret_access_key@Identity pool and aws_session_token@Identity pool, which the signer uses for the requests of this folder.',
        event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: LOGIN_PROVIDER } }],
        item: [
          {
            name: 'GetId',
            event: tests(
              "pm.test('200 with the identity id', function () {",
              '  pm.response.to.have.status(200);',
              '  var id = pm.response.json().IdentityId;',
              "  pm.expect(id).to.be.a('string').that.is.not.empty;",
              "  pm.collectionVariables.set('cognito_identity_id', id);",
              '});',
            ),
            request: identityCall('GetId', '{\n  "IdentityPoolId": "{{cognito_identity_pool_id}}",\n  "Logins": { "{{cognito_login_provider}}": "{{cognito_id_token}}" }\n}'),
          },
          {
            name: 'GetCredentialsForIdentity',
            event: tests(
              "pm.test('200 with temporary credentials', function () {",
              '  pm.response.to.have.status(200);',
              '  var c = pm.response.json().Credentials;',
              "  pm.expect(c.SessionToken).to.be.a('string').that.is.not.empty;",
              "  pm.collectionVariables.set('aws_access_key_id@Identity pool', c.AccessKeyId);",
              "  pm.collectionVariables.set('aws_secret_access_key@Identity pool', c.SecretKey);",
              "  pm.collectionVariables.set('aws_session_token@Identity pool', c.SessionToken);",
              "  console.info('cognito: identity pool credentials ' + c.AccessKeyId.slice(0, 4) + '…, valid until ' + new Date(c.Expiration * 1000).toISOString());",
              '});',
            ),
            request: identityCall('GetCredentialsForIdentity', '{\n  "IdentityId": "{{cognito_identity_id}}",\n  "Logins": { "{{cognito_login_provider}}": "{{cognito_id_token}}" }\n}'),
          },
          {
            name: 'GET /whoami (identity pool credentials)',
            description: 'Signed by the collection\'s script with the identity pool\'s credentials: the API answers with the assumed role.',
            event: tests(
              "pm.test('200, signed by the identity pool\\'s role', function () {",
              '  pm.response.to.have.status(200);',
              '  var identity = pm.response.json().requestContext.identity;',
              '  pm.expect(identity.userArn).to.match(/^arn:aws:sts::\\d{12}:assumed-role\\//);',
              "  pm.expect(identity.cognitoIdentityId).to.equal(pm.variables.get('cognito_identity_id'));",
              '});',
            ),
            request: { method: 'GET', header: [], url: urlOf('{{petstore_url}}/whoami') },
          },
        ],
      },
    ],
  };
}

export function buildEnvironment() {
  const value = (key, v, type = 'default', description) => ({ key, value: v, type, enabled: true, ...(description ? { description } : {}) });
  return {
    id: '5a1d7f0e-54c4-4b8e-9f3e-0a7c2f7c5e02',
    name: 'sigv4-wasm',
    values: [
      value('aws_access_key_id', '', 'secret'),
      value('aws_secret_access_key', '', 'secret'),
      value('aws_session_token', '', 'secret'),
      value('aws_region', 'us-east-1'),
      value('aws_service', 'execute-api'),
      value('petstore_url', 'http://127.0.0.1:8080/test'),
      value('pet_type', 'dog'),
      value('sts_url', 'https://sts.amazonaws.com'),
      value('s3_bucket_url', 'https://YOUR-BUCKET.s3.us-east-1.amazonaws.com'),
      value('s3_key', "sigv4 demo/Q&A=notes (1)!$'*,;:@%2B.txt"),
      value('s3_object_text', 'Signed in Postman by sigv4-wasm: ünïcødé ✓\n'),
      value('s3_upload_key', 'sigv4 demo/upload (unsigned payload).bin'),
      value('s3_upload_md5', '', 'default', 'The MD5 of the file chosen for the upload (md5sum FILE); when set, the upload test compares it with the stored object\'s ETag.'),
      value('s3_post_key', 'sigv4 demo/uploads/${filename}'),
      value('s3_post_md5', '', 'default', 'The MD5 of the file chosen for the POST upload; when set, its test compares it with the stored object\'s ETag.'),
      value('s3_chunked_key', 'sigv4 demo/chunked.txt'),
      value('s3_chunked_text', 'Sent by Postman in aws-chunked encoding, each chunk signed by sigv4-wasm: ünïcødé ✓\n'),
      value('sigv4_log', 'false'),
      ...COGNITO_ENVIRONMENT.map(([key, v, type, description]) => value(key, v, type, description)),
    ],
    _postman_variable_scope: 'environment',
  };
}

// ---- The two stages -----------------------------------------------------------------------

const relative = (path) => path.slice(root.length + 1);

/** Stage 1 in memory: the library from js/dist and js/src (async: esbuild runs a plugin). { path, code, check, sizes, version } */
export async function buildLibrary() {
  requirePackageBuild();
  const { code, version } = await bundleLibrary();
  const sizes = {
    libraryMinified: Buffer.byteLength(code),
    libraryMinifiedGzip: gzipSync(code, { level: 9 }).length,
    budget: SIZE_BUDGET,
  };
  return { path: FILES.library, code, check: checkLibrary(code), sizes, version };
}

/** Whether js/dist holds what stage 1 reads. */
export function packageBuilt() {
  return GENERATED_INPUTS.every((f) => existsSync(join(GEN, f)));
}

/**
 * Stage 2 in memory: the paste-ready script, the collection and the environment, from the
 * library's text (by default the committed postman/sigv4.postman.js) and postman/src.
 * Returns { [path]: text }.
 */
export function buildFromLibrary(library = readCommittedLibrary()) {
  const prerequest = `${library}\n${signerScript([])}`;
  const json = (value) => `${JSON.stringify(value, null, '\t')}\n`;
  return {
    [FILES.prerequest]: prerequest,
    [FILES.collection]: json(buildCollection(`${library}\n${signerScript()}`)),
    [FILES.environment]: json(buildEnvironment()),
  };
}

function readCommittedLibrary() {
  if (!existsSync(FILES.library)) {
    throw new Error(`postman/build.mjs: ${relative(FILES.library)} is missing; it is committed (restore it with git), or rebuild it from the package (node js/build.mjs, then node postman/build.mjs)`);
  }
  const code = readFileSync(FILES.library, 'utf8');
  new vm.Script(code, { filename: 'sigv4.postman.js' }); // throws when it is not one classic script
  return code;
}

/** Writes a file whole or not at all, so concurrent builders and readers never see half of one. */
function writeWhole(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/** Stage 2 on disk: writes postman/dist from the committed library and postman/src. Returns { [path]: text }. */
export function writeFromLibrary() {
  const files = buildFromLibrary();
  mkdirSync(DIST, { recursive: true });
  for (const [path, text] of Object.entries(files)) writeWhole(path, text);
  return files;
}

/** Stage 1 on disk; logs the size and checks. Returns false when a check fails. */
async function libraryStage() {
  const { code, check, sizes, version } = await buildLibrary();
  writeWhole(FILES.library, code);
  console.log(`wrote ${relative(FILES.library)} (${Buffer.byteLength(code)} bytes): commit it`);
  console.log(`sigv4-wasm ${version}: sigv4.postman.js is ${sizes.libraryMinified} bytes minified (${sizes.libraryMinifiedGzip} gzip); budget ${SIZE_BUDGET}`);
  let ok = true;
  if (check.problems.length) {
    console.error(`postman/build.mjs: sigv4.postman.js FAILS its checks:\n  - ${check.problems.join('\n  - ')}`);
    ok = false;
  } else {
    console.log('checks: a classic script, no import/export/class/async, no globalThis/window/self, signs the AWS examples without WebAssembly, TextEncoder or globalThis');
  }
  return ok; // (its size: the paste's budget, which distStage checks, holds it too)
}

/** Stage 2 on disk; logs each file's size. Returns false when the paste is over budget. */
function distStage() {
  const files = writeFromLibrary();
  for (const [path, text] of Object.entries(files)) {
    console.log(`wrote ${relative(path)} (${Buffer.byteLength(text)} bytes)`);
  }
  const paste = Buffer.byteLength(files[FILES.prerequest]);
  if (paste <= SIZE_BUDGET) return true;
  console.error(`\npostman/build.mjs: OVER THE SIZE BUDGET: ${relative(FILES.prerequest)} is ${paste} bytes, ` +
    `${paste - SIZE_BUDGET} over the ${SIZE_BUDGET}-byte budget for the paste (issue 14). Every file was written; ` +
    `the library is ${Buffer.byteLength(readFileSync(FILES.library))} bytes of it, most of that the wasm2js translation (js/dist/sizes.json).`);
  return false;
}

const USAGE = 'usage: node postman/build.mjs [--from-library]\n' +
  '  (no flag)        the library from js/dist (postman/sigv4.postman.js), then postman/dist from it\n' +
  '  --from-library   postman/dist only, from the committed postman/sigv4.postman.js and postman/src (Node only)';

async function main(args) {
  const unknown = args.filter((a) => a !== '--from-library');
  if (unknown.length) {
    console.error(`postman/build.mjs: unknown argument ${unknown.join(' ')}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  let ok = true;
  if (args.includes('--from-library')) {
    // stage 2 only
  } else if (packageBuilt()) {
    ok = await libraryStage();
  } else {
    console.log(`js/dist is not built (node js/build.mjs, which needs Rust): ${relative(FILES.library)} is left as committed`);
  }
  if (!distStage()) ok = false;
  if (!ok) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
