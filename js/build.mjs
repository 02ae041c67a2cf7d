// Builds the npm package into js/dist from the Rust core: one core, a binary per audience.
//
//   for each binary (BINARIES: the signer built for size, the whole API built for speed):
//     cargo (wasm32, MVP features, size-optimized std)  ->  wasm-bindgen (web target glue)
//     -> wasm-opt (the .wasm)  ->  wasm2js (the same binary as JavaScript)
//   -> esbuild (one ESM and one CJS bundle per entry point, js/src/entries/)
//   -> the facades that publish the servers' bundle as two subpaths
//
// Each step checks its output; a patch to generated code must apply exactly once, so a
// changed wasm-bindgen or binaryen fails the build instead of producing a subtly broken one.
// The package is built in a staging copy of js/ (target/js-stage) and moved into js/dist at
// the end, so js/dist always holds one whole build: a failed build leaves the last good one,
// and readers (tests, bench, postman/build.mjs) never see a half-written package.
// Usage: node js/build.mjs        (run from anywhere; tools come from the workspace root)

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const published = join(root, 'js', 'dist');
// The stage mirrors js/ (src/ copied, dist/ built), so the entries' '../../dist/gen/' imports
// and the glue's '../../src/utf8.js' resolve the same there as in js/ after the move.
const js = join(root, 'target', 'js-stage');
const dist = join(js, 'dist');
const gen = join(dist, 'gen');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/**
 * Size budgets from issue 3 (bytes), shared with tests/js/package.test.mjs. The browser app's
 * 30 KB gzipped (issue 12) is an app's, bundled by esbuild, Vite and webpack in that test, not
 * dist/browser.mjs's (every export, before a bundler drops what the app does not import).
 */
const BUDGET = JSON.parse(readFileSync(join(root, 'js', 'size-budget.json'), 'utf8'));

function run(command, args, options = {}) {
  console.log(`$ ${[command, ...args].join(' ')}`);
  return execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** Replaces `find` in `text` exactly once (or `count` times), or fails. */
function patch(text, find, replacement, what, count = 1) {
  const found = text.split(find).length - 1;
  if (found !== count) throw new Error(`build: patch '${what}' expected ${count} match(es), found ${found}`);
  return text.split(find).join(replacement);
}

/**
 * The binaries, one per audience; the entries (js/src/entries/) choose theirs. Same core and
 * same output; they differ in what the binding exports and what the compiler optimizes for.
 * - signer: sign, presign, inferScope, signingKeyDerivation (the cargo feature `wasm`), for
 *   size: browsers load it inlined; sigv4-wasm/js and Postman run its wasm2js translation.
 * - native: the same binding for speed in an interpreter: React Native (Hermes) runs its
 *   translation, which is the only part shipped. opt-level 2 inlines the small functions
 *   (Hermes calls are dear) and the unrolled SHA-256 keeps its state in locals instead of
 *   memory; measured in Hermes 0.12 (bench/hermes.mjs), 2.1x the signer's signatures per
 *   second and 3x its hashing, for 24 KB more gzipped.
 * - server: the signer and verifyRequest (the feature `verify`), for speed: Node, Deno, Bun
 *   and workerd, and sigv4-wasm/verify everywhere; with the core's feature `speed` (larger
 *   fast paths), which the signer and native binaries do not get; and S3's chunked uploads
 *   and POST policies (the feature `uploads`) for sigv4-wasm/s3 in those runtimes.
 * - uploads: the signer with S3's chunked uploads and POST policies, for size:
 *   sigv4-wasm/s3 outside servers (browsers inline it, React Native runs its translation).
 *   The signer alone is 27 KB smaller without them.
 * - verifier: the signer and verifyRequest alone, for size: sigv4-wasm/verify outside servers
 *   (inlined, with its translation as the fallback) and in React Native (the translation),
 *   which would otherwise carry the servers' binary, uploads included (its wasm and its
 *   translation, twice, in each verify bundle).
 * - cognito: the signer and the Cognito user-pool math (the feature `cognito`: SRP with
 *   num-bigint, SECRET_HASH, PKCE, JWT decoding), for size: sigv4-wasm/cognito in every
 *   runtime (inlined with its translation as the fallback; React Native runs the
 *   translation). The servers' binary no longer carries it, nor does any signer.
 * - postman: the signer without what the Postman script never calls (`--cfg sigv4_postman`:
 *   no signingKeyDerivation; 1.2 KB of translation), pairs sorted by insertion only
 *   (src/encode.rs, 0.7 KB), and no signing-key cache (src/cache.rs: Postman runs the library
 *   anew for each request; 1.6 KB), built as the signer is otherwise; only its translation is
 *   used, by postman/build.mjs.
 */
// For size: after a first -Oz, the control flow is flattened and rebuilt by the relooper
// (--flatten --rereloop) and optimized again: LLVM's nested blocks of the large inlined
// functions come out smaller, in the .wasm (0.5 KB) and more so in its wasm2js translation
// (2 KB), at the same speed. --low-memory-unused lets it fold a constant added to an address
// into the load or store (0.3 KB): the binary's lowest 1 KiB is the far end of its 1 MiB stack,
// which no call reaches (the deepest is 16 KiB, js/src/api.js), so an address computed there
// could only come from a stack already overflowed, and then traps instead of wrapping.
// Then functions that differ only in constants are merged into one taking them as parameters,
// and the result optimized once more (the signer: 54 B, 76 B gzipped).
// Last, the functions are put in the order of how often they are called, so that the most
// called have the shortest indices, and optimized once more (the signer: 84 B gzipped less;
// the reordering alone, 45 B).
const SMALLEST = ['-Oz', '--low-memory-unused', '--converge', '--flatten', '--rereloop', '-Oz', '--converge',
  '--merge-similar-functions', '-Oz', '--converge', '--reorder-functions', '-Oz'];
// The signer's LLVM options. GVN sinking moves code that both arms of a branch end with (the
// moves and drops before a shared return) after the branch: 100 B (28 B gzipped), 110 B of the
// translation; hoisting as well, or instead, makes it larger gzipped. With MIR inlining on,
// LLVM's inline threshold at 12 instead of opt-level z's 5 inlines the small functions MIR
// left: 124 B (126 B gzipped), 338 B of the translation; 11 to 14 give the same binary, 10
// and 16 to 25 a larger one. GVN without its memory dependence analysis (which lets it remove
// loads of values already loaded or stored): 163 B (158 B gzipped), about 40 B of the translation.
const SIGNER_LLVM = ['-Cllvm-args=-enable-gvn-sink', '-Cllvm-args=-inline-threshold=12', '-Cllvm-args=-enable-gvn-memdep=false'];
const BINARIES = {
  signer: { features: 'wasm', optLevel: 'z', sha256: ['--cfg', 'sha2_backend_soft="compact"', ...SIGNER_LLVM], wasmOpt: SMALLEST, shipped: true },
  native: { features: 'wasm', optLevel: '2', sha256: [], wasmOpt: ['-Oz', '--converge'], shipped: false },
  server: { features: 'verify,speed,uploads', optLevel: '3', sha256: [], wasmOpt: ['-O3'], shipped: true },
  uploads: { features: 'uploads', optLevel: 'z', sha256: ['--cfg', 'sha2_backend_soft="compact"'], wasmOpt: ['-Oz', '--converge'], shipped: false },
  verifier: { features: 'verify', optLevel: 's', sha256: [], wasmOpt: ['-Os', '--converge'], shipped: false },
  cognito: { features: 'cognito', optLevel: 's', sha256: [], wasmOpt: ['-Os', '--converge'], shipped: false },
  postman: { features: 'wasm', optLevel: 'z', sha256: ['--cfg', 'sha2_backend_soft="compact"', ...SIGNER_LLVM, '--cfg', 'sigv4_postman'], wasmOpt: SMALLEST, shipped: false },
};

// wasm-bindgen reads the target-features section to choose its ABI; without it, it keeps the
// MVP ABI that wasm2js can translate (no reference types, no multi-value).
const features = ['--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-mutable-globals'];
const trapError = (message) => `var error = new Error('${message}'); error.name = 'RuntimeError'; throw error;`;

rmSync(js, { recursive: true, force: true });
mkdirSync(gen, { recursive: true });
cpSync(join(root, 'js', 'src'), join(js, 'src'), { recursive: true });

/** Builds binary `name` into dist/gen/<name>/ (glue.js, wasm-bytes.js, wasm2js.mjs) and,
 * if `shipped`, dist/sigv4-<name>.wasm; returns its bytes and the path of its minified
 * translation. */
function buildBinary(name, { features: cargoFeatures, optLevel, sha256, wasmOpt, shipped }) {
  const out = join(gen, name);
  mkdirSync(out, { recursive: true });
  // 1. The core with the binding, for wasm32 with the MVP features plus bulk memory (one
  //    instruction per memcpy instead of a byte loop; every engine since 2021 has it, and one
  //    without it refuses the module and gets the wasm2js translation), and a std built the
  //    same way: panics abort without formatting a message (the core has no reachable panics;
  //    a test would fail), and no file locations are embedded. These are unstable options of
  //    the stable toolchain, enabled with RUSTC_BOOTSTRAP as the fuzzer is.
  //    `cargo rustc` passes the linker its map only when it links the crate (std is not rebuilt).
  const targetDir = join(root, 'target', 'wasm-package', name);
  const linkMap = join(targetDir, 'sigv4.map');
  run('cargo', [
    'rustc', '--release', '--lib', '--features', cargoFeatures,
    '--target', 'wasm32-unknown-unknown',
    '-Zbuild-std=std,panic_abort',
    '--', `-Clink-arg=--Map=${linkMap}`,
  ], {
    cwd: root,
    env: {
      ...process.env,
      RUSTC_BOOTSTRAP: '1',
      CARGO_TARGET_DIR: targetDir,
      CARGO_PROFILE_RELEASE_OPT_LEVEL: optLevel,
      RUSTFLAGS: [
        '-Ctarget-cpu=mvp', '-Ctarget-feature=+bulk-memory',
        ...sha256,
        // rustc inlines small functions in MIR before LLVM sees them, but not at opt-level s
        // or z, where LLVM's own inliner keeps even `str::bytes` a call and an iterator's
        // state in memory. Turned on for the size-built binaries it makes them smaller: the
        // signer by 1.3 KB (0.55 KB gzipped), its translation by 1.7 KB; with a threshold of
        // 100 instead of 50, 0.6 KB (0.3 KB gzipped) more (25: 0.06 KB).
        ...(['s', 'z'].includes(optLevel) ? ['-Zinline-mir=yes', '-Zinline-mir-threshold=100'] : []),
        '-Zunstable-options', '-Cpanic=immediate-abort',
        '-Zlocation-detail=none',
      ].join(' '),
    },
  });

  const raw = join(targetDir, 'wasm32-unknown-unknown', 'release', 'sigv4.wasm');
  checkWritableStatics(name, linkMap, raw);

  // 2. The glue: wasm-bindgen on the binary without its target-features section.
  const stripped = join(out, 'stripped.wasm');
  run(bin('wasm-opt'), [raw, ...features, '--strip-target-features', '-o', stripped]);
  run('wasm-bindgen', [stripped, '--target', 'web', '--out-dir', out, '--out-name', 'sigv4', '--no-typescript']);

  // 3. The .wasm, optimized; checked to use nothing beyond the MVP, bulk memory, sign
  //    extension and mutable globals.
  const wasmFile = join(shipped ? dist : out, `sigv4-${name}.wasm`);
  run(bin('wasm-opt'), [join(out, 'sigv4_bg.wasm'), ...features, ...wasmOpt, '--strip-producers', '-o', wasmFile]);
  // wasm-bindgen names each import it generates after the JavaScript it calls and a hash
  // (`__wbg_set_name_822e3903f3184979`), written in the .wasm and again in the glue: one letter
  // each instead (the glue's keys are renamed in step 5) takes 0.2 KB gzipped off the browser app.
  const imports = shortImportNames(readFileSync(wasmFile));
  writeFileSync(wasmFile, imports.bytes);
  run(bin('wasm-opt'), [wasmFile, '--mvp-features', '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-sign-ext',
    '--enable-mutable-globals', '-o', join(out, 'features-check.wasm')]);
  // js/src/api.js puts an instance a call broke back as instantiated by rewriting its memory
  // and its stack pointer, and saves the static data above the stack to do so: that is the
  // instance's whole state only while the binary has no other mutable global, no start
  // function, no passive data and a table it never changes, and puts its data above the stack.
  const wat = join(out, 'sigv4_bg.wat');
  run(bin('wasm-dis'), [wasmFile, '-o', wat]);
  const text = readFileSync(wat, 'utf8');
  const mutableGlobals = [...text.matchAll(/^ \(global \S+ \(mut i32\) \(i32\.const (\d+)\)\)$/gm)];
  const dataAt = [...text.matchAll(/^ \(data \S+ \(i32\.const (\d+)\)/gm)].map((m) => Number(m[1]));
  if (mutableGlobals.length !== 1 || (text.match(/\(mut /g) || []).length !== 1) throw new Error(`build: ${name}: the binary has a mutable global besides the stack pointer`);
  if (/\(start |\b(table\.(set|grow|fill|copy|init)|elem\.drop|data\.drop|memory\.init)\b/.test(text)) throw new Error(`build: ${name}: the binary has state beyond its memory and stack pointer`);
  if (!dataAt.length || Math.min(...dataAt) < Number(mutableGlobals[0][1])) throw new Error(`build: ${name}: the binary has data below its stack`);
  const wasmBytes = readFileSync(wasmFile);
  // The .wasm inlined, so that loading is synchronous: as a string of printable ASCII
  // characters, which no bundler escapes (base64 cost the browser bundle a quarter more: its
  // 6-bit symbols hide the file's byte patterns from gzip). The 88 most frequent bytes (93 %
  // of the signer) are one character each, the others two (one of two escape characters, then
  // one of the 90). The signer's inlined module, minified by esbuild, is 26.41 KB gzipped with
  // the table of the 88 (the file: 26.16), and was 26.65 with a table of every byte's rank;
  // with one character per byte and the rarer bytes as JavaScript escapes (\n, \x83), 27.60
  // against a file of 26.52. load.js's bytesOf() decodes it with the table.
  writeFileSync(join(out, 'wasm-bytes.js'), `// The .wasm inlined as printable text (generated: js/build.mjs, inlined()).\nexport default ${JSON.stringify(inlined(wasmBytes))};\n`);

  // 4. wasm2js: the same binary as JavaScript, as a factory taking the glue's imports.
  const wasm2jsOut = join(out, 'wasm2js.raw.mjs');
  run(bin('wasm2js'), [wasmFile, wasmOpt[0], '--enable-mutable-globals', '--enable-bulk-memory', '--enable-bulk-memory-opt',
    '--enable-sign-ext', '-o', wasm2jsOut]);
  let factory = readFileSync(wasm2jsOut, 'utf8');
  // (A binary that imports nothing, such as the signer, has no import line.)
  if (imports.renamed.length) factory = patch(factory, "import * as $_sigv4_bg_js from './sigv4_bg.js';\n", '', 'wasm2js import');
  // A trap throws an Error named RuntimeError with the wasm engine's message, as the engine's
  // WebAssembly.RuntimeError is (wasm2js throws Error('abort') and a string), so that
  // js/src/api.js tells a trap from other errors the same way on both backends.
  factory = patch(factory, "function wasm2js_trap() { throw new Error('abort'); }",
    `function wasm2js_trap() { ${trapError('unreachable')} }`, 'wasm2js trap');
  factory = patch(factory, 'throw "trap: invalid memory.fill";', `{ ${trapError('memory access out of bounds')} }`, 'wasm2js memory.fill trap');
  factory = inlineRotations(factory);
  factory = segmentsAsText(factory);
  const instantiateAt = factory.indexOf('var retasmFunc = asmFunc(');
  if (instantiateAt < 0) throw new Error('build: wasm2js output changed shape (no retasmFunc)');
  factory = factory.slice(0, instantiateAt) +
    "export default function instantiate(imports) {\n  return asmFunc({ './sigv4_bg.js': imports['./sigv4_bg.js'] });\n}\n";
  writeFileSync(join(out, 'wasm2js.mjs'), `// wasm2js translation of sigv4-${name}.wasm (generated).\n${factory}`);
  const minified = join(out, 'wasm2js.min.js');
  run(bin('esbuild'), [join(out, 'wasm2js.mjs'), '--minify', '--format=esm', '--log-level=warning', `--outfile=${minified}`]);

  // 5. The glue, patched for the runtimes of runtimes.md section 4.3.
  let glue = readFileSync(join(out, 'sigv4.js'), 'utf8');
  // (a) wasm2js replaces its memory buffer on growth without detaching the old one: a cached
  //     view is stale whenever its buffer is not the memory's current buffer.
  glue = patch(glue, 'cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0',
    'cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer', 'Uint8Array view');
  glue = patch(glue,
    'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)',
    'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer', 'DataView view');
  // (b) Hermes before React Native 0.74 and Postman's older sandbox have no TextEncoder or
  //     TextDecoder: use ours there.
  glue = "import { Utf8Decoder, Utf8Encoder } from '../../../src/utf8.js';\n" + glue;
  glue = patch(glue, "new TextDecoder('utf-8', { ignoreBOM: true })", "new Utf8Decoder('utf-8', { ignoreBOM: true })", 'TextDecoder', 2);
  //     (Its encoder is made only for the calls that take a string: marked pure, a bundler
  //     leaves it out of an app that makes none, such as one that only signs.)
  glue = patch(glue, 'new TextEncoder()', '/* @__PURE__ */ new Utf8Encoder()', 'TextEncoder');
  //     Both have encodeInto (api.js writes every call's fields with it): no fallback for it.
  glue = patch(glue, `if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}
`, '', 'encodeInto fallback');
  // (c) The glue's own URL loader is never used (init() in src/load.js replaces it); its
  //     import.meta reference would not survive the CommonJS bundles.
  glue = patch(glue, "module_or_path = new URL('sigv4_bg.wasm', import.meta.url);",
    "throw new Error('sigv4-wasm: pass the .wasm URL to init()');", 'import.meta');
  // (d) The entries instantiate the module themselves (wasm or wasm2js), then hand it over.
  glue = patch(glue, 'export { initSync, __wbg_init as default };',
    'export { initSync, __wbg_get_imports, __wbg_finalize_init };', 'exports');
  // (e) js/src/api.js replaces an instance that a call broke (with no call running), or hands
  //     over none ({ exports: undefined }) to release its memory: each instance starts with the
  //     glue's table of JavaScript objects as new, without the objects a trapped call left in it.
  // The reset assumes the glue's layout: 1024 slots for borrowed objects, then 4 constants,
  // and a stack pointer into the borrowed slots where the binding borrows (verify's lookup).
  //     (A binary through whose binding no JavaScript value crosses, such as the signer's,
  //     has no such table.)
  if (glue.includes('let heap = ')) {
    patch(glue, 'let heap = new Array(1024).fill(undefined);\nheap.push(undefined, null, true, false);', '', 'heap layout');
    const borrows = glue.includes('let stack_pointer = 1024;');
    glue = patch(glue, 'function __wbg_finalize_init(instance, module) {\n',
      'function __wbg_finalize_init(instance, module) {\n    heap.length = 1028;\n    heap.fill(undefined, 0, 1024);\n' +
      `    heap_next = heap.length;\n${borrows ? '    stack_pointer = 1024;\n' : ''}`, 'heap reset');
  }
  // (f) The bytes a call passes are copied into the allocation the binary made for them, of
  //     the length read first, not into the whole memory: a typed array whose length getter
  //     says less than it holds then fails the call (a RangeError), instead of writing on past
  //     its allocation (as the bindings' own copy into a Uint8Array of that length did).
  if (glue.includes('function passArray8ToWasm0(')) {
    glue = patch(glue, `    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;`, `    const length = arg.length;
    const ptr = malloc(length, 1) >>> 0;
    getUint8ArrayMemory0().subarray(ptr, ptr + length).set(arg);
    WASM_VECTOR_LEN = length;`, 'array copy');
  }
  //     A string is encoded by one encodeInto into an allocation of 3 bytes per UTF-16 unit
  //     (UTF-8's most), then shrunk, instead of ASCII character by character first; every
  //     call passes realloc. (0.06 KB gzipped in the browser app, where signRequest takes its
  //     fields so.)
  if (glue.includes('function passStringToWasm0(')) {
    const from = glue.indexOf('function passStringToWasm0(arg, malloc, realloc) {\n');
    const to = glue.indexOf('\n}\n', from);
    patch(glue.slice(from, to), 'ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;', '', 'string copy');
    glue = glue.slice(0, from) + `function passStringToWasm0(arg, malloc, realloc) {
    const len = arg.length * 3;
    let ptr = malloc(len, 1) >>> 0;
    const written = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(ptr, ptr + len)).written;
    ptr = realloc(ptr, len, written, 1) >>> 0;
    WASM_VECTOR_LEN = written;
    return ptr;` + glue.slice(to);
  }
  // (g) The imports by their short names (step 3), and without those wasm-opt left out of the
  //     .wasm (an import the optimized binary no longer calls, such as __wbindgen_throw).
  const importsAt = glue.indexOf('    const import0 = {\n        __proto__: null,\n');
  const importsEnd = glue.indexOf('\n    };\n    return {\n', importsAt);
  if (importsAt < 0 || importsEnd < 0) throw new Error('build: the glue\'s imports changed shape');
  const entries = glue.slice(importsAt, importsEnd).split(/\n(?=        [\w$]+: function)/);
  const shortName = new Map(imports.renamed);
  const kept = entries.slice(1).flatMap((entry) => {
    const long = entry.slice(8, entry.indexOf(':'));
    return shortName.has(long) ? [`        ${shortName.get(long)}${entry.slice(8 + long.length)}`] : [];
  });
  if (kept.length !== imports.renamed.length) throw new Error(`build: ${name}: the glue lacks an import of the .wasm`);
  glue = glue.slice(0, importsAt) + [entries[0], ...kept].join('\n') + glue.slice(importsEnd);
  writeFileSync(join(out, 'glue.js'), glue);
  return { wasmBytes, minified };
}

/** `bytes` (a .wasm) with its imports renamed 'a', 'b', ... in their order, and the names
 * `renamed` ([long, short] pairs). Only the import section changes: each entry's module and
 * kind stay, and the section is checked to end where its size says. */
function shortImportNames(bytes) {
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  };
  const uleb = (value) => {
    const out = [];
    do {
      const byte = value % 128;
      value = Math.floor(value / 128);
      out.push(value ? byte | 0x80 : byte);
    } while (value);
    return Buffer.from(out);
  };
  while (at < bytes.length) {
    const sectionAt = at;
    const id = bytes[at++];
    const size = leb();
    const start = at;
    if (id !== 2) {
      at = start + size;
      continue;
    }
    const parts = [];
    const renamed = [];
    const count = leb();
    parts.push(uleb(count));
    for (let i = 0; i < count; i++) {
      const moduleAt = at;
      const moduleLength = leb();
      at += moduleLength;
      const module = bytes.subarray(moduleAt, at);
      const nameLength = leb();
      const name = bytes.toString('utf8', at, at += nameLength);
      const descAt = at;
      const kind = bytes[at++];
      if (kind === 0) leb(); // a function: its type
      else if (kind === 1 || kind === 2) { // a table (its element type, then limits) or a memory (limits)
        if (kind === 1) at++;
        const flags = bytes[at++];
        leb();
        if (flags & 1) leb();
      } else if (kind === 3) at += 2; // a global: its type and mutability
      else throw new Error(`build: an import of kind ${kind} (${name}), which shortImportNames does not know`);
      const short = i < 26 ? String.fromCharCode(97 + i) : `z${i}`;
      renamed.push([name, short]);
      parts.push(module, uleb(short.length), Buffer.from(short), bytes.subarray(descAt, at));
    }
    if (at !== start + size) throw new Error('build: the import section does not end where its size says');
    const section = Buffer.concat(parts);
    return { bytes: Buffer.concat([bytes.subarray(0, sectionAt), Buffer.from([2]), uleb(section.length), section, bytes.subarray(at)]), renamed };
  }
  return { bytes, renamed: [] };
}

/**
 * The writable static data a binary may have (the linker's .data and .bss), each reviewed for
 * what it holds after a call: static memory outlives every call, and neither the stack wipe
 * (js/src/api.js) nor the heap's start-over (src/bindings/alloc.rs) reaches it, so a secret
 * written there stays. A new writable static (a `static` with interior mutability, a
 * `thread_local!`, a lazy value, a dependency's) fails the build until it is reviewed and
 * listed here: it must hold no secret-derived byte once a call returns.
 */
const WRITABLE_STATICS = [
  // The signing-key cache: plain byte records written field by field (digest of the secret,
  // kSigning, scope, clock), no hasher state, no padding, nothing uninitialized (src/cache.rs).
  /bindings9KEY_CACHE/,
  // The bump allocator's four counters.
  /bindings5alloc9ALLOCATOR/,
  // wasm-bindgen's runtime: flags and a handler index, never data from a call.
  /^__abort_handler$/, /^__instance_terminated$/, /JSPI_REJECTED$/, /GLOBAL_EXNDATA$/,
];

/** Fails the build if `binary` has a writable static not in WRITABLE_STATICS (its linker's
 * map `map` lists them). */
function checkWritableStatics(name, map, binary) {
  // Every link of this step writes the map, so one is there whenever the binary is.
  if (!existsSync(map)) throw new Error(`build: ${name}: no linker map ${map}; remove ${binary} and build again`);
  let section;
  let writable = 0;
  const unreviewed = [];
  for (const line of readFileSync(map, 'utf8').split('\n')) {
    // "    Addr      Off     Size Out     In      Symbol": a section's name at column 27, an
    // input section's at 35, a symbol's at 43.
    const fields = /^\s*([0-9a-f]+|-)\s+([0-9a-f]+|-)\s+([0-9a-f]+)( +)(\S.*)$/.exec(line);
    if (!fields) continue;
    const column = line.length - fields[5].length;
    if (column === 27) section = fields[5];
    else if (column === 43 && ['.data', '.bss', '.tdata', '.tbss'].includes(section)) {
      writable++;
      if (!WRITABLE_STATICS.some((known) => known.test(fields[5]))) unreviewed.push(`${fields[5]} (${section}, ${parseInt(fields[3], 16)} bytes)`);
    }
  }
  // Every binary has the cache and the allocator: none found is a map this does not read.
  if (!writable) throw new Error(`build: ${name}: the linker map ${map} changed shape (no writable static found)`);
  if (unreviewed.length) {
    throw new Error(`build: ${name}: writable static data that no wipe reaches, where a secret would outlive the call: ${unreviewed.join(', ')}; ` +
      'make sure it never holds secret-derived bytes after a call (plain fields written one by one, no hasher state), then list it in WRITABLE_STATICS (js/build.mjs)');
  }
}

/** The characters of the inlined .wasm: printable ASCII but for quotes, '\\', '`' and '$'
 * (load.js's bytesOf() computes the same list). */
const PLAIN = [...Array(95).keys()].map((i) => i + 32).filter((c) => !`"'\\\`$`.includes(String.fromCharCode(c)));
/** Of them, the ones that start a two-character byte (load.js's bytesOf() has the same). */
const ESCAPES = 2;

/** `{ text, table }`: `bytes` ranked, the first PLAIN.length - ESCAPES ranks (the most frequent
 * bytes, `table`: their hex, most frequent first) as one character of PLAIN each, the other
 * bytes, in increasing order, as an escape character then one of PLAIN, for load.js's
 * bytesOf(). (Ranking the other bytes by frequency too would cost a table four times as long,
 * 0.24 KB gzipped more in all.) */
function inlined(bytes) {
  const count = new Array(256).fill(0);
  for (const byte of bytes) count[byte]++;
  const direct = PLAIN.length - ESCAPES;
  if (direct + ESCAPES * PLAIN.length < 256) throw new Error('build: too few characters to inline a .wasm');
  const byRank = [...Array(256).keys()].sort((a, b) => count[b] - count[a] || a - b);
  const ranked = byRank.slice(0, direct).concat(byRank.slice(direct).sort((a, b) => a - b));
  const charsOf = new Array(256);
  ranked.forEach((byte, rank) => {
    const extra = rank - direct;
    charsOf[byte] = extra < 0 ? String.fromCharCode(PLAIN[rank])
      : String.fromCharCode(PLAIN[direct + Math.floor(extra / PLAIN.length)], PLAIN[extra % PLAIN.length]);
  });
  let text = '';
  for (const byte of bytes) text += charsOf[byte];
  return { text, table: Buffer.from(ranked.slice(0, direct)).toString('hex') };
}

/**
 * wasm2js turns every i32.rotl/rotr into a call of a helper (__wasm_rotl_i32); SHA-256 makes
 * some 600 such calls per 64-byte block, and in an interpreter (Hermes) the call costs 4x the
 * rotation: it was most of the hashing time. A rotation by a constant of a pure operand
 * (locals, constants, arithmetic: no call, no memory access, no assignment, as the operand is
 * repeated) becomes two shifts and an or; any other call stays.
 */
function inlineRotations(factory) {
  let out = '';
  let at = 0;
  const call = /__wasm_(rotl|rotr)_i32\(/g;
  for (let m; (m = call.exec(factory));) {
    let depth = 1;
    let comma = -1;
    let i = m.index + m[0].length;
    for (; i < factory.length && depth; i++) {
      if (factory[i] === '(') depth++;
      else if (factory[i] === ')') depth--;
      else if (factory[i] === ',' && depth === 1) comma = i;
    }
    const operand = comma < 0 ? '' : factory.slice(m.index + m[0].length, comma).trim();
    const count = comma < 0 ? '' : factory.slice(comma + 1, i - 1).trim();
    const pure = /^[\s$\w()&|^+\-<>~]+$/.test(operand) && !/[\w$]\s*\(/.test(operand) && !/HEAP/.test(operand);
    if (!/^\d+$/.test(count) || !pure || (Number(count) & 31) === 0) continue;
    const c = Number(count) & 31;
    const v = /^\$[\w$]+$/.test(operand) ? operand : `(${operand})`;
    out += factory.slice(at, m.index) + (m[1] === 'rotl' ? `(${v} << ${c} | ${v} >>> ${32 - c})` : `(${v} >>> ${c} | ${v} << ${32 - c})`);
    at = i;
    call.lastIndex = i;
  }
  return out + factory.slice(at);
}

/**
 * wasm2js writes each data segment as base64, 4 characters for 3 bytes; the signer's are
 * mostly error messages, which as a string literal cost 1 character a byte (a byte outside
 * printable ASCII costs 2 to 4: \0, \n, \x83). Each segment takes the shorter of the two
 * (the signer's translation: 1.5 KB less; the servers' segments are binary and stay base64),
 * and each decoder is written only when a segment needs it.
 */
function segmentsAsText(factory) {
  const call = /base64DecodeToExistingUint8Array\(bufferView, (\d+), "([A-Za-z0-9+/=]*)"\);/g;
  let [base64Left, textLeft] = [0, 0];
  factory = factory.replace(call, (whole, offset, base64) => {
    const bytes = Buffer.from(base64, 'base64');
    let literal = '';
    bytes.forEach((b, i) => {
      if (b === 0x22 || b === 0x5c) literal += `\\${String.fromCharCode(b)}`;
      else if (b >= 0x20 && b < 0x7f) literal += String.fromCharCode(b);
      else if (b === 0x0a) literal += '\\n';
      else if (b === 0 && !(bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39)) literal += '\\0';
      else literal += `\\x${b.toString(16).padStart(2, '0')}`;
    });
    if (literal.length >= base64.length) {
      base64Left++;
      return whole;
    }
    textLeft++;
    return `textToExistingUint8Array(bufferView, ${offset}, "${literal}");`;
  });
  const decoder = factory.indexOf('  var base64ReverseLookup = ');
  const decoderEnd = factory.indexOf('\nfunction initActiveSegments(');
  if (decoder < 0 || decoderEnd < decoder) throw new Error('build: wasm2js output changed shape (no base64 decoder before initActiveSegments)');
  const textWriter = '  function textToExistingUint8Array(uint8Array, offset, text) {\n' +
    '    for (var i = 0; i < text.length; i++) uint8Array[offset + i] = text.charCodeAt(i);\n  }';
  return factory.slice(0, decoder) + (base64Left ? factory.slice(decoder, decoderEnd) : '') +
    (textLeft ? `${base64Left ? '\n' : ''}${textWriter}` : '') + factory.slice(decoderEnd);
}

const built = Object.fromEntries(Object.entries(BINARIES).map(([name, spec]) => [name, buildBinary(name, spec)]));

// 6. Bundles: every entry as ESM and as CommonJS, with its glue inside.
//    esbuild's CommonJS export helper closes over a `for (let key of ...)` variable; engines
//    that give `let` function scope (Hermes 0.12 without Babel) then export one function
//    under every name. The helper is rewritten to take the key as a callback parameter.
const copyPropsLoop = `    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });`;
// (Three lines for three, so that the source map of the unminified bundle stays exact.)
const copyPropsForEach = `    __getOwnPropNames(from).forEach(function (key) { var desc = __getOwnPropDesc(from, key);
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: function () { return from[key]; }, enumerable: !desc || desc.enumerable }); });`;
// Bundles read as people meet them: an uncaught error in Node prints the source line it was
// thrown from, which in a minified bundle is one line of hundreds of KB, so the bundles Node
// can load (the servers', sigv4-wasm/js's) are built with short lines. The servers' bundles
// keep every function's name for their stacks too (SigV4Error's own name is kept in
// js/src/errors.js, in every build). The others pay neither where it costs: the browsers'
// bundles (sigv4-wasm's and sigv4-wasm/verify's; measured in js/size-ceiling.json) would grow
// by 1.2 KB gzipped for the line limit (it breaks the inlined .wasm string into continued
// lines, which gzip compresses worse) and 0.75 KB for the names; React Native's (the wasm2js
// translation) by 6.5 KB for both; sigv4-wasm/js pays 2 KB for its line limit, not 2 more for
// the names of the translation's functions. Every bundle ships a source map (dist/*.map,
// separate files, not counted in the sizes; the browser bundle pays 30 bytes gzipped for its
// sourceMappingURL comment).
const LINE_LIMIT = 120;
const readable = (entry) => ['--sourcemap',
  ...(['server', 'workerd', 'js'].includes(entry) ? [`--line-limit=${LINE_LIMIT}`] : []),
  ...(['server', 'workerd'].includes(entry) ? ['--keep-names'] : [])];
/** The generated parts of a source map (the inlined .wasm and its wasm2js translation) are
 * not what anyone debugs, and were most of the maps' size (6 MB of the package's 10): their
 * sources' text is left out, and the code generated from them is mapped to nothing (one
 * unmapped segment per run, as the spec allows) instead of segment by segment. */
function trimSourceMap(file) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const generated = map.sources.map((source) => /(^|\/)gen\/[^/]+\/(wasm-bytes\.js|wasm2js\.mjs)$/.test(source));
  map.sourcesContent = map.sourcesContent.map((text, i) => (generated[i] ? null : text));
  const previous = [0, 0, 0, 0];   // source, line, column, name: relative across the whole map
  const written = [0, 0, 0, 0];
  map.mappings = map.mappings.split(';').map((line) => {
    let column = 0;
    let writtenColumn = 0;
    let unmapped = false;
    const out = [];
    for (const segment of line ? line.split(',') : []) {
      const fields = decodeVlq(segment);
      column += fields[0];
      for (let k = 1; k < fields.length; k++) previous[k - 1] += fields[k];
      if (fields.length === 1 || generated[previous[0]]) {
        if (unmapped) continue;
        unmapped = true;
        out.push(encodeVlq([column - writtenColumn]));
      } else {
        unmapped = false;
        const absolute = [previous[0], previous[1], previous[2], ...(fields.length === 5 ? [previous[3]] : [])];
        out.push(encodeVlq([column - writtenColumn, ...absolute.map((v, k) => v - written[k])]));
        absolute.forEach((v, k) => { written[k] = v; });
      }
      writtenColumn = column;
    }
    return out.join(',');
  }).join(';');
  writeFileSync(file, JSON.stringify(map));
}
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function decodeVlq(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) { shift += 5; continue; }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}
function encodeVlq(values) {
  let text = '';
  for (const v of values) {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      const digit = rest & 31;
      rest >>>= 5;
      text += BASE64[rest ? digit | 32 : digit];
    } while (rest);
  }
  return text;
}
// The browser's ESM bundle is what bundlers take in: minified but for whitespace, which would
// drop the /* @__PURE__ */ annotations (js/src/entries/browser.js) that let them leave out
// signAsync and AwsClient where an app does not use them. Browsers have TextEncoder and
// TextDecoder: its bundle carries no UTF-8 fallback (js/src/utf8.js).
const minify = (entry) => (entry === 'browser' ? ['--minify-syntax', '--minify-identifiers'] : ['--minify']);
const ENTRIES = { browser: ['esm', 'cjs'], js: ['esm', 'cjs'], 'react-native': ['cjs'], server: ['esm', 'cjs'], verify: ['esm', 'cjs'], 'verify-js': ['esm', 'cjs'], workerd: ['esm'], s3: ['esm', 'cjs'], 's3-js': ['esm', 'cjs'], cognito: ['esm', 'cjs'], 'cognito-js': ['cjs'] };
for (const [entry, formats] of Object.entries(ENTRIES)) {
  for (const format of formats) {
    const outfile = join(dist, `${entry}.${format === 'esm' ? 'mjs' : 'cjs'}`);
    const bundled = format === 'cjs' ? join(gen, `${entry}.unminified.cjs`) : outfile;
    run(bin('esbuild'), [join(js, 'src', 'entries', `${entry}.js`), '--bundle', `--format=${format}`,
      '--platform=neutral', '--target=es2019', '--log-level=warning', ...(format === 'esm' ? [...minify(entry), ...readable(entry)] : ['--sourcemap']),
      `--define:__SIGV4_NATIVE_UTF8__=${entry === 'browser'}`,
      '--define:__SIGV4_NO_NATIVE_HASH__=false', `--define:__SIGV4_BODY_CALLBACK__=${['server', 'workerd'].includes(entry)}`,
      ...(entry === 'workerd' ? ['--external:./sigv4-server.wasm'] : []), `--outfile=${bundled}`]);
    if (format === 'cjs') {
      // The second pass reads the first one's source map (its sourceMappingURL comment).
      writeFileSync(bundled, patch(readFileSync(bundled, 'utf8'), copyPropsLoop, copyPropsForEach, 'CommonJS export helper'));
      run(bin('esbuild'), [bundled, '--minify', ...readable(entry), '--format=cjs', '--target=es2019', '--log-level=warning', `--outfile=${outfile}`]);
    }
    trimSourceMap(`${outfile}.map`);
  }
}
// The servers' bundles carry the whole API in one instance; sigv4-wasm and sigv4-wasm/verify
// are facades over them, so a server that signs and verifies loads the binary once, and
// neither subpath exports what another runtime's build of it lacks.
const SIGNER_API = ['sign', 'signAsync', 'presign', 'signingKeyDerivation', 'inferScope', 'AwsClient', 'cacheCredentials', 'SigV4Error', 'init', 'getBackend'];
const VERIFY_API = ['verify', 'verifyChunked', 'SigV4Error', 'getBackend', 'fallbackReason'];
// sigv4-wasm/s3: S3's chunked uploads and POST policies, on the servers' binary (its feature `uploads`).
const S3_API = ['signChunked', 'presignPost', 'postForm', 'uploadWithPost', 'SigV4Error', 'getBackend', 'fallbackReason', 'inferScope'];
// (sigv4-wasm/cognito has its own binary and bundles in every runtime: js/src/entries/cognito*.js.)
function facade(name, bundle, names, formats) {
  const note = `// sigv4-wasm: ${names.join(', ')} from ${bundle} (generated by js/build.mjs).\n`;
  if (formats.includes('esm')) writeFileSync(join(dist, `${name}.mjs`), `${note}export { ${names.join(', ')} } from './${bundle}.mjs';\n`);
  if (formats.includes('cjs')) {
    writeFileSync(join(dist, `${name}.cjs`), `${note}'use strict';\nconst api = require('./${bundle}.cjs');\n` +
      names.map((n) => `exports.${n} = api.${n};\n`).join(''));
  }
}
facade('node', 'server', SIGNER_API, ['esm', 'cjs']);
facade('node-verify', 'server', VERIFY_API, ['esm', 'cjs']);
facade('workerd-signer', 'workerd', SIGNER_API, ['esm']);
facade('workerd-verify', 'workerd', VERIFY_API, ['esm']);
facade('node-s3', 'server', S3_API, ['esm', 'cjs']);
facade('workerd-s3', 'workerd', S3_API, ['esm']);
// The types: index.d.ts (the signer, every runtime), verify.d.ts, s3.d.ts and cognito.d.ts,
// each for import and require.
for (const types of ['index', 'verify', 's3', 'cognito']) {
  const text = readFileSync(join(js, 'src', `${types}.d.ts`), 'utf8');
  writeFileSync(join(dist, `${types}.d.ts`), text);
  writeFileSync(join(dist, `${types}.d.cts`), text.split("from './index.js'").join("from './index.cjs'"));
}

// 7. Sizes, measured on what ships.
const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const signer = built.signer;
const sizes = {
  wasmRaw: signer.wasmBytes.length,
  wasmGzip: gzip(signer.wasmBytes),
  wasm2jsMinified: statSync(signer.minified).size,
  wasm2jsMinifiedGzip: gzip(readFileSync(signer.minified)),
  browserBundleGzip: gzip(readFileSync(join(dist, 'browser.mjs'))),
  serverWasmRaw: built.server.wasmBytes.length,
  serverWasmGzip: gzip(built.server.wasmBytes),
  uploadsWasmRaw: built.uploads.wasmBytes.length,
  uploadsWasmGzip: gzip(built.uploads.wasmBytes),
  cognitoWasmRaw: built.cognito.wasmBytes.length,
  cognitoWasmGzip: gzip(built.cognito.wasmBytes),
  cognitoBundleGzip: gzip(readFileSync(join(dist, 'cognito.mjs'))),
};
writeFileSync(join(dist, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
console.log('sizes (bytes):', sizes, 'budget:', BUDGET);
// tests/js/package.test.mjs checks the budget; the build only reports it.
const over = Object.keys(BUDGET).filter((k) => sizes[k] > BUDGET[k]);
if (over.length) console.warn(`build: OVER THE SIZE BUDGET: ${over.map((k) => `${k} ${sizes[k]} > ${BUDGET[k]}`).join(', ')}`);
if (!existsSync(join(dist, 'browser.mjs'))) throw new Error('build: no bundle written');

// 8. Publish: the new build replaces js/dist in two renames.
const previous = `${published}.previous`;
rmSync(previous, { recursive: true, force: true });
if (existsSync(published)) renameSync(published, previous);
renameSync(dist, published);
rmSync(previous, { recursive: true, force: true });
console.log(`build: js/dist is the new build`);
