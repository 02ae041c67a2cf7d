// The DOM's own types pass where the package takes them (tests/js/types.test.mjs, tsconfig.dom.json).
import { init } from 'sigv4-wasm';

declare const module: WebAssembly.Module;
const loaded: Promise<void>[] = [init(module), init(new URL('https://cdn.example/sigv4-signer.wasm')), init(new Uint8Array(8).buffer)];
void loaded;
