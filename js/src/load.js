// Ways to bring the one binary to life: the real wasm (from inlined bytes, an imported
// module, or a URL), or its wasm2js translation. Each ends in the glue's finalize step, so
// the API above cannot tell them apart.

import { createApi } from './api.js';

/** Decodes the inlined base64 .wasm (atob where the runtime has it). */
export function bytesFromBase64(text) {
  let binary = '';
  if (typeof atob === 'function') {
    binary = atob(text);
  } else {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let bits = 0;
    let value = 0;
    for (let i = 0; i < text.length && text[i] !== '='; i++) {
      value = (value << 6) | alphabet.indexOf(text[i]);
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        binary += String.fromCharCode((value >> bits) & 0xff);
      }
    }
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Compiles and instantiates synchronously; throws where WebAssembly is missing or refused. */
export function loadWasmSync(glue, bytesOrModule) {
  glue.initSync({ module: bytesOrModule });
}

/** Instantiates the wasm2js translation of the same binary. */
export function loadTranslated(glue, instantiate) {
  glue.__wbg_finalize_init({ exports: instantiate(glue.__wbg_get_imports()) }, undefined);
}

/** Compiles a separately hosted .wasm: a URL or string (fetched), a Response, bytes, or a Module. */
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
    .then((module) => {
      glue.initSync({ module });
    });
}

/**
 * The API of an entry point. `load()` brings the binary to life synchronously and returns the
 * backend's name ('wasm' or 'js'); it runs once, on first use. `loadAsync(input)`, where
 * given, compiles a separately hosted .wasm for `init(input)`. `nativeSha256()`, where given,
 * returns the runtime's SHA-256 (bytes to hex) or null (native-hash.js).
 */
export function createEntry(glue, load, { loadAsync, nativeSha256 } = {}) {
  let backend;
  const ensureLoaded = () => {
    if (!backend) backend = load();
  };
  const api = createApi(glue, ensureLoaded, (input) =>
    loadAsync ? loadAsync(input).then(() => { backend = backend || 'wasm'; }) : Promise.resolve().then(ensureLoaded), nativeSha256);
  /** Which backend signs: 'wasm' or 'js' (the wasm2js translation). Loads it if needed. */
  api.getBackend = () => {
    ensureLoaded();
    return backend;
  };
  return api;
}
