// Runs the suite in a runtime without a test framework of ours (Node without WebAssembly,
// Deno, Bun) and prints the report as JSON: `node --test tests/js/runtimes.test.mjs` compares it.
// Usage: <runtime> run-suite.mjs <fixtures.json> [entry] [verify entry] [s3 entry]
//   (default: sigv4-wasm, sigv4-wasm/verify and sigv4-wasm/s3, as the runtime resolves them)
import { readFileSync } from 'node:fs';
import { runAll } from './suite.mjs';

const [fixturesPath, entry = 'sigv4-wasm', verifyEntry = 'sigv4-wasm/verify', s3Entry = 'sigv4-wasm/s3'] = process.argv.slice(2);
const s3 = await import(s3Entry);
const verifier = await import(verifyEntry);
const api = { ...(await import(entry)), verify: verifier.verify, verifyChunked: verifier.verifyChunked, signChunked: s3.signChunked, presignPost: s3.presignPost };
const report = runAll(api, JSON.parse(readFileSync(fixturesPath, 'utf8')));
console.log(JSON.stringify(report));
