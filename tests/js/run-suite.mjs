// Runs the suite in a runtime without a test framework of ours (Node without WebAssembly,
// Deno, Bun) and prints the report as JSON: `node --test tests/js/runtimes.test.mjs` compares it.
// Usage: <runtime> run-suite.mjs <fixtures.json> [entry]   (entry defaults to sigv4-wasm)
import { readFileSync } from 'node:fs';
import { runAll } from './suite.mjs';

const [fixturesPath, entry = 'sigv4-wasm'] = process.argv.slice(2);
const api = await import(entry);
const report = runAll(api, JSON.parse(readFileSync(fixturesPath, 'utf8')));
console.log(JSON.stringify(report));
