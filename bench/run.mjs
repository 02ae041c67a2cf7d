#!/usr/bin/env node
// Benchmarks sigv4-wasm against aws4, @smithy/signature-v4 and aws4fetch in Node and in
// headless Chromium, in one run. See bench/README.md for the method.
//
//   node bench/run.mjs                 Node, then Chromium (about 2-3 minutes)
//   node bench/run.mjs --node          Node only
//   node bench/run.mjs --chromium      Chromium only
//   options: --samples N (25)  --slice MS (50)  --warmup MS (400)  --quick (7 samples, 20 ms)
//            --workloads apigw-get,hashing,...   --out FILE (default bench/results/<date>.json)

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIG_BODY } from './lib/workloads.mjs';
import { evaluateTargets, markdown } from './lib/report.mjs';
import { runSuite } from './lib/suite.mjs';
import { distFingerprint, requireDist } from './lib/dist.mjs';
import { NodeSha256 } from './lib/node-sha256.mjs';
import { cpuModel, gitCommit, packageVersion } from './lib/machine.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function parseArgs(argv) {
  const args = { node: true, chromium: true, samples: 25, sliceMs: 50, warmupMs: 400, workloads: null, out: null };
  let onlyNode = false;
  let onlyChromium = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`bench: ${a} needs a value`);
      return v;
    };
    if (a === '--node') onlyNode = true;
    else if (a === '--chromium') onlyChromium = true;
    else if (a === '--quick') Object.assign(args, { samples: 7, sliceMs: 20, warmupMs: 200 });
    else if (a.startsWith('--samples')) args.samples = Number(value());
    else if (a.startsWith('--slice')) args.sliceMs = Number(value());
    else if (a.startsWith('--warmup')) args.warmupMs = Number(value());
    else if (a.startsWith('--workloads')) args.workloads = value().split(',');
    else if (a.startsWith('--out')) args.out = value();
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 11).join('\n'));
      process.exit(0);
    } else throw new Error(`bench: unknown option ${a} (see --help)`);
  }
  if (onlyNode || onlyChromium) {
    args.node = onlyNode;
    args.chromium = onlyChromium;
  }
  return args;
}

function machineInfo() {
  const cpu = cpuModel();
  const commit = gitCommit();
  const versionOf = packageVersion;
  let sizes = null;
  try {
    sizes = JSON.parse(readFileSync(join(root, 'js', 'dist', 'sizes.json'), 'utf8'));
  } catch {}
  let wasm = null;
  try {
    wasm = Object.fromEntries(['signer', 'server'].map((name) => {
      const file = join(root, 'js', 'dist', `sigv4-${name}.wasm`);
      return [name, { sha256: createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16), built: statSync(file).mtime.toISOString() }];
    }));
  } catch {}
  return {
    cpu,
    cpus: cpus().length,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    v8: process.versions.v8,
    commit,
    packages: Object.fromEntries(['sigv4-wasm', 'aws4', '@smithy/signature-v4', '@aws-crypto/sha256-browser', '@aws-crypto/sha256-js', 'aws4fetch']
      .map((n) => [n, versionOf(n)])),
    distSizes: sizes,
    distWasm: wasm,
  };
}

async function runNode(config) {
  // The browsers' build too: its wasm is the binary sigv4-wasm/js translates, which the
  // translation is compared with (the servers' binary is another, built for speed).
  const [ours, oursJs, oursSigner, aws4, smithy, protocol, aws4fetch] = await Promise.all([
    import('sigv4-wasm'), import('sigv4-wasm/js'), import(pathToFileURL(join(root, 'js', 'dist', 'browser.mjs')).href),
    import('aws4'), import('@smithy/signature-v4'), import('@smithy/protocol-http'), import('aws4fetch'),
  ]);
  const libs = {
    ours,
    oursJs,
    oursSigner,
    aws4: aws4.default || aws4,
    smithy: { SignatureV4: smithy.SignatureV4, HttpRequest: protocol.HttpRequest },
    smithyHashes: [{ id: 'smithy', sha256: NodeSha256 }],
    AwsV4Signer: aws4fetch.AwsV4Signer,
    subtle: globalThis.crypto.subtle,
    nativeHash: { id: 'node:crypto', op: { async: false, op: () => createHash('sha256').update(BIG_BODY).digest('hex') } },
  };
  return runSuite('node', libs, config, (line) => console.error(line));
}

async function runChromium(config) {
  const esbuild = await import('esbuild');
  const fingerprint = distFingerprint();
  const { launchChromium } = await import('../scripts/chromium.mjs');
  const work = mkdtempSync(join(tmpdir(), 'sigv4-bench-'));
  let server;
  let browser;
  try {
    await esbuild.build({
      entryPoints: [join(here, 'lib', 'browser-entry.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(work, 'bench.js'),
      absWorkingDir: root,
      logLevel: 'warning',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    const files = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>sigv4-wasm bench</title><script type="module" src="/bench.js"></script>'],
      '/bench.js': ['text/javascript', readFileSync(join(work, 'bench.js'))],
    };
    // Cross-origin isolation gives the page a 5 µs performance.now() instead of 100 µs.
    server = createServer((req, res) => {
      const file = files[req.url];
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': file[0],
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cache-Control': 'no-store',
      });
      res.end(file[1]);
    });
    await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).on('error', reject));
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium();
    const page = await browser.newPage();
    page.on('console', (msg) => console.error(msg.text()));
    page.on('pageerror', (error) => console.error(`[chromium] page error: ${error.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => typeof window.runBench === 'function');
    const result = await page.evaluate((c) => window.runBench(c), config);
    result.version = `Chromium ${browser.version()}`;
    result.distFingerprint = fingerprint;
    return result;
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await new Promise((resolve) => server.close(resolve));
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const config = { samples: args.samples, sliceMs: args.sliceMs, warmupMs: args.warmupMs, workloads: args.workloads };
  requireDist();
  const started = Date.now();
  const results = { date: new Date().toISOString(), machine: machineInfo(), config };
  // Other work on the machine skews everything: record the load, and say so when it is high.
  results.machine.loadavgBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  results.warnings = [];
  const warn = (text) => {
    results.warnings.push(text);
    console.error(`bench: warning: ${text}`);
  };
  if (results.machine.loadavgBefore[0] > 0.5 * cpus().length) {
    warn(`load average ${results.machine.loadavgBefore[0]} on ${cpus().length} CPUs at the start: results will be noisy`);
  }
  if (args.node) {
    const fingerprint = distFingerprint();
    results.node = await runNode(config);
    results.node.distFingerprint = fingerprint;
    if (distFingerprint() !== fingerprint) warn('js/dist was rebuilt during the Node run: rerun for a consistent result');
  }
  if (args.chromium) {
    results.chromium = await runChromium(config);
    results.machine.chromium = results.chromium.version;
    if (results.node && results.node.distFingerprint !== results.chromium.distFingerprint) {
      warn('Node and Chromium measured different builds of js/dist (it was rebuilt between them)');
    }
  }
  results.seconds = (Date.now() - started) / 1000;
  results.machine.loadavgAfter = loadavg().map((x) => Math.round(x * 100) / 100);
  if (results.machine.loadavgAfter[0] > cpus().length) { // the run itself keeps about one core busy
    warn(`load average ${results.machine.loadavgAfter[0]} on ${cpus().length} CPUs at the end: results are noisy`);
  }
  results.targets = evaluateTargets(results);
  const text = markdown(results);
  console.log(text);
  const out = args.out || join(here, 'results', `${results.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.error(`\nbench: ${results.seconds.toFixed(0)} s; results written to ${out}`);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
