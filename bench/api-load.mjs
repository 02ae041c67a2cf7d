#!/usr/bin/env node
// Load on the local API (www/server/): autocannon against the server in a child process on
// 127.0.0.1, one scenario after another, each for a fixed time, with the server's RSS before,
// at its peak and after. Not part of the test suite (CI has 2 cores); tests/api/bodies.test.mjs
// holds the memory bound. The figures are in www/README.md.
//
//   node bench/api-load.mjs [--seconds 5] [--connections 10] [--out FILE]
//   (results: bench/results/api-load-<date>.json; the Markdown table to stdout)

import autocannon from 'autocannon';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { presign, sign } from 'sigv4-wasm';
import { freePort, peakResident, residentBytes, startChild } from '../tests/servers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const KEY = { accessKeyId: 'AKIALOADTEST00000001', secretAccessKey: 'load-test-secret' };
const MB = 1024 * 1024;

function parseArgs(argv) {
  const args = { seconds: 5, connections: 10, out: null };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = inline ?? argv[++i];
    if (flag === '--seconds') args.seconds = Number(value);
    else if (flag === '--connections') args.connections = Number(value);
    else if (flag === '--out') args.out = value;
    else throw new Error(`api-load: unknown option ${argv[i]}; see the comment at the top of bench/api-load.mjs`);
  }
  if (!(args.seconds > 0) || !Number.isInteger(args.connections) || args.connections < 1) throw new Error('api-load: --seconds and --connections must be positive');
  return args;
}

/** The scenarios, against the server at `base`: what autocannon sends, and the status each answer must have. */
function scenarios(base) {
  const body = Buffer.alloc(MB, 0x61);
  const url = `${base}/test/pets`;
  // Signed with the server's key id but another secret: the server cannot tell it is false
  // before it has hashed the body.
  const forged = sign({ method: 'POST', url, body }, { ...SCOPE, ...KEY, secretAccessKey: 'not-the-secret' }).headers;
  delete forged.host; // autocannon sends the same Host
  return [
    { id: 'signed-get', what: 'GET /test/pets, presigned (one URL, verified anew each time)', status: 200, request: { url: presign({ method: 'GET', url }, { ...SCOPE, ...KEY, expiresIn: 3600 }).url } },
    { id: 'unsigned-get', what: 'GET /test/pets, unsigned', status: 403, request: { url } },
    { id: 'forged-post-1mb', what: 'POST /test/pets, 1 MB body, signed with a wrong secret (read and hashed)', status: 403, request: { url, method: 'POST', headers: forged, body } },
    { id: 'unsigned-post-1mb', what: 'POST /test/pets, 1 MB body, unsigned (refused before the body; connection closed)', status: 403, request: { url, method: 'POST', body } },
  ];
}

async function runScenario(pid, scenario, { seconds, connections }) {
  const before = residentBytes(pid);
  const { result, peak } = await peakResident(pid, () => autocannon({ ...scenario.request, connections, duration: seconds }));
  const after = residentBytes(pid);
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const unexpected = Object.entries(statuses).filter(([code]) => Number(code) !== scenario.status);
  if (unexpected.length) throw new Error(`api-load: ${scenario.id} got ${unexpected.map(([code, n]) => `${n} x ${code}`).join(', ')}, not only ${scenario.status}`);
  return {
    id: scenario.id,
    what: scenario.what,
    requestsPerSecond: result.requests.average,
    answers: result.requests.total,
    statuses,
    errors: result.errors,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    rssMB: { before: before / MB, peak: peak / MB, after: after / MB },
  };
}

function markdown(results) {
  const mb = (x) => x.toFixed(0);
  const lines = [
    `${results.seconds} s per scenario, ${results.connections} connections; ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}`,
    '',
    '| scenario | requests/s | latency p50 / p99 | server RSS before → peak → after |',
    '| --- | ---: | ---: | ---: |',
  ];
  for (const r of results.scenarios) {
    const errors = r.errors ? ` (${r.errors} connections cut)` : '';
    lines.push(`| ${r.what} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')}${errors} | ${r.latencyMs.p50} / ${r.latencyMs.p99} ms | ${mb(r.rssMB.before)} → ${mb(r.rssMB.peak)} → ${mb(r.rssMB.after)} MB |`);
  }
  return lines.join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const port = await freePort();
  const server = await startChild(process.execPath, ['www/server/server.mjs', '--port', String(port), '--quiet'], {
    port,
    cwd: root,
    env: { SIGV4_DEMO_ACCESS_KEY_ID: KEY.accessKeyId, SIGV4_DEMO_SECRET_ACCESS_KEY: KEY.secretAccessKey },
  });
  const results = {
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0] ? cpus()[0].model : 'unknown', cores: cpus().length, node: process.versions.node, loadavgBefore: loadavg() },
    seconds: args.seconds,
    connections: args.connections,
    scenarios: [],
  };
  try {
    for (const scenario of scenarios(`http://127.0.0.1:${port}`)) {
      console.error(`api-load: ${scenario.id} for ${args.seconds} s`);
      results.scenarios.push(await runScenario(server.child.pid, scenario, args));
    }
  } finally {
    await server.stop();
  }
  results.machine.loadavgAfter = loadavg();
  console.log(markdown(results));
  const out = args.out || join(here, 'results', `api-load-${results.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`api-load: results written to ${out}`);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
