import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';

// The package's builds as each audience gets them, for the suites that run in Node: one
// build's signer API (sigv4-wasm in that runtime) with verify from the same audience's
// sigv4-wasm/verify. js/package.json maps the conditions to these files; Node's own
// condition is `server`, the others are imported by file.
export const BUILDS = {
  /** Node, Deno, Bun: the servers' binary, built for speed; one instance for both subpaths. */
  server: { signer: 'sigv4-wasm', verify: 'sigv4-wasm/verify', s3: 'sigv4-wasm/s3', backend: 'wasm' },
  /** Browsers and bundlers: the signer's binary, built for size; verify brings the servers'. */
  browser: { signer: '../../js/dist/browser.mjs', verify: '../../js/dist/verify.mjs', s3: '../../js/dist/s3.mjs', backend: 'wasm' },
  /** Postman, pages that refuse WebAssembly, runtimes without it: the signer's translation. */
  js: { signer: 'sigv4-wasm/js', verify: '../../js/dist/verify-js.mjs', s3: '../../js/dist/s3-js.mjs', backend: 'js' },
  /** React Native: the translation of the signer built for speed in an interpreter. */
  native: { signer: '../../js/dist/react-native.cjs', verify: '../../js/dist/verify-js.mjs', s3: '../../js/dist/s3-js.cjs', backend: 'js' },
};

/** The signer API of build `name` with its verify and verifyChunked (and `verifyBackend`, its getBackend) and
 * sigv4-wasm/s3's signChunked and presignPost (and `s3InferScope`, its inferScope). */
export async function loadBuild(name) {
  const build = BUILDS[name];
  // A CommonJS-only bundle (react-native.cjs) imports as its module.exports, under default.
  const load = async (entry) => {
    const module = await import(entry);
    return module.sign || module.verify || module.signChunked ? module : module.default;
  };
  const [signer, verifier, s3] = await Promise.all([load(build.signer), load(build.verify), load(build.s3)]);
  return { ...signer, verify: verifier.verify, verifyChunked: verifier.verifyChunked, verifyBackend: verifier.getBackend, signChunked: s3.signChunked, presignPost: s3.presignPost, s3InferScope: s3.inferScope };
}

/** The .wasm binaries a bundle inlines (js/build.mjs: `{ text, table }`, a string of printable
 * characters and the hex of the 88 bytes that the first 88 of the 90 characters stand for;
 * the last two start a pair of characters for each other byte, in increasing order), as
 * Buffers: each
 * `text` literal followed by its `table`, decoded, and each string or template literal that
 * starts with the wasm magic "\0asm" as it is (a binary inlined byte for byte), read back by
 * evaluating the literal. */
export function inlinedWasm(code) {
  const found = [];
  const literalAt = (at) => {
    const quote = code[at];
    let end = at + 1;
    for (; end < code.length && code[end] !== quote; end++) if (code[end] === '\\') end++;
    return { text: runInNewContext(code.slice(at, end + 1)), end: end + 1 };
  };
  const encoded = /\btext:\s*(["'`])/g;
  for (let m; (m = encoded.exec(code));) {
    const { text, end } = literalAt(m.index + m[0].length - 1);
    // The table is a string literal too, which a bundle with a line limit continues over lines.
    const tableAt = /^,\s*table:\s*["'`]/.exec(code.slice(end));
    const table = tableAt && literalAt(end + tableAt[0].length - 1).text;
    if (!/^[0-9a-f]{176}$/.test(table)) continue;
    const listed = [...Buffer.from(table, 'hex')];
    const byRank = listed.concat([...Array(256).keys()].filter((byte) => !listed.includes(byte)));
    const plain = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).filter((c) => !'"\'\\`$'.includes(c));
    const bytes = [];
    for (let i = 0; i < text.length; i++) {
      const first = plain.indexOf(text[i]);
      assert.ok(first >= 0, `the inlined text has only the 90 printable characters (not ${JSON.stringify(text[i])})`);
      bytes.push(byRank[first < 88 ? first : 88 + (first - 88) * 90 + plain.indexOf(text[++i])]);
    }
    found.push(Buffer.from(bytes));
    encoded.lastIndex = end;
  }
  const start = /(["'`])(?:\\0|\\x00|\\u0000)asm/g;
  for (let m; (m = start.exec(code));) {
    const { text, end } = literalAt(m.index);
    found.push(Buffer.from(text, 'latin1'));
    start.lastIndex = end;
  }
  return found;
}
