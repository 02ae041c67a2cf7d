// Builds the npm package into js/dist from the Rust core:
//
//   cargo (wasm32, MVP features, size-optimized std)  ->  wasm-bindgen (web target glue)
//   -> wasm-opt -Oz (the one .wasm)  ->  wasm2js (the same binary as JavaScript)
//   -> esbuild (one ESM and one CJS bundle per entry point)
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

/** Size budgets from issue 3 (bytes), shared with tests/js/package.test.mjs. */
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

// 1. The core with the binding, for wasm32 with the MVP features plus bulk memory (one
//    instruction per memcpy instead of a byte loop; every engine since 2021 has it, and one
//    without it refuses the module and gets the wasm2js translation), and a std built for
//    size: panics abort without formatting a message (the core has no reachable panics; a
//    test would fail), and no file locations are embedded. These are unstable options of
//    the stable toolchain, enabled with RUSTC_BOOTSTRAP as the fuzzer is.
const targetDir = join(root, 'target', 'wasm-package');
run('cargo', [
  'build', '--release', '--lib', '--features', 'verify',
  '--target', 'wasm32-unknown-unknown',
  '-Zbuild-std=std,panic_abort',
], {
  cwd: root,
  env: {
    ...process.env,
    RUSTC_BOOTSTRAP: '1',
    CARGO_TARGET_DIR: targetDir,
    RUSTFLAGS: [
      '-Ctarget-cpu=mvp', '-Ctarget-feature=+bulk-memory',
      '--cfg', 'sha2_backend_soft="compact"',
      '-Zunstable-options', '-Cpanic=immediate-abort',
      '-Zlocation-detail=none',
    ].join(' '),
  },
});

rmSync(js, { recursive: true, force: true });
mkdirSync(gen, { recursive: true });
cpSync(join(root, 'js', 'src'), join(js, 'src'), { recursive: true });

// 2. wasm-bindgen reads the target-features section to choose its ABI; without it, it keeps
//    the MVP ABI that wasm2js can translate (no reference types, no multi-value).
const features = ['--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-sign-ext',
  '--enable-nontrapping-float-to-int', '--enable-mutable-globals'];
const raw = join(targetDir, 'wasm32-unknown-unknown', 'release', 'sigv4.wasm');
const stripped = join(gen, 'stripped.wasm');
run(bin('wasm-opt'), [raw, ...features, '--strip-target-features', '-o', stripped]);
run('wasm-bindgen', [stripped, '--target', 'web', '--out-dir', gen, '--out-name', 'sigv4', '--no-typescript']);

// 3. The one .wasm, optimized for size; checked to use nothing beyond the MVP, bulk memory,
//    sign extension and mutable globals.
const wasmFile = join(dist, 'sigv4_bg.wasm');
run(bin('wasm-opt'), [join(gen, 'sigv4_bg.wasm'), ...features, '-Oz', '--converge', '--strip-producers', '-o', wasmFile]);
run(bin('wasm-opt'), [wasmFile, '--mvp-features', '--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-sign-ext',
  '--enable-mutable-globals', '-o', join(gen, 'features-check.wasm')]);
// js/src/api.js puts an instance a call broke back as instantiated by rewriting its memory
// and its stack pointer, and saves the static data above the stack to do so: that is the
// instance's whole state only while the binary has no other mutable global, no start
// function, no passive data and a table it never changes, and puts its data above the stack.
const wat = join(gen, 'sigv4_bg.wat');
run(bin('wasm-dis'), [wasmFile, '-o', wat]);
const text = readFileSync(wat, 'utf8');
const mutableGlobals = [...text.matchAll(/^ \(global \S+ \(mut i32\) \(i32\.const (\d+)\)\)$/gm)];
const dataAt = [...text.matchAll(/^ \(data \S+ \(i32\.const (\d+)\)/gm)].map((m) => Number(m[1]));
if (mutableGlobals.length !== 1 || (text.match(/\(mut /g) || []).length !== 1) throw new Error('build: the binary has a mutable global besides the stack pointer');
if (/\(start |\b(table\.(set|grow|fill|copy|init)|elem\.drop|data\.drop|memory\.init)\b/.test(text)) throw new Error('build: the binary has state beyond its memory and stack pointer');
if (!dataAt.length || Math.min(...dataAt) < Number(mutableGlobals[0][1])) throw new Error('build: the binary has data below its stack');
const wasmBytes = readFileSync(wasmFile);
writeFileSync(join(gen, 'wasm-base64.js'),
  `// The .wasm inlined, so that loading is synchronous.\nexport default ${JSON.stringify(wasmBytes.toString('base64'))};\n`);

// 4. wasm2js: the same binary as JavaScript, as a factory taking the glue's imports.
const wasm2jsOut = join(gen, 'wasm2js.raw.mjs');
run(bin('wasm2js'), [wasmFile, '-Oz', '--enable-mutable-globals', '--enable-bulk-memory', '--enable-bulk-memory-opt',
  '--enable-sign-ext', '-o', wasm2jsOut]);
let factory = readFileSync(wasm2jsOut, 'utf8');
factory = patch(factory, "import * as $_sigv4_bg_js from './sigv4_bg.js';\n", '', 'wasm2js import');
// A trap throws an Error named RuntimeError with the wasm engine's message, as the engine's
// WebAssembly.RuntimeError is (wasm2js throws Error('abort') and a string), so that
// js/src/api.js tells a trap from other errors the same way on both backends.
const trapError = (message) => `var error = new Error('${message}'); error.name = 'RuntimeError'; throw error;`;
factory = patch(factory, "function wasm2js_trap() { throw new Error('abort'); }",
  `function wasm2js_trap() { ${trapError('unreachable')} }`, 'wasm2js trap');
factory = patch(factory, 'throw "trap: invalid memory.fill";', `{ ${trapError('memory access out of bounds')} }`, 'wasm2js memory.fill trap');
const instantiateAt = factory.indexOf('var retasmFunc = asmFunc(');
if (instantiateAt < 0) throw new Error('build: wasm2js output changed shape (no retasmFunc)');
factory = factory.slice(0, instantiateAt) +
  "export default function instantiate(imports) {\n  return asmFunc({ './sigv4_bg.js': imports['./sigv4_bg.js'] });\n}\n";
writeFileSync(join(gen, 'wasm2js.mjs'), `// wasm2js translation of sigv4_bg.wasm (generated).\n${factory}`);

// 5. The glue, patched for the runtimes of runtimes.md section 4.3.
let glue = readFileSync(join(gen, 'sigv4.js'), 'utf8');
// (a) wasm2js replaces its memory buffer on growth without detaching the old one: a cached
//     view is stale whenever its buffer is not the memory's current buffer.
glue = patch(glue, 'cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0',
  'cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer', 'Uint8Array view');
glue = patch(glue,
  'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)',
  'cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer !== wasm.memory.buffer', 'DataView view');
// (b) Hermes before React Native 0.74 and Postman's older sandbox have no TextEncoder or
//     TextDecoder: use ours there.
glue = "import { Utf8Decoder, Utf8Encoder } from '../../src/utf8.js';\n" + glue;
glue = patch(glue, "new TextDecoder('utf-8', { ignoreBOM: true })", "new Utf8Decoder('utf-8', { ignoreBOM: true })", 'TextDecoder', 2);
glue = patch(glue, 'new TextEncoder()', 'new Utf8Encoder()', 'TextEncoder');
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
// The reset assumes the glue's layout: 1024 slots for borrowed objects, then 4 constants.
patch(glue, 'let heap = new Array(1024).fill(undefined);\nheap.push(undefined, null, true, false);', '', 'heap layout');
patch(glue, 'let stack_pointer = 1024;', '', 'heap stack layout');
glue = patch(glue, 'function __wbg_finalize_init(instance, module) {\n',
  'function __wbg_finalize_init(instance, module) {\n    heap.length = 1028;\n    heap.fill(undefined, 0, 1024);\n' +
  '    heap_next = heap.length;\n    stack_pointer = 1024;\n', 'heap reset');
writeFileSync(join(gen, 'glue.js'), glue);

// 6. Bundles: every entry as ESM and as CommonJS, with the glue inside.
//    esbuild's CommonJS export helper closes over a `for (let key of ...)` variable; engines
//    that give `let` function scope (Hermes 0.12 without Babel) then export one function
//    under every name. The helper is rewritten to take the key as a callback parameter.
const copyPropsLoop = `    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });`;
const copyPropsForEach = `    __getOwnPropNames(from).forEach(function (key) {
      var desc = __getOwnPropDesc(from, key);
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: function () { return from[key]; }, enumerable: !desc || desc.enumerable });
    });`;
const entries = ['index', 'js', 'wasm', 'workerd'];
for (const entry of entries) {
  for (const format of ['esm', 'cjs']) {
    if (entry === 'workerd' && format === 'cjs') continue;
    const outfile = join(dist, `${entry}.${format === 'esm' ? 'mjs' : 'cjs'}`);
    const bundled = format === 'cjs' ? join(gen, `${entry}.unminified.cjs`) : outfile;
    run(bin('esbuild'), [join(js, 'src', 'entries', `${entry}.js`), '--bundle', `--format=${format}`,
      '--platform=neutral', '--target=es2019', '--log-level=warning', ...(format === 'esm' ? ['--minify'] : []),
      ...(entry === 'workerd' ? ['--external:./sigv4_bg.wasm'] : []), `--outfile=${bundled}`]);
    if (format === 'cjs') {
      writeFileSync(bundled, patch(readFileSync(bundled, 'utf8'), copyPropsLoop, copyPropsForEach, 'CommonJS export helper'));
      run(bin('esbuild'), [bundled, '--minify', '--format=cjs', '--target=es2019', '--log-level=warning', `--outfile=${outfile}`]);
    }
  }
}
for (const types of ['index.d.ts', 'index.d.cts']) copyFileSync(join(js, 'src', 'index.d.ts'), join(dist, types));

// 7. Sizes, measured on what ships.
const minified = join(gen, 'wasm2js.min.js');
run(bin('esbuild'), [join(gen, 'wasm2js.mjs'), '--minify', '--format=esm', '--log-level=warning', `--outfile=${minified}`]);
const sizes = {
  wasmRaw: wasmBytes.length,
  wasmGzip: gzipSync(wasmBytes, { level: 9 }).length,
  wasm2jsMinified: statSync(minified).size,
  wasm2jsMinifiedGzip: gzipSync(readFileSync(minified), { level: 9 }).length,
};
writeFileSync(join(dist, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
console.log('sizes (bytes):', sizes, 'budget:', BUDGET);
// tests/js/package.test.mjs checks the budget; the build only reports it.
const over = Object.keys(BUDGET).filter((k) => sizes[k] > BUDGET[k]);
if (over.length) console.warn(`build: OVER THE SIZE BUDGET: ${over.map((k) => `${k} ${sizes[k]} > ${BUDGET[k]}`).join(', ')}`);
if (!existsSync(join(dist, 'index.mjs'))) throw new Error('build: no bundle written');

// 8. Publish: the new build replaces js/dist in two renames.
const previous = `${published}.previous`;
rmSync(previous, { recursive: true, force: true });
if (existsSync(published)) renameSync(published, previous);
renameSync(dist, published);
rmSync(previous, { recursive: true, force: true });
console.log(`build: js/dist is the new build`);
