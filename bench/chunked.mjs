// aws-chunked throughput and memory in Node: a stream of N MiB through signChunked's encoder
// (sigv4-wasm/s3), and the encoder's frames through verifyChunked's verifier
// (sigv4-wasm/verify), each against node:crypto's SHA-256 of the same bytes; peak RSS and the
// heap before and after, per stream length, each length in a fresh process so that its peak is
// its own. Measures the package as built in js/dist (it does not build it).
//
//   node bench/chunked.mjs                  # 256 MiB and 1 GiB, 64 KiB chunks, 1 MiB writes
//   node bench/chunked.mjs --sizes 64,256   # MiB
//   node bench/chunked.mjs --chunk 1048576  # chunk size in bytes
//   node bench/chunked.mjs --chromium       # the same in headless Chromium (the browsers' builds)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1];
};
const MIB = 1024 * 1024;
const chunkSize = Number(option('chunk', 65536));

if (option('child', null) !== null) {
  const mib = Number(option('child'));
  const { signChunked } = await import('sigv4-wasm/s3');
  const { verifyChunked } = await import('sigv4-wasm/verify');
  const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const piece = Buffer.alloc(MIB);
  for (let i = 0; i < MIB; i++) piece[i] = (i * 7919 + (i >> 9)) % 256;
  const length = mib * MIB;
  let peakRss = process.memoryUsage().rss;
  const sample = () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };
  global.gc?.();
  const before = process.memoryUsage();

  // node:crypto's SHA-256 of the same bytes: the native hasher.
  let t = performance.now();
  const hash = createHash('sha256');
  for (let i = 0; i < mib; i++) hash.update(piece);
  hash.digest();
  const nativeMs = performance.now() - t;

  // The encoder alone.
  const options = { ...KEY, region: 'us-east-1', service: 's3', decodedLength: length, chunkSize, checksum: 'crc32c' };
  const request = { method: 'PUT', url: 'https://examplebucket.s3.amazonaws.com/big.bin' };
  let upload = signChunked(request, options);
  let encoder = upload.encoder();
  let encoded = 0;
  t = performance.now();
  for (let i = 0; i < mib; i++) {
    for (const frame of encoder.write(piece)) encoded += frame.length;
    if ((i & 15) === 0) sample();
  }
  encoded += encoder.end().length;
  const encodeMs = performance.now() - t;
  if (encoded !== upload.encodedLength) throw new Error(`encoded ${encoded} bytes, announced ${upload.encodedLength}`);

  // The verifier, fed the encoder's frames as they come (only the verifier's calls are timed).
  upload = signChunked(request, options);
  encoder = upload.encoder();
  const body = verifyChunked({ method: upload.method, url: upload.url, headers: upload.headers },
    { region: 'us-east-1', service: 's3', s3: true, lookup: () => KEY });
  let verifyMs = 0;
  let decoded = 0;
  const feed = (frame) => {
    const start = performance.now();
    for (const out of body.write(frame)) decoded += out.length;
    verifyMs += performance.now() - start;
  };
  for (let i = 0; i < mib; i++) {
    encoder.write(piece).forEach(feed);
    if ((i & 15) === 0) sample();
  }
  feed(encoder.end());
  const start = performance.now();
  body.end();
  verifyMs += performance.now() - start;
  if (decoded !== length) throw new Error(`verified ${decoded} bytes of ${length}`);
  sample();
  global.gc?.();
  const after = process.memoryUsage();
  const mbps = (ms) => Math.round(length / 1e6 / (ms / 1000));
  process.stdout.write(JSON.stringify({
    mib, chunkSize, nativeMBps: mbps(nativeMs), encodeMBps: mbps(encodeMs), verifyMBps: mbps(verifyMs),
    peakRssMiB: +(peakRss / MIB).toFixed(1), heapBeforeMiB: +(before.heapUsed / MIB).toFixed(1), heapAfterMiB: +(after.heapUsed / MIB).toFixed(1),
  }));
} else if (args.includes('--chromium')) {
  await chromiumRun(option('sizes', '256,1024').split(',').map(Number));
} else {
  const sizes = option('sizes', '256,1024').split(',').map(Number);
  const rows = sizes.map((mib) => {
    process.stderr.write(`${mib} MiB...\n`);
    const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(mib), '--chunk', String(chunkSize)], { encoding: 'utf8' });
    return JSON.parse(out);
  });
  console.log(`Node ${process.version}, ${chunkSize / 1024} KiB chunks, 1 MiB writes, CRC32C trailer, sigv4-wasm (servers' build, wasm)\n`);
  console.log('| stream | node:crypto SHA-256 | encoder | verifier | peak RSS | heap before / after |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(`| ${r.mib} MiB | ${r.nativeMBps} MB/s | ${r.encodeMBps} MB/s | ${r.verifyMBps} MB/s | ${r.peakRssMiB} MiB | ${r.heapBeforeMiB} / ${r.heapAfterMiB} MiB |`);
  }
}

/** The page's loop: the same three passes, WebCrypto's SHA-256 as the native hasher (one
 * digest per 1 MiB piece: it has no incremental form), the JS heap sampled every 16 MiB
 * (performance.memory, precise), and at the end the page's whole memory, wasm included
 * (measureUserAgentSpecificMemory, in a cross-origin isolated page). */
function pageSource() {
  return `
import { signChunked } from 'sigv4-wasm/s3';
import { verifyChunked } from 'sigv4-wasm/verify';
window.runChunked = async (mib, chunkSize) => {
  const MIB = 1024 * 1024;
  const KEY = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const piece = new Uint8Array(MIB);
  for (let i = 0; i < MIB; i++) piece[i] = (i * 7919 + (i >> 9)) % 256;
  const length = mib * MIB;
  let peakHeap = performance.memory.usedJSHeapSize;
  const sample = () => { peakHeap = Math.max(peakHeap, performance.memory.usedJSHeapSize); };
  const heapBefore = performance.memory.usedJSHeapSize;
  let t = performance.now();
  for (let i = 0; i < mib; i++) await crypto.subtle.digest('SHA-256', piece);
  const nativeMs = performance.now() - t;
  const options = { ...KEY, region: 'us-east-1', service: 's3', decodedLength: length, chunkSize, checksum: 'crc32c' };
  const request = { method: 'PUT', url: 'https://examplebucket.s3.amazonaws.com/big.bin' };
  let upload = signChunked(request, options);
  let encoder = upload.encoder();
  t = performance.now();
  for (let i = 0; i < mib; i++) { encoder.write(piece); if ((i & 15) === 0) sample(); }
  encoder.end();
  const encodeMs = performance.now() - t;
  upload = signChunked(request, options);
  encoder = upload.encoder();
  const body = verifyChunked({ method: upload.method, url: upload.url, headers: upload.headers },
    { region: 'us-east-1', service: 's3', s3: true, lookup: () => KEY });
  let verifyMs = 0;
  let decoded = 0;
  const feed = (frame) => {
    const start = performance.now();
    for (const out of body.write(frame)) decoded += out.length;
    verifyMs += performance.now() - start;
  };
  for (let i = 0; i < mib; i++) { encoder.write(piece).forEach(feed); if ((i & 15) === 0) sample(); }
  feed(encoder.end());
  body.end();
  if (decoded !== length) throw new Error('verified ' + decoded + ' of ' + length);
  const whole = await performance.measureUserAgentSpecificMemory();
  const mbps = (ms) => Math.round(length / 1e6 / (ms / 1000));
  return { mib, nativeMBps: mbps(nativeMs), encodeMBps: mbps(encodeMs), verifyMBps: mbps(verifyMs),
    peakHeapMiB: +(peakHeap / MIB).toFixed(1), heapBeforeMiB: +(heapBefore / MIB).toFixed(1), pageMemoryMiB: +(whole.bytes / MIB).toFixed(1) };
};
`;
}

async function chromiumRun(sizes) {
  const here = dirname(fileURLToPath(import.meta.url));
  const root = join(here, '..');
  const esbuild = await import('esbuild');
  const { chromium } = await import('playwright-core');
  const { CHROMIUM_PATH } = await import('../scripts/chromium.mjs');
  const work = mkdtempSync(join(tmpdir(), 'sigv4-chunked-bench-'));
  writeFileSync(join(root, 'bench', '.chunked-page.mjs'), pageSource());
  let server;
  let browser;
  try {
    await esbuild.build({
      entryPoints: [join(root, 'bench', '.chunked-page.mjs')], bundle: true, format: 'esm', platform: 'browser',
      target: 'es2022', outfile: join(work, 'page.js'), absWorkingDir: root, logLevel: 'warning',
    });
    const files = {
      '/': ['text/html', '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>'],
      '/page.js': ['text/javascript', readFileSync(join(work, 'page.js'))],
    };
    server = createServer((req, res) => {
      const file = files[req.url];
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': file[0], 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
      res.end(file[1]);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--enable-precise-memory-info'] });
    const rows = [];
    for (const mib of sizes) {
      process.stderr.write(`chromium ${mib} MiB...\n`);
      const page = await browser.newPage(); // a fresh page per length
      page.on('pageerror', (error) => console.error(`[chromium] ${error.message}`));
      await page.goto(`http://127.0.0.1:${server.address().port}/`);
      await page.waitForFunction(() => typeof window.runChunked === 'function');
      rows.push(await page.evaluate(([m, c]) => window.runChunked(m, c), [mib, chunkSize]));
      await page.close();
    }
    console.log(`Chromium ${browser.version()}, ${chunkSize / 1024} KiB chunks, 1 MiB writes, CRC32C trailer, the browsers' builds (sigv4-wasm/s3 and sigv4-wasm/verify, wasm)\n`);
    console.log('| stream | WebCrypto SHA-256 (1 MiB digests) | encoder | verifier | peak JS heap | page memory at the end (wasm included) |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(`| ${r.mib} MiB | ${r.nativeMBps} MB/s | ${r.encodeMBps} MB/s | ${r.verifyMBps} MB/s | ${r.peakHeapMiB} MiB (${r.heapBeforeMiB} before) | ${r.pageMemoryMiB} MiB |`);
    }
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) await new Promise((resolve) => server.close(resolve));
    rmSync(work, { recursive: true, force: true });
    rmSync(join(root, 'bench', '.chunked-page.mjs'), { force: true });
  }
}
