#!/usr/bin/env node
// Benchmarks sigv4-wasm's react-native entry (the wasm2js translation) in Hermes 0.12 against
// @smithy/signature-v4 with @aws-crypto/sha256-js, as React Native apps sign. See the Hermes
// section of bench/README.md for the method.
//
//   node bench/hermes.mjs                     the package's react-native entry (js/dist/react-native.cjs)
//   node bench/hermes.mjs --entry FILE        another build of that entry (a CommonJS bundle)
//   options: --samples N (15)  --slice MS (100)  --warmup MS (500)  --quick (5 samples, 50 ms)
//            --workloads apigw-get,hashing,...  --out FILE (default bench/results/hermes-<date>.json)
//            --source (run the lowered JavaScript, not -O bytecode)  --work DIR (target/hermes-bench)

import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { cpuModel, gitCommit, packageVersion } from './lib/machine.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const HERMES = join(root, 'node_modules', 'hermes-engine-cli', 'linux64-bin', 'hermes');
/** Issue 12's figure for today's package, API Gateway GET in Hermes 0.12 on the project's machine. */
const BASELINE_APIGW_GET = 593;

// The option reader has run.mjs's shape on purpose: each benchmark script reads its own options.
function parseArgs(argv) {
  const args = { entry: null, samples: 15, sliceMs: 100, warmupMs: 500, workloads: null, out: null, source: false, work: join(root, 'target', 'hermes-bench') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    if (a.startsWith('--entry')) args.entry = resolve(value());
    else if (a === '--quick') Object.assign(args, { samples: 5, sliceMs: 50, warmupMs: 200 });
    else if (a.startsWith('--samples')) args.samples = Number(value());
    else if (a.startsWith('--slice')) args.sliceMs = Number(value());
    else if (a.startsWith('--warmup')) args.warmupMs = Number(value());
    else if (a.startsWith('--workloads')) args.workloads = value().split(',');
    else if (a.startsWith('--out')) args.out = resolve(value());
    else if (a.startsWith('--work')) args.work = resolve(value());
    else if (a === '--source') args.source = true;
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 11).join('\n'));
      process.exit(0);
    } else throw new Error(`bench: unknown option ${a} (see --help)`);
  }
  if (args.entry && !existsSync(args.entry)) throw new Error(`bench: --entry ${args.entry} does not exist`);
  return args;
}

const sha16 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/**
 * Bundles bench/lib/hermes-entry.mjs for Hermes 0.12 as tests/js/runtimes.test.mjs bundles the
 * react-native entry: esbuild (iife, the react-native condition and main fields as Metro
 * resolves them), then TypeScript's ES5 emit, which lowers what Hermes 0.12 lacks (class
 * syntax; `let` per iteration) as Metro's Babel preset does. Returns the lowered file and
 * the sigv4-wasm file it bundled.
 */
async function bundle(args, config) {
  const esbuild = require('esbuild');
  const plugins = [];
  if (args.entry) {
    plugins.push({
      name: 'sigv4-wasm-entry',
      setup(build) {
        build.onResolve({ filter: /^sigv4-wasm$/ }, () => ({ path: args.entry }));
      },
    });
  }
  const result = await esbuild.build({
    entryPoints: [join(here, 'lib', 'hermes-entry.mjs')],
    bundle: true,
    write: false,
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: root,
    format: 'iife',
    platform: 'browser',
    target: 'es2015',
    conditions: ['react-native'],
    mainFields: ['react-native', 'browser', 'main'],
    define: { BENCH_CONFIG: JSON.stringify(config), 'process.env.NODE_ENV': '"production"' },
    plugins,
  });
  const inputs = Object.keys(result.metafile.inputs);
  const ours = args.entry
    ? inputs.filter((i) => resolve(root, i) === args.entry)
    : inputs.filter((i) => i.startsWith('js/') || i.includes('node_modules/sigv4-wasm/'));
  if (ours.length !== 1) throw new Error(`bench: expected one sigv4-wasm file in the Hermes bundle, found ${ours.join(', ') || 'none'}`);
  mkdirSync(args.work, { recursive: true });
  const raw = result.outputFiles[0].text;
  writeFileSync(join(args.work, 'bench.raw.js'), raw);
  const ts = require('typescript');
  const lowered = ts.transpileModule(raw, {
    compilerOptions: { target: ts.ScriptTarget.ES5, downlevelIteration: true, allowJs: true },
    reportDiagnostics: true,
  });
  if (lowered.diagnostics.length) throw new Error(`bench: ES5 lowering: ${lowered.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
  const file = join(args.work, 'bench.js');
  writeFileSync(file, lowered.outputText);
  return { file, entry: resolve(root, ours[0]) };
}

/** Compiles to bytecode as React Native release builds do (hermesc -emit-binary -O). */
function compile(file) {
  const out = file.replace(/\.js$/, '.hbc');
  const t0 = Date.now();
  execFileSync(HERMES, ['-O', '-w', '-emit-binary', '-out', out, file], { stdio: ['ignore', 'inherit', 'inherit'] });
  return { file: out, seconds: (Date.now() - t0) / 1000 };
}

/** Runs the bundle in Hermes; progress lines go to stderr; resolves with the result object. */
function runHermes(file) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(HERMES, [file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let result;
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      pending += data;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7));
        else if (line.startsWith('ERROR ')) reject(new Error(`bench: in Hermes: ${JSON.parse(line.slice(6))}`));
        else console.error(`[hermes] ${line.replace(/^# /, '')}`);
      }
    });
    child.stderr.on('data', (data) => { stderr += data; });
    child.on('error', reject);
    child.on('close', (code) => {
      if (result && code === 0) resolvePromise(result);
      else reject(new Error(`bench: hermes exited with ${code} without a result\n${stderr.slice(-3000)}`));
    });
  });
}

function machineInfo(entryFile) {
  const cpu = cpuModel();
  const commit = gitCommit();
  const versionOf = packageVersion;
  const hermes = execFileSync(HERMES, ['-version'], { encoding: 'utf8' }).match(/Hermes release version: (\S+)/);
  const entryBytes = readFileSync(entryFile);
  return {
    cpu,
    cpus: cpus().length,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    hermes: hermes ? hermes[1] : 'unknown',
    commit,
    packages: Object.fromEntries(['@smithy/signature-v4', '@smithy/core', '@aws-crypto/sha256-js', 'buffer', 'esbuild', 'typescript']
      .map((n) => [n, versionOf(n)])),
    entry: {
      file: relative(root, entryFile),
      sha256: sha16(entryBytes),
      bytes: entryBytes.length,
      gzip: gzipSync(entryBytes, { level: 9 }).length,
      mtime: statSync(entryFile).mtime.toISOString(),
    },
  };
}

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2));
const spread = (r) => Math.round(((r.p75 - r.p25) / 2 / r.medianOps) * 100);
const cell = (r) => `${fmt(r.medianOps)} ±${spread(r)}%`;
const fmtRatio = (x) => `${x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`;
function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The issue-12 targets: hashing at least as fast as sha256-js, twice today's API Gateway GET rate. */
export function hermesTargets(results) {
  const targets = [];
  const h = results.hermes.hashing;
  if (h) {
    const x = h.mbps['sigv4-wasm/js'] / h.mbps['sha256-js'];
    targets.push({ name: 'hashing ≥ 1.0x @aws-crypto/sha256-js', pass: x >= 1, value: x, detail: fmtRatio(x) });
  }
  const get = results.hermes.signing['apigw-get'];
  if (get) {
    const v = get.signers['sigv4-wasm/js'].medianOps;
    targets.push({ name: `API Gateway GET ≥ 2x ${BASELINE_APIGW_GET}/s (issue 12's figure, same machine)`, pass: v >= 2 * BASELINE_APIGW_GET, value: v, detail: `${fmt(v)}/s = ${fmtRatio(v / BASELINE_APIGW_GET)}` });
  }
  return targets;
}

export function markdown(results) {
  const m = results.machine;
  const r = results.hermes;
  const out = [`# sigv4-wasm in Hermes (${results.date})`, ''];
  out.push(`Hermes ${m.hermes} (${results.mode}); CPU: ${m.cpu} (${m.cpus} logical CPUs); ` +
    `sigv4-wasm: \`${m.entry.file}\` (${m.entry.bytes.toLocaleString('en-US')} B, gzip ${m.entry.gzip.toLocaleString('en-US')} B, sha256 ${m.entry.sha256}); ` +
    `${results.config.samples} samples × ~${results.config.sliceMs} ms per signer after ${results.config.warmupMs} ms warm-up; median ± half the interquartile range; ` +
    `ratios are sigv4-wasm median ÷ peer median (> 1: sigv4-wasm is faster). Load average (1 min) before/after: ${m.loadavgBefore[0]} / ${m.loadavgAfter[0]}.`);
  for (const w of results.warnings) out.push('', `**Warning:** ${w}.`);
  out.push('', `Startup of sigv4-wasm: require ${r.startup.requireMs} ms, instantiate ${r.startup.instantiateMs} ms, first signature ${r.startup.firstSignMs} ms.`);
  out.push('', 'Cross-check (same canonical request → same signature; same body → same SHA-256):', '');
  for (const line of r.crossCheck) out.push(`    ${line}`);
  if (r.hashing) {
    const s = r.hashing.signers;
    const mb = r.hashing.mbps;
    out.push('', '## Payload hashing, 1 MiB (MB = 10^6 bytes)', '');
    out.push('sigv4-wasm: (1 MiB − 16 B) ÷ (time to sign the S3 PUT with a 1 MiB body − with a 16 B body), `nativeHash: false`, ' +
      'i.e. the core\'s SHA-256 in the wasm2js translation, including copying the body into its memory. ' +
      'sha256-js: `new Sha256(); update(body); await digest()`, hex. The last row signs the whole S3 PUT.', '');
    out.push(table(['', 'sigv4-wasm (wasm2js)', '@aws-crypto/sha256-js', 'ratio'], [
      ['SHA-256 of 1 MiB, MB/s', mb['sigv4-wasm/js'].toFixed(2), mb['sha256-js'].toFixed(2), fmtRatio(mb['sigv4-wasm/js'] / mb['sha256-js'])],
      ['S3 PUT 1 MiB, signatures/s (smithy + sha256-js)', cell(s['sigv4-wasm/js PUT 1 MiB']), cell(s['smithy (sha256-js) PUT 1 MiB']),
        fmtRatio(s['sigv4-wasm/js PUT 1 MiB'].medianOps / s['smithy (sha256-js) PUT 1 MiB'].medianOps)],
    ]));
  }
  const rows = Object.values(r.signing).map((w) => {
    const ours = w.signers['sigv4-wasm/js'];
    const peer = w.signers['smithy (sha256-js)'];
    return [w.title, cell(ours), cell(peer), fmtRatio(ours.medianOps / peer.medianOps)];
  });
  if (rows.length) {
    out.push('', '## Signatures per second', '');
    out.push('smithy = `@smithy/signature-v4` `SignatureV4` with `@aws-crypto/sha256-js`, one long-lived signer per workload, awaited one call after another.', '');
    out.push(table(['Workload', 'sigv4-wasm (wasm2js)', 'smithy + sha256-js', '× smithy'], rows));
  }
  if (results.targets.length) {
    out.push('', '## Targets (issue 12)', '');
    out.push(table(['Target', 'Measured', 'Result'], results.targets.map((t) => [t.name, t.detail, t.pass ? 'pass' : '**FAIL**'])));
  }
  return out.join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = { samples: args.samples, sliceMs: args.sliceMs, warmupMs: args.warmupMs, workloads: args.workloads };
  const started = Date.now();
  const warnings = [];
  const warn = (text) => {
    warnings.push(text);
    console.error(`bench: warning: ${text}`);
  };
  const { file, entry } = await bundle(args, config);
  const entrySha = sha16(readFileSync(entry));
  const results = { date: new Date().toISOString(), machine: machineInfo(entry), config, warnings };
  let run = file;
  results.mode = 'the lowered bundle run from source';
  if (!args.source) {
    const compiled = compile(file);
    run = compiled.file;
    results.mode = `bytecode from \`hermes -O -emit-binary\` as React Native release builds compile it (${compiled.seconds.toFixed(1)} s)`;
    console.error(`bench: compiled ${relative(root, file)} to bytecode with -O in ${compiled.seconds.toFixed(1)} s`);
  }
  results.machine.loadavgBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  if (results.machine.loadavgBefore[0] > 0.5 * cpus().length) warn(`load average ${results.machine.loadavgBefore[0]} on ${cpus().length} CPUs at the start: results will be noisy`);
  results.hermes = await runHermes(run);
  results.machine.loadavgAfter = loadavg().map((x) => Math.round(x * 100) / 100);
  if (results.machine.loadavgAfter[0] > cpus().length) warn(`load average ${results.machine.loadavgAfter[0]} on ${cpus().length} CPUs at the end: results are noisy`);
  if (sha16(readFileSync(entry)) !== entrySha) warn(`${relative(root, entry)} changed during the run (bundled before the change)`);
  results.seconds = (Date.now() - started) / 1000;
  results.targets = hermesTargets(results);
  console.log(markdown(results));
  const out = args.out || join(here, 'results', `hermes-${results.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`\nbench: ${results.seconds.toFixed(0)} s; results written to ${relative(process.cwd(), out) || out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error && error.stack ? error.stack : error);
    process.exit(1);
  });
}
