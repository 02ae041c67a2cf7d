// Ways to bring a binary to life: the real wasm (from inlined bytes, an imported module, or a
// URL), or its wasm2js translation. Each ends in the glue's finalize step, so the API above
// cannot tell them apart.

import { createApi, createCalls } from './api.js';
import { SigV4Error } from './errors.js';

/** The inlined .wasm's bytes from its text and the hex of its most frequent bytes (js/build.mjs,
 * inlined()): of the 90 printable characters, the first ones are those bytes in the table's
 * order, and the last two start a character pair for each other byte, in increasing order. */
export function bytesOf({ text, table }) {
  const place = new Uint8Array(128);
  let plain = 0;
  for (let c = 32; c < 127; c++) if ('"\'\\`$'.indexOf(String.fromCharCode(c)) === -1) place[c] = plain++;
  const direct = table.length / 2;
  const byteOf = new Uint8Array(256);
  const listed = new Uint8Array(256);
  for (let rank = 0; rank < direct; rank++) listed[byteOf[rank] = parseInt(table.substr(2 * rank, 2), 16)] = 1;
  for (let byte = 0, rank = direct; byte < 256; byte++) if (!listed[byte]) byteOf[rank++] = byte;
  const bytes = new Uint8Array(text.length);
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    let rank = place[text.charCodeAt(i)];
    if (rank >= direct) rank = direct + (rank - direct) * plain + place[text.charCodeAt(++i)];
    bytes[length++] = byteOf[rank];
  }
  return bytes.subarray(0, length);
}

// A backend is `{ name, instantiate, exports }`: its name ('wasm' or 'js'), `instantiate()`,
// which makes a fresh instance of the same compiled binary, hands it to the glue and returns
// its exports, and the exports of the instance made while loading (if one was). api.js drops
// an instance whose memory grew too much (see call() there), and the next call gets a fresh
// one; keeping the compiled module makes that cheap (0.2 ms; 0.45 ms for the translation).

/** The backend of a compiled .wasm, not yet instantiated. */
function wasmBackend(glue, module) {
  return {
    name: 'wasm',
    instantiate: () => glue.__wbg_finalize_init(new WebAssembly.Instance(module, glue.__wbg_get_imports()), module),
  };
}

/** Compiles and instantiates synchronously; throws where WebAssembly is missing or refused. */
export function loadWasmSync(glue, bytesOrModule) {
  const backend = wasmBackend(glue, bytesOrModule instanceof WebAssembly.Module ? bytesOrModule : new WebAssembly.Module(bytesOrModule));
  backend.exports = backend.instantiate();
  return backend;
}

/** Why WebAssembly does not run here (`refused`: what compiling threw, if it was tried), and
 * what to do about it, for the runtimes where this happens. */
function unavailable(refused) {
  const reason = refused === undefined ? 'this runtime has no WebAssembly'
    : `this runtime refused to compile WebAssembly (${refused && refused.message})`;
  // workerd compiles wasm only at upload: a bundle resolved without its export condition.
  const workerd = typeof navigator === 'object' && navigator && navigator.userAgent === 'Cloudflare-Workers';
  const advice = workerd
    ? 'In Cloudflare Workers, resolve sigv4-wasm with the \'workerd\' export condition (wrangler does; other bundlers: add it to their conditions), whose build imports the .wasm as a module.'
    : 'In a page, allowing \'wasm-unsafe-eval\' in its Content-Security-Policy (script-src) lets WebAssembly run.';
  return { reason, advice };
}

/** Compiles and instantiates synchronously, or returns what unavailable() says. */
function tryWasm(glue, bytes) {
  if (typeof WebAssembly !== 'object' || !WebAssembly) return { failed: unavailable() };
  try {
    return { backend: loadWasmSync(glue, bytes) };
  } catch (refused) {
    return { failed: unavailable(refused) };
  }
}

/** loadWasmSync for an entry with no fallback: where WebAssembly is missing or refuses the
 * module (a CSP without 'wasm-unsafe-eval', iOS lockdown mode, Node's --jitless, workerd
 * without its condition), a WEBASSEMBLY_UNAVAILABLE error that names the entry to import
 * instead. */
export function loadWasmOrExplain(glue, bytes, instead) {
  const { backend, failed } = tryWasm(glue, bytes);
  if (backend) return backend;
  throw SigV4Error('WEBASSEMBLY_UNAVAILABLE', `sigv4-wasm: ${failed.reason}. Import '${instead}' instead: the same signer ` +
    `translated to JavaScript, with identical output. ${failed.advice}`);
}

/** Where the fallback was announced: once per process (or page), whichever bundle fell back. */
const WARNED = typeof Symbol === 'function' ? Symbol.for('sigv4-wasm.fallbackWarned') : '__sigv4WasmFallbackWarned';

/** loadWasmSync for an entry with a fallback (sigv4-wasm/verify outside servers): where
 * WebAssembly is missing or refused, the translation `factory` makes, several times slower.
 * It says so, once per process with console.warn, and the backend keeps the reason
 * (fallbackReason()). */
export function loadWasmOrTranslated(glue, bytes, factory, what) {
  const { backend, failed } = tryWasm(glue, bytes);
  if (backend) return backend;
  const translated = loadTranslated(glue, factory);
  translated.reason = failed.reason;
  if (!Error[WARNED] && typeof console === 'object' && console && typeof console.warn === 'function') {
    Object.defineProperty(Error, WARNED, { value: true });
    console.warn(`${what}: ${failed.reason}; running its JavaScript translation instead, with identical output but ` +
      `several times slower. ${failed.advice}`);
  }
  return translated;
}

/** Instantiates the wasm2js translation of the same binary (`factory` makes one instance). */
export function loadTranslated(glue, factory) {
  const instantiate = () => glue.__wbg_finalize_init({ exports: factory(glue.__wbg_get_imports()) }, undefined);
  return { name: 'js', instantiate, exports: instantiate() };
}

/** Compiles a separately hosted .wasm: a URL or string (fetched), a Response, bytes, or a
 * Module; resolves with the backend, not yet instantiated. */
export function loadWasmAsync(glue, input) {
  return Promise.resolve(input)
    .then((source) => {
      if (typeof WebAssembly === 'undefined') throw new Error('sigv4-wasm: this runtime has no WebAssembly; import sigv4-wasm/js');
      if (source instanceof WebAssembly.Module) return source;
      if (typeof source === 'string' || (typeof URL === 'function' && source instanceof URL)) source = fetch(source);
      return Promise.resolve(source).then((resolved) => {
        if (typeof Response === 'function' && resolved instanceof Response) {
          if (!resolved.ok) throw new Error(`sigv4-wasm: fetching the .wasm failed: ${resolved.status} ${resolved.statusText} (${resolved.url})`);
          const streaming = typeof WebAssembly.compileStreaming === 'function' &&
            /^application\/wasm\b/.test(resolved.headers.get('Content-Type') || '');
          return streaming ? WebAssembly.compileStreaming(resolved) : resolved.arrayBuffer().then((b) => WebAssembly.compile(b));
        }
        return WebAssembly.compile(resolved);
      });
    })
    .then((module) => wasmBackend(glue, module));
}

/**
 * The backend of an entry point and the calls into it. `load()` brings the binary to life
 * synchronously and returns the backend (above); it runs once, on first use. `nativeSha256()`,
 * where given, returns the runtime's SHA-256 (bytes, or a string as UTF-8, to hex) or null
 * (native-hash.js); `canonicalSha256()`, given by the servers' entries only, returns the
 * SHA-256 their binding hashes long canonical requests with, or null. Returns api.js's
 * createCalls (`call`, for the API's functions, verify.js and the others), with `exports()`,
 * which loads the backend on first use, `adopt(backend)`, which makes a backend loaded
 * asynchronously the one calls go to unless one is already loaded, and `backend()`.
 */
export function createBackend(glue, load, { nativeSha256, canonicalSha256 } = {}) {
  let backend;
  let live; // the exports of the instance calls go to; undefined before loading and after discard()
  const instance = {
    /** The live instance's exports: loads the backend on first use, and instantiates a fresh
     * instance after discard(). */
    exports() {
      if (!backend) {
        const loaded = load();
        live = loaded.exports;
        backend = { name: loaded.name, instantiate: loaded.instantiate, reason: loaded.reason }; // not the first exports: they may be dropped
      }
      if (!live) live = backend.instantiate();
      return live;
    },
    /** Drops the live instance, and the glue's references to it, so that its memory can be
     * collected; the next call instantiates a fresh one. */
    discard() {
      live = undefined;
      glue.__wbg_finalize_init({ exports: undefined }, undefined);
    },
    /** Hands the live instance to the glue again, which starts its own state afresh (its
     * table of JavaScript objects: js/build.mjs). */
    rebind() {
      glue.__wbg_finalize_init({ exports: live }, undefined);
    },
  };
  const calls = createCalls(instance, nativeSha256, canonicalSha256);
  calls.exports = instance.exports;
  calls.adopt = (loaded) => {
    if (!backend) {
      backend = loaded;
      instance.exports();
    }
  };
  calls.backend = () => {
    instance.exports();
    return backend;
  };
  return calls;
}

/** init(input) over `calls` (createBackend): with no input, loads the backend now; with one,
 * `loadAsync(input)` compiles a separately hosted .wasm (loadWasmAsync), which calls go to
 * unless a backend is loaded already. Resolves when done. */
export function createInit(calls, loadAsync) {
  return function init(input) {
    if (input === undefined || !loadAsync) {
      return Promise.resolve().then(() => {
        calls.exports();
      });
    }
    return loadAsync(input).then(calls.adopt);
  };
}

/** Which backend signs: 'wasm' or 'js' (the wasm2js translation). Loads it if needed. */
export function createGetBackend(calls) {
  return () => calls.backend().name;
}

/** Why this build fell back to its translation (loadWasmOrTranslated); undefined when it runs
 * the backend it was built for. Loads it if needed. */
export function createFallbackReason(calls) {
  return () => calls.backend().reason;
}

/**
 * The API of an entry point, whole (createBackend above, with `loadAsync` for init() where the
 * entry can compile a separately hosted .wasm): returns the API, with signAsync and AwsClient
 * left to api.js's createSignAsync and aws-client.js's createAwsClient, and the calls (`call`,
 * for verify.js and the others, and `hasherFor`, for createSignAsync).
 */
export function createEntry(glue, load, { loadAsync, nativeSha256, canonicalSha256 } = {}) {
  const calls = createBackend(glue, load, { nativeSha256, canonicalSha256 });
  const api = createApi(calls, glue);
  api.init = createInit(calls, loadAsync);
  api.getBackend = createGetBackend(calls);
  api.fallbackReason = createFallbackReason(calls);
  return { api, call: calls.call, hasherFor: calls.hasherFor, calls };
}
