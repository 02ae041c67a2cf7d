#!/usr/bin/env node
// What a web page that signs one request ships, and how soon it has its signature: the app of
// bench/lib/bundle.mjs for sigv4-wasm, aws4fetch and @smithy/signature-v4, each bundled by
// esbuild, Vite and webpack for the browser in production mode, then loaded in headless
// Chromium. See bench/README.md ("Bundle size and time to first signature").
//
//   node bench/bundle-size.mjs                 every bundler × signer, 15 timed loads each (about 1.5 minutes)
//   options: --loads N (15)  --bundlers esbuild,vite,webpack  --signers sigv4-wasm,aws4fetch,smithy
//            --out FILE (default bench/results/bundle-size-<date>.json)
//
// Pipeline: bundle → sizes (raw and gzip -9 of every file the page loads) → one checking load
// per bundle (a 64-hex signature, the same from every bundle) → N timed loads per bundle, each
// in a fresh browser context, interleaved → Markdown table (stdout) and JSON (bench/results/).

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { BUNDLERS, SIGNERS, WORK_DIR, bundleApp } from './lib/bundle.mjs';
import { median, quantile } from './lib/harness.mjs';
import { launchChromium } from '../scripts/chromium.mjs';
import { cpuModel } from './lib/machine.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const DIST = join(root, 'js', 'dist');
const log = (line) => console.error(`bundle-size: ${line}`);

function parseArgs(argv) {
  const args = { loads: 15, bundlers: Object.keys(BUNDLERS), signers: Object.keys(SIGNERS), out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`bundle-size: ${a} needs a value`);
      return v;
    };
    if (a.startsWith('--loads')) args.loads = Number(value());
    else if (a.startsWith('--bundlers')) args.bundlers = value().split(',');
    else if (a.startsWith('--signers')) args.signers = value().split(',');
    else if (a.startsWith('--out')) args.out = value();
    else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 14).join('\n'));
      process.exit(0);
    } else throw new Error(`bundle-size: unknown option ${a} (see --help)`);
  }
  if (!(args.loads >= 1)) throw new Error('bundle-size: --loads must be at least 1');
  for (const b of args.bundlers) if (!BUNDLERS[b]) throw new Error(`bundle-size: unknown bundler ${b}`);
  for (const s of args.signers) if (!SIGNERS[s]) throw new Error(`bundle-size: unknown signer ${s}`);
  return args;
}

const versionOf = (name) => {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
};

/** The build under test: every file of js/dist (not gen/) and the exports map that picks among them. */
function distFingerprint() {
  const h = createHash('sha256');
  h.update(readFileSync(join(root, 'js', 'package.json')));
  for (const f of readdirSync(DIST).sort()) {
    if (statSync(join(DIST, f)).isFile()) h.update(f).update(readFileSync(join(DIST, f)));
  }
  return h.digest('hex').slice(0, 16);
}

function machineInfo() {
  const cpu = cpuModel();
  let commit = null;
  let jsUncommitted = null; // js/dist may be built from changes not yet committed
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    jsUncommitted = execFileSync('git', ['status', '--porcelain', '--', 'js', 'src'], { cwd: root, encoding: 'utf8' }).trim() !== '';
  } catch {}
  const wasm = Object.fromEntries(readdirSync(DIST).filter((f) => f.endsWith('.wasm')).map((f) => {
    const bytes = readFileSync(join(DIST, f));
    return [f, { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') }];
  }));
  return {
    cpu,
    cpus: cpus().length,
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    commit,
    jsUncommitted,
    bundlers: Object.fromEntries(['esbuild', 'vite', 'rolldown', 'webpack', 'webpack-cli'].map((n) => [n, versionOf(n)])),
    packages: Object.fromEntries(['sigv4-wasm', 'aws4fetch', '@smithy/signature-v4', '@smithy/protocol-http', '@aws-crypto/sha256-browser']
      .map((n) => [n, versionOf(n)])),
    distWasm: wasm,
  };
}

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml' };

/** A static server for one bundle's output dir on 127.0.0.1 (no compression, no caching); logs what it serves. */
async function serve(dir) {
  const served = [];
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    served.push(path.slice(1));
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).on('error', reject));
  return { origin: `http://127.0.0.1:${server.address().port}`, served, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** One page load in a fresh browser context: { signature, dom, start, end, documentEnd, served }, or throws. */
async function loadOnce(browser, site) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    site.served.length = 0;
    await page.goto(`${site.origin}/`);
    await page.waitForFunction(() => window.firstSignature, null, { timeout: 30000 }).catch((error) => {
      throw new Error(`no signature within 30 s${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}: ${error.message.split('\n')[0]}`);
    });
    const result = await page.evaluate(() => ({
      ...window.firstSignature,
      dom: document.getElementById('signature').textContent,
      documentEnd: performance.getEntriesByType('navigation')[0].responseEnd,
    }));
    if (result.error) throw new Error(`the app failed: ${result.error}`);
    return { ...result, served: [...site.served] };
  } finally {
    await context.close();
  }
}

const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => (bytes / 1000).toFixed(1);
const ms = (x) => x.toFixed(1);
const HEX64 = /^[0-9a-f]{64}$/;

function markdown(results) {
  const m = results.machine;
  const out = [`# Bundle size and time to first signature (${results.date})`, ''];
  out.push(`CPU: ${m.cpu} (${m.cpus} logical CPUs); ${m.chromium}; esbuild ${m.bundlers.esbuild}, Vite ${m.bundlers.vite} ` +
    `(Rolldown ${m.bundlers.rolldown}), webpack ${m.bundlers.webpack}; sigv4-wasm ${m.packages['sigv4-wasm']} as built in js/dist at ${m.commit}${m.jsUncommitted ? ' with uncommitted changes to js/ or src/' : ''} ` +
    `(${Object.entries(m.distWasm).map(([f, w]) => `${f} ${w.bytes.toLocaleString('en-US')} B, sha256 ${w.sha256.slice(0, 16)}…`).join('; ') || 'no .wasm'}), ` +
    `aws4fetch ${m.packages.aws4fetch}, @smithy/signature-v4 ${m.packages['@smithy/signature-v4']} + @aws-crypto/sha256-browser ${m.packages['@aws-crypto/sha256-browser']}. ` +
    'Sizes: every file the page loads besides the HTML document, KB = 1,000 bytes, gzip -9 per file then summed. ' +
    `Time: ms from navigation start to the signature, over ${results.config.loads} loads per bundle, each in a fresh browser context, ` +
    `served from 127.0.0.1 uncompressed; "first call": the sign call alone. Load average (1 min) before/after: ${m.loadavgBefore[0]} / ${m.loadavgAfter[0]}.`);
  for (const w of results.warnings) out.push('', `**Warning:** ${w}.`);
  out.push('', `Every bundle signed the API Gateway GET with the same signature (${results.signature}).`, '');
  out.push('| Bundler | Signer | gzipped KB | raw KB | files | largest file (raw KB) | first signature, median ms | p90 ms | min–max ms | first call, median ms |');
  out.push('| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  for (const b of results.bundles) {
    const t = b.timing;
    out.push(`| ${b.bundler} | ${b.signer} | ${kb(b.gzipBytes)} | ${kb(b.rawBytes)} | ${b.loaded.length} | ${b.largest.path} (${kb(b.largest.raw)}) | ` +
      `${ms(t.median)} | ${ms(t.p90)} | ${ms(t.min)}–${ms(t.max)} | ${ms(t.firstCallMedian)} |`);
  }
  const notLoaded = results.bundles.filter((b) => b.notLoaded.length);
  if (notLoaded.length) {
    out.push('', 'Emitted but not loaded by the page (not counted): ' +
      notLoaded.map((b) => `${b.bundler}/${b.signer}: ${b.notLoaded.map((f) => `${f.path} (${f.raw} B)`).join(', ')}`).join('; ') + '.');
  }
  const ours = results.bundles.filter((b) => b.signer === 'sigv4-wasm');
  if (ours.length) {
    const own = (p) => p.startsWith('js/') || p.includes('/sigv4-wasm/');
    out.push('', 'sigv4-wasm files bundled: ' + ours.map((b) => `${b.bundler}: ${b.inputs.filter(own).join(', ') || '?'}`).join('; ') + '.');
  }
  const documentEnd = median(results.bundles.flatMap((b) => b.loads.map((l) => l.documentEnd)));
  out.push('', `Before any script: the HTML document was received ${ms(documentEnd)} ms after navigation start (median over every load), ` +
    'a share of every figure above that no bundle changes.');
  return out.join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(DIST) || !readdirSync(DIST).length) throw new Error('bundle-size: js/dist is empty; build the package first (node js/build.mjs, or scripts/setup)');
  const started = Date.now();
  const results = { date: new Date().toISOString(), config: { loads: args.loads, bundlers: args.bundlers, signers: args.signers }, warnings: [] };
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const warn = (text) => {
    results.warnings.push(text);
    log(`warning: ${text}`);
  };
  if (loadBefore[0] > 0.5 * cpus().length) warn(`load average ${loadBefore[0]} on ${cpus().length} CPUs at the start: times will be noisy`);
  const fingerprint = distFingerprint();
  results.machine = machineInfo();

  // 1. Bundle every app, keep what each emitted.
  const bundles = [];
  for (const bundler of args.bundlers) {
    for (const signer of args.signers) {
      const t0 = Date.now();
      const built = await bundleApp(bundler, { signer, workDir: WORK_DIR }).catch((error) => {
        throw new Error(`bundle-size: ${bundler} could not bundle the ${signer} app${signer === 'sigv4-wasm' ? ' (is js/dist built, and does it match js/package.json?)' : ''}: ${error.message}`);
      });
      log(`${bundler} × ${signer}: ${built.files.length} files in ${Date.now() - t0} ms`);
      bundles.push({ bundler, signer, outDir: built.outDir, buildMs: Date.now() - t0, inputs: built.inputs,
        emitted: built.files.map((f) => ({ path: f.path, raw: f.contents.length, gzip: gzipSize(f.contents) })) });
    }
  }

  let browser;
  const sites = [];
  try {
    browser = await launchChromium();
    results.machine.chromium = `Chromium ${browser.version()}`;
    for (const b of bundles) sites.push(await serve(b.outDir));

    // 2. One checking load per bundle: a valid signature, in the DOM too; what the page fetched.
    for (const [i, b] of bundles.entries()) {
      let first;
      try {
        first = await loadOnce(browser, sites[i]);
      } catch (error) {
        throw new Error(`bundle-size: ${b.bundler} × ${b.signer}: ${error.message}`);
      }
      if (!HEX64.test(first.signature) || first.dom !== first.signature) {
        throw new Error(`bundle-size: ${b.bundler} × ${b.signer} produced ${JSON.stringify(first.signature)} (DOM: ${JSON.stringify(first.dom)}), not a 64-hex signature`);
      }
      b.signature = first.signature;
      const fetched = new Set(first.served.filter((p) => !p.endsWith('.html')));
      b.loaded = b.emitted.filter((f) => fetched.has(f.path));
      b.notLoaded = b.emitted.filter((f) => !fetched.has(f.path) && !f.path.endsWith('.html'));
      b.rawBytes = b.loaded.reduce((s, f) => s + f.raw, 0);
      b.gzipBytes = b.loaded.reduce((s, f) => s + f.gzip, 0);
      b.largest = b.loaded.reduce((a, f) => (!a || f.raw > a.raw ? f : a), null);
      if (!b.loaded.length) throw new Error(`bundle-size: ${b.bundler} × ${b.signer}: the page loaded none of the emitted files`);
      log(`${b.bundler} × ${b.signer}: ${b.signature.slice(0, 16)}…, loads ${b.loaded.map((f) => f.path).join(', ')} (${kb(b.gzipBytes)} KB gzipped)`);
    }
    const distinct = [...new Set(bundles.map((b) => b.signature))];
    if (distinct.length !== 1) {
      throw new Error(`bundle-size: the signers disagree on the same request: ${bundles.map((b) => `${b.bundler} × ${b.signer} = ${b.signature}`).join(', ')}`);
    }
    results.signature = distinct[0];

    // 3. Timed loads: rounds over every bundle, the order rotated by one each round.
    for (const b of bundles) b.loads = [];
    for (let round = 0; round < args.loads; round++) {
      for (let k = 0; k < bundles.length; k++) {
        const i = (k + round) % bundles.length;
        const r = await loadOnce(browser, sites[i]).catch((error) => {
          throw new Error(`bundle-size: ${bundles[i].bundler} × ${bundles[i].signer}, load ${round + 1}: ${error.message}`);
        });
        if (r.signature !== results.signature) throw new Error(`bundle-size: ${bundles[i].bundler} × ${bundles[i].signer} signed differently on load ${round + 1}`);
        bundles[i].loads.push({ end: r.end, firstCall: r.end - r.start, documentEnd: r.documentEnd });
      }
      log(`timed load round ${round + 1}/${args.loads}`);
    }
    for (const b of bundles) {
      const ends = b.loads.map((l) => l.end);
      b.timing = {
        median: median(ends), p90: quantile(ends, 0.9), min: Math.min(...ends), max: Math.max(...ends),
        firstCallMedian: median(b.loads.map((l) => l.firstCall)), documentEndMedian: median(b.loads.map((l) => l.documentEnd)),
      };
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    for (const s of sites) await s.close();
  }

  if (distFingerprint() !== fingerprint) warn('js/dist changed during the run: rerun for a consistent result');
  results.distFingerprint = fingerprint;
  results.machine.loadavgBefore = loadBefore;
  results.machine.loadavgAfter = loadavg().map((x) => Math.round(x * 100) / 100);
  results.bundles = bundles.map(({ outDir, ...b }) => b);
  results.seconds = (Date.now() - started) / 1000;
  console.log(markdown(results));
  const out = args.out || join(here, 'results', `bundle-size-${results.date.replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  log(`${results.seconds.toFixed(0)} s; results written to ${out}`);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
