// How verify's time grows with the number of signed headers: signs a request with N small
// headers, verifies it, and prints the median time per verify for each N and its ratio to the
// previous N. Linear (or n log n) work doubles when N doubles; quadratic work quadruples.
//
//   node bench/verify-headers.mjs [--backend wasm|js]
//
// N stops at 3,000. Past about 3,500 a verify takes more than 8 MiB of wasm memory (about 2 KiB
// a header: the bump allocator frees nothing within a call), so the package drops the instance
// after each call and the next one pays for a new instance, which this would measure instead;
// past about 4,500 the headers exceed 64 KiB and are refused (REQUEST_TOO_LARGE).

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { requireDist } from './lib/dist.mjs';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' } } });
requireDist();
const api = await import(values.backend === 'js' ? '../js/dist/verify-js.mjs' : 'sigv4-wasm/verify');

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const NOW = '20150830T123600Z';
const SAMPLES = 9;

function median(values) {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function signedWith(count) {
  const headers = [];
  for (let i = 0; i < count; i++) headers.push([`x-h${i}`, 'v']);
  const signed = api.sign(
    { url: 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets', headers },
    { ...CREDENTIALS, ...SCOPE, datetime: NOW, signHeaders: [] },
  );
  return { url: '/test/pets', headers: Object.entries(signed.headers) };
}

const lookup = (id) => (id === CREDENTIALS.accessKeyId ? { secretAccessKey: CREDENTIALS.secretAccessKey } : null);
console.log(`verify, ${api.getBackend()} backend: median of ${SAMPLES} runs`);
console.log('| signed headers | ms per verify | ratio to the row above |');
console.log('| ---: | ---: | ---: |');
let previous;
for (const count of [375, 750, 1500, 3000]) {
  const request = signedWith(count);
  api.verify(request, { ...SCOPE, lookup, now: NOW }); // warm-up, and proof that it verifies
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    api.verify(request, { ...SCOPE, lookup, now: NOW });
    times.push(performance.now() - start);
  }
  const ms = median(times);
  console.log(`| ${count} | ${ms.toFixed(2)} | ${previous ? (ms / previous).toFixed(2) : ''} |`);
  previous = ms;
}
