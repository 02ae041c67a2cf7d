#!/usr/bin/env node
// Where does a signer spend its time? Runs one signer on one workload in a loop under
// `node --cpu-prof` and prints the functions with the most self time.
//
//   node bench/profile.mjs                                  sigv4-wasm, API Gateway GET, 5 s
//   node bench/profile.mjs --signer sigv4-wasm/js --workload s3-put-1m --seconds 8 --top 30
//   signers: sigv4-wasm, sigv4-wasm/js, aws4, smithy, aws4fetch
//   workloads: apigw-get, post-json-1k, s3-put-1m, s3-presign-get, sts-post-token, s3-put-16b
//   --keep DIR keeps the .cpuprofile (open it in Chrome DevTools > Performance)
//   --module FILE profiles another build of the package for the sigv4-wasm signers (e.g. an
//                 unminified bundle, for readable JavaScript function names)
//
// Wasm functions appear as wasm-function[N] (N counts the 11 imports; the release binary
// has no name section). `wasm-dis js/dist/sigv4-server.wasm` (Node's build; `sigv4-signer.wasm` for sigv4-wasm/js) prints function N
// as $(N - imports).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { requireDist } from './lib/dist.mjs';
import { NodeSha256 } from './lib/node-sha256.mjs';
import { workloads, tinyPutWorkload, oursOp, aws4Op, smithyOp, aws4fetchOp } from './lib/workloads.mjs';

const self = fileURLToPath(import.meta.url);
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i === -1 ? fallback : argv[i + 1];
};
const signer = opt('signer', 'sigv4-wasm');
const workloadId = opt('workload', 'apigw-get');
const seconds = Number(opt('seconds', '5'));
const top = Number(opt('top', '25'));

async function child() {
  const w = [...workloads(), tinyPutWorkload()].find((x) => x.id === workloadId);
  if (!w) throw new Error(`profile: unknown workload ${workloadId}`);
  let op;
  const module = opt('module', null);
  if (signer === 'sigv4-wasm' || signer === 'sigv4-wasm/js') {
    const api = await import(module ? pathToFileURL(resolve(module)).href : signer);
    op = oursOp(api.sign ? api : api.default, w);
  }
  else if (signer === 'aws4') op = aws4Op((await import('aws4')).default, w);
  else if (signer === 'smithy') {
    const [{ SignatureV4 }, { HttpRequest }] = await Promise.all([import('@smithy/signature-v4'), import('@smithy/protocol-http')]);
    op = smithyOp({ SignatureV4, HttpRequest }, NodeSha256, w);
  } else if (signer === 'aws4fetch') op = aws4fetchOp({ AwsV4Signer: (await import('aws4fetch')).AwsV4Signer, subtle: crypto.subtle }, w);
  else throw new Error(`profile: unknown signer ${signer}`);
  let calls = 0;
  let sink = 0;
  const end = performance.now() + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) sink += (op.async ? await op.op() : op.op()).length;
    calls += 50;
  }
  console.log(JSON.stringify({ calls, opsPerSecond: calls / seconds, sink }));
}

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfSamples = new Map();
  for (const id of profile.samples) selfSamples.set(id, (selfSamples.get(id) || 0) + 1);
  const total = profile.samples.length;
  const groups = new Map();
  const categories = new Map();
  for (const [id, count] of selfSamples) {
    const f = byId.get(id).callFrame;
    const file = f.url ? basename(f.url.replace(/^file:\/\//, '')) : '';
    const name = f.functionName || '(anonymous)';
    const key = `${name}  ${file}${f.url && !f.url.startsWith('wasm') ? `:${f.lineNumber + 1}` : ''}`;
    groups.set(key, (groups.get(key) || 0) + count);
    let category = 'JavaScript (other)';
    if (f.url.startsWith('wasm://') || /^\$?(wasm-function|func)/.test(name)) category = 'wasm';
    else if (name === '(garbage collector)') category = 'GC';
    else if (name === '(idle)' || name === '(program)' || name === '(root)') category = name;
    else if (/sigv4-wasm|js\/dist/.test(f.url)) category = 'sigv4-wasm JS (api + glue)';
    else if (/node_modules/.test(f.url)) category = `peer JS (${f.url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]})`;
    else if (f.url.startsWith('node:') || !f.url) category = 'Node internals / native';
    categories.set(category, (categories.get(category) || 0) + count);
  }
  const pct = (n) => `${((n / total) * 100).toFixed(1).padStart(5)}%`;
  console.log(`\nself time by category (${total} samples):`);
  for (const [k, v] of [...categories].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(v)}  ${k}`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [k, v] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(v)}  ${k}`);
}

if (argv.includes('--child')) {
  await child();
} else {
  requireDist();
  const dir = mkdtempSync(join(tmpdir(), 'sigv4-prof-'));
  try {
    const out = execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', self, ...argv, '--child'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const { opsPerSecond } = JSON.parse(out.trim().split('\n').pop());
    console.log(`${signer}, ${workloadId}: ${Math.round(opsPerSecond)} ops/s under the profiler (${seconds} s)`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const keep = opt('keep', null);
    if (keep) {
      mkdirSync(keep, { recursive: true });
      copyFileSync(join(dir, file), join(keep, `${signer.replace('/', '-')}-${workloadId}.cpuprofile`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
