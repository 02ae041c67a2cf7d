// One environment's benchmark (Node or the Chromium page): cross-check, then every workload
// group, then payload hashing. The libraries come in `libs`, so the same code runs in both.
//
// libs: {
//   ours, oursJs            the 'sigv4-wasm' and 'sigv4-wasm/js' modules
//   oursSigner              (Node only) the browsers' build, the wasm sigv4-wasm/js translates
//   aws4                    (Node only)
//   smithy: { SignatureV4, HttpRequest }, smithyHashes: [{ id, sha256 }]
//   AwsV4Signer, subtle     aws4fetch and the WebCrypto it uses
//   nativeHash: { id, op }  (Node only) node:crypto's SHA-256 of 1 MiB
// }

import { measureGroup, getSink, warmUp } from './harness.mjs';
import {
  workloads, tinyPutWorkload, oursOp, oursAsyncOp, aws4Op, smithyOp, aws4fetchOp, webCryptoHashOp, crossCheck, BIG_BODY, TINY_BODY, oursSign,
} from './workloads.mjs';

function signersFor(libs, w) {
  const ops = {};
  ops['sigv4-wasm'] = oursOp(libs.ours, w);
  if (libs.oursJs) ops['sigv4-wasm/js'] = oursOp(libs.oursJs, w);
  if (libs.oursSigner) ops['sigv4-wasm (signer wasm)'] = oursOp(libs.oursSigner, w);
  // The async path, where its WebCrypto hashing applies: a body, in the browser (in Node the
  // synchronous path already hashes with node:crypto).
  if (libs.asyncPath && w.body && !w.presign) ops['sigv4-wasm (signAsync)'] = oursAsyncOp(libs.ours, w);
  if (libs.aws4) ops.aws4 = aws4Op(libs.aws4, w);
  for (const { id, sha256 } of libs.smithyHashes) ops[id] = smithyOp(libs.smithy, sha256, w);
  ops.aws4fetch = aws4fetchOp(libs, w);
  return ops;
}

const asCases = (ops) => Object.keys(ops).map((id) => ({ id, ...ops[id] }));

export async function runSuite(env, libs, config, log = () => {}) {
  const started = Date.now();
  const list = workloads();
  const opsByWorkload = Object.fromEntries(list.map((w) => [w.id, signersFor(libs, w)]));

  const backends = { 'sigv4-wasm': libs.ours.getBackend() };
  if (libs.oursJs) backends['sigv4-wasm/js'] = libs.oursJs.getBackend();
  if (libs.oursSigner && libs.oursSigner.getBackend() !== 'wasm') throw new Error('bench: the browsers\' build does not run on wasm in Node');
  if (backends['sigv4-wasm'] !== 'wasm') throw new Error(`bench: sigv4-wasm runs on '${backends['sigv4-wasm']}', not wasm`);
  if (libs.oursJs && backends['sigv4-wasm/js'] !== 'js') throw new Error('bench: sigv4-wasm/js is not the wasm2js backend');

  const check = await crossCheck(list, opsByWorkload);
  for (const line of check.lines) log(`[${env}] ${line}`);
  if (!check.ok) throw new Error(`bench: the ${env} cross-check failed:\n${check.lines.filter((l) => l.startsWith('FAIL')).join('\n')}`);

  const only = config.workloads ? new Set(config.workloads) : null;
  // A first pass over every op of every workload, so that code shared between workloads
  // (the glue, the wasm, a peer's helpers) is optimized before any group is timed.
  const t0 = Date.now();
  for (const w of list) {
    if (only && !only.has(w.id)) continue;
    await warmUp(asCases(opsByWorkload[w.id]), config.warmupMs / 2);
  }
  log(`[${env}] warmed up every signer (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const results = {};
  for (const w of list) {
    if (only && !only.has(w.id)) continue;
    const t0 = Date.now();
    const measured = await measureGroup(asCases(opsByWorkload[w.id]), config);
    results[w.id] = { title: w.title, signers: measured };
    const summary = Object.keys(measured).map((id) => `${id} ${Math.round(measured[id].medianOps)}`).join(', ');
    log(`[${env}] ${w.id} (${((Date.now() - t0) / 1000).toFixed(1)} s): ${summary} ops/s`);
  }

  // Payload hashing in wasm (and wasm2js): sigv4-wasm exports no raw hash, so its hashing
  // cost is the difference between signing the S3 PUT with a 1 MiB body and with a 16-byte
  // body (same headers, same everything else), with `nativeHash: false` so that Node's
  // node:crypto, which the workloads above use for bodies from 1 KiB, does not stand in for
  // it. Measured in one interleaved group with the native hashes.
  const big = list[2];
  const tiny = tinyPutWorkload();
  const inWasm = { nativeHash: false };
  const hashOps = {
    'sigv4-wasm PUT 1 MiB': oursOp(libs.ours, big, inWasm),
    'sigv4-wasm PUT 16 B': oursOp(libs.ours, tiny, inWasm),
  };
  if (libs.oursJs) {
    hashOps['sigv4-wasm/js PUT 1 MiB'] = oursOp(libs.oursJs, big, inWasm);
    hashOps['sigv4-wasm/js PUT 16 B'] = oursOp(libs.oursJs, tiny, inWasm);
  }
  if (libs.nativeHash) hashOps[libs.nativeHash.id] = libs.nativeHash.op;
  hashOps['WebCrypto digest'] = webCryptoHashOp(libs.subtle, BIG_BODY);
  let hashing = null;
  if (!only || only.has('hashing')) {
    const t0 = Date.now();
    const measured = await measureGroup(asCases(hashOps), config);
    const mbps = {};
    const derived = (name) => {
      const perBig = 1 / measured[`${name} PUT 1 MiB`].medianOps;
      const perTiny = 1 / measured[`${name} PUT 16 B`].medianOps;
      return (BIG_BODY.length - TINY_BODY.length) / 1e6 / (perBig - perTiny);
    };
    mbps['sigv4-wasm'] = derived('sigv4-wasm');
    if (libs.oursJs) mbps['sigv4-wasm/js'] = derived('sigv4-wasm/js');
    if (libs.nativeHash) mbps[libs.nativeHash.id] = (BIG_BODY.length / 1e6) * measured[libs.nativeHash.id].medianOps;
    mbps['WebCrypto digest'] = (BIG_BODY.length / 1e6) * measured['WebCrypto digest'].medianOps;
    hashing = { signers: measured, mbps };
    log(`[${env}] hashing (${((Date.now() - t0) / 1000).toFixed(1)} s): ${Object.keys(mbps).map((k) => `${k} ${mbps[k].toFixed(0)} MB/s`).join(', ')}`);
  }

  let floor = null;
  if (hashing) {
    const t0 = Date.now();
    floor = await measureFloor(libs.ours, list, hashing.mbps['sigv4-wasm'], config);
    log(`[${env}] floor (${((Date.now() - t0) / 1000).toFixed(1)} s): one call ${floor.callMicros.toFixed(2)} us, SHA-256 ${floor.blockMicros.toFixed(3)} us per block`);
  }

  return {
    env,
    backends,
    config: { samples: config.samples, sliceMs: config.sliceMs, warmupMs: config.warmupMs },
    crossCheck: check.lines,
    workloads: results,
    hashing,
    floor,
    seconds: (Date.now() - started) / 1000,
    sink: getSink(),
  };
}

/** SHA-256 blocks (64 bytes each, after padding) to hash `n` bytes. */
const sha256Blocks = (n) => Math.floor((n + 8) / 64) + 1;

/**
 * What no version of this design can avoid per signature: the SHA-256 blocks SigV4 hashes in
 * wasm, at the measured per-block time, plus one call into the module (`inferScope` of a
 * host: a short string in, a short string out, a lower bound for `sign`'s crossing, which
 * carries the whole request in and every artefact out).
 *
 * Blocks per signature: the payload hash (unless presigned S3's UNSIGNED-PAYLOAD), the
 * canonical request, and HMAC(kSigning, string to sign), whose key blocks are precomputed
 * with the cached signing key: the inner hash of the string to sign, then one outer block.
 * The signing key itself comes from the cache, as in every benchmarked signer.
 */
async function measureFloor(api, list, wasmMegabytesPerSecond, config) {
  const host = list[0].host;
  const call = (await measureGroup([{ id: 'call', async: false, op: () => api.inferScope(host).region }], config)).call;
  const callMicros = 1e6 / call.medianOps;
  const blockMicros = 64 / wasmMegabytesPerSecond; // MB/s is bytes per microsecond
  const workloads = {};
  for (const w of list) {
    const signed = oursSign(api, w)();
    const body = w.body === undefined ? 0 : typeof w.body === 'string' ? new TextEncoder().encode(w.body).length : w.body.length;
    const payloadBlocks = signed.payloadHash === 'UNSIGNED-PAYLOAD' ? 0 : sha256Blocks(body);
    const blocks = payloadBlocks + sha256Blocks(signed.canonicalRequest.length) + (sha256Blocks(64 + signed.stringToSign.length) - 1) + 1;
    workloads[w.id] = { blocks, micros: blocks * blockMicros + callMicros };
  }
  return { callMicros, blockMicros, workloads };
}
