// The DOM's own types pass where the package takes them (tests/js/types.test.mjs, tsconfig.dom.json).
import { init } from 'sigv4-wasm';

declare const module: WebAssembly.Module;
const loaded: Promise<void>[] = [init(module), init(new URL('https://cdn.example/sigv4-signer.wasm')), init(new Uint8Array(8).buffer)];
void loaded;

// sigv4-wasm/s3's stream() is a TransformStream where the libraries declare one.
import { signChunked } from 'sigv4-wasm/s3';
const upload = signChunked({ method: 'PUT', url: 'https://b.s3.amazonaws.com/k' }, { accessKeyId: 'A', secretAccessKey: 's', decodedLength: 10 });
const piped: ReadableStream<Uint8Array> = new ReadableStream<Uint8Array>().pipeThrough(upload.stream());
void piped;
