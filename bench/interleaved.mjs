#!/usr/bin/env node
// Builds of sigv4-wasm against aws4 on the four small workloads, in one process, in
// interleaved 40 ms slices (aws4, then each build, round after round), printing each one's
// median signatures per second and the median of its per-round ratio to aws4. On a machine
// shared with other work, where bench/run.mjs's ratios move 30 % and more between runs, the
// per-round ratio compares two signers under the same load; and two builds side by side
// (this one and another branch's) show what a change did.
//
//   node bench/interleaved.mjs [--rounds N (15)] [--cpu] js/dist/server.mjs [/other/checkout/js/dist/server.mjs ...]
//
// --cpu: each slice signs 2,000 times and divides by the CPU time the process spent on them
// (process.cpuUsage) instead of by the wall time, so that what other processes take from the
// machine does not count. Three copies of one build came out within 5 % of each other at a
// load average of 11 (the first build listed a little lower: list two builds both ways round),
// where the 40 ms wall-time slices differed by up to 30 %.
import { workloads, oursOp, aws4Op } from './lib/workloads.mjs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
const argv = process.argv.slice(2);
let rounds = 15;
let cpu = false;
const mods = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--rounds') rounds = Number(argv[++i]);
  else if (argv[i] === '--cpu') cpu = true;
  else mods.push(argv[i]);
}
const aws4 = (await import('aws4')).default;
const apis = [];
for (const m of mods) apis.push(await import(pathToFileURL(resolve(m)).href));
const ids = ['apigw-get', 'post-json-1k', 's3-presign-get', 'sts-post-token'];
const slice = (op, ms) => { let n = 0; const end = performance.now() + ms; let sink = 0; while (performance.now() < end) { for (let i = 0; i < 20; i++) sink += op().length; n += 20; } return n / ms * 1000; };
/** The calls in a --cpu slice: 20-40 ms of CPU for these workloads. */
const CPU_SLICE_CALLS = 2000;
/** Signatures per second of CPU time over `n` calls. */
const cpuSlice = (op, n) => {
  let sink = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) sink += op().length;
  const used = process.cpuUsage(start);
  return sink >= 0 ? n / ((used.user + used.system) / 1e6) : 0;
};
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[s.length >> 1]; };
for (const w of workloads().filter((w) => ids.includes(w.id))) {
  const ops = [aws4Op(aws4, w).op, ...apis.map((api) => oursOp(api, w).op)];
  for (const op of ops) slice(op, 200);
  const rates = ops.map(() => []);
  const ratios = apis.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const got = ops.map((op) => (cpu ? cpuSlice(op, CPU_SLICE_CALLS) : slice(op, 40)));
    got.forEach((v, i) => rates[i].push(v));
    apis.forEach((_, i) => ratios[i].push(got[i + 1] / got[0]));
  }
  console.log(`${w.id.padEnd(16)} aws4 ${Math.round(median(rates[0]))}/s  ` + apis.map((_, i) => `[${i}] ${Math.round(median(rates[i + 1]))}/s ${median(ratios[i]).toFixed(2)}x`).join('  '));
}
