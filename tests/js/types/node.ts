// Node's own types pass where the package takes them (tests/js/types.test.mjs, tsconfig.node.json).
import { init, sign } from 'sigv4-wasm';
import { readFileSync } from 'node:fs';

const loaded: Promise<void> = init(readFileSync('sigv4-server.wasm'));
const signed = sign({ url: 'https://h.example/', body: Buffer.from('x') }, { accessKeyId: 'A', secretAccessKey: 's', region: 'r', service: 's' });
void loaded, signed;
