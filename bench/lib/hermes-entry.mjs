// The Hermes side of bench/hermes.mjs, bundled by it with esbuild for Hermes 0.12 (as
// tests/js/runtimes.test.mjs bundles the react-native entry), lowered to ES5 and compiled to
// bytecode. `require('sigv4-wasm')` is the package's react-native entry (dist/react-native.cjs), or the
// file given with --entry. BENCH_CONFIG is defined at bundling time (Hermes' command line
// passes no arguments to a script). Prints progress lines starting with '# ' and, last, one
// line 'RESULT {json}'.
//
// Measured, with the harness of the Node/Chromium benchmark (harness.mjs: warm-up,
// calibration, interleaved rounds, median):
//   hashing   sigv4-wasm signs the S3 PUT with a 1 MiB body and with a 16 B body (nativeHash:
//             false; Hermes has no native SHA-256 anyway, so the body is hashed by the wasm2js
//             translation of the core): MB/s = (1 MiB - 16 B) / the difference. Against
//             @aws-crypto/sha256-js hashing the same 1 MiB (update + digest), and, for the
//             whole operation, smithy signing the same S3 PUT with it.
//   signing   the small workloads of workloads.mjs, sigv4-wasm against @smithy/signature-v4
//             with @aws-crypto/sha256-js (what the AWS SDK v3 and Amplify use in React Native).

/* global BENCH_CONFIG, print */
import { measureGroup, getSink } from './harness.mjs';
import { workloads, tinyPutWorkload, oursOp, oursSign, smithyOp, crossCheck, BIG_BODY, TINY_BODY, MIB } from './workloads.mjs';

const config = BENCH_CONFIG;
const log = (line) => print(`# ${line}`);

// sigv4-wasm first, before any polyfill: it picks TextEncoder/TextDecoder when it loads, and a
// bare Hermes 0.12 has neither (it then uses its own UTF-8 code).
const t0 = Date.now();
const ours = require('sigv4-wasm');
const tRequired = Date.now();
const backend = ours.getBackend(); // instantiates the wasm2js translation
const tInstantiated = Date.now();

require('./hermes-polyfills.cjs');
const { SignatureV4 } = require('@smithy/signature-v4');
const { HttpRequest } = require('@smithy/protocol-http');
const { Sha256 } = require('@aws-crypto/sha256-js');

const HEX = '0123456789abcdef';
function hex(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

const OURS = 'sigv4-wasm/js';
const SMITHY = 'smithy (sha256-js)';
const smithy = { SignatureV4, HttpRequest };
const asCases = (ops) => Object.keys(ops).map((id) => ({ id, ...ops[id] }));

async function main() {
  if (backend !== 'js') throw new Error(`bench: sigv4-wasm runs on '${backend}' in Hermes, not the wasm2js translation`);
  const list = workloads();
  const byId = Object.fromEntries(list.map((w) => [w.id, w]));

  // The first signature: what an app pays once (Hermes runs bytecode at once; no JIT warm-up).
  const t1 = Date.now();
  oursOp(ours, byId['apigw-get']).op();
  const tFirstSign = Date.now();
  const startup = {
    requireMs: tRequired - t0, instantiateMs: tInstantiated - tRequired, firstSignMs: tFirstSign - t1,
  };
  log(`sigv4-wasm: require ${startup.requireMs} ms, instantiate ${startup.instantiateMs} ms, first signature ${startup.firstSignMs} ms`);

  // Every workload signed by both before anything is timed: the same signature, byte for byte.
  const opsByWorkload = {};
  for (const w of list) opsByWorkload[w.id] = { [OURS]: oursOp(ours, w), [SMITHY]: smithyOp(smithy, Sha256, w) };
  const check = await crossCheck(list, opsByWorkload);
  for (const line of check.lines) log(line);
  if (!check.ok) throw new Error(`bench: the Hermes cross-check failed:\n${check.lines.filter((l) => l.startsWith('FAIL')).join('\n')}`);
  // The hashing cases hash the same bytes: their digests must agree with sha256-js too.
  const jsDigest = async (body) => {
    const hash = new Sha256();
    hash.update(body);
    return hex(await hash.digest());
  };
  const big = byId['s3-put-1m'];
  const tiny = tinyPutWorkload();
  const inCore = { nativeHash: false };
  for (const [w, body] of [[big, BIG_BODY], [tiny, TINY_BODY]]) {
    const ourHash = oursSign(ours, w, inCore)().payloadHash;
    const theirs = await jsDigest(body);
    if (ourHash !== theirs) throw new Error(`bench: SHA-256 of the ${body.length}-byte body: sigv4-wasm ${ourHash}, sha256-js ${theirs}`);
    const line = `ok   SHA-256 of the ${body.length}-byte body: sigv4-wasm and sha256-js agree (${ourHash.slice(0, 16)}…)`;
    check.lines.push(line);
    log(line);
  }

  const only = config.workloads ? config.workloads : null;
  const signing = {};
  for (const w of list) {
    if (w.id === 's3-put-1m' || (only && only.indexOf(w.id) === -1)) continue;
    const tw = Date.now();
    const measured = await measureGroup(asCases(opsByWorkload[w.id]), config);
    signing[w.id] = { title: w.title, signers: measured };
    log(`${w.id} (${((Date.now() - tw) / 1000).toFixed(1)} s): ${OURS} ${Math.round(measured[OURS].medianOps)}, ` +
      `${SMITHY} ${Math.round(measured[SMITHY].medianOps)} signatures/s`);
  }

  let hashing = null;
  if (!only || only.indexOf('hashing') !== -1) {
    const th = Date.now();
    const ops = {
      [`${OURS} PUT 1 MiB`]: oursOp(ours, big, inCore),
      [`${OURS} PUT 16 B`]: oursOp(ours, tiny, inCore),
      'sha256-js 1 MiB': { async: true, op: () => jsDigest(BIG_BODY) },
      [`${SMITHY} PUT 1 MiB`]: opsByWorkload['s3-put-1m'][SMITHY],
    };
    const measured = await measureGroup(asCases(ops), config);
    const perBig = 1 / measured[`${OURS} PUT 1 MiB`].medianOps;
    const perTiny = 1 / measured[`${OURS} PUT 16 B`].medianOps;
    const mbps = {
      [OURS]: (MIB - TINY_BODY.length) / 1e6 / (perBig - perTiny),
      'sha256-js': (MIB / 1e6) * measured['sha256-js 1 MiB'].medianOps,
    };
    hashing = { signers: measured, mbps };
    log(`hashing (${((Date.now() - th) / 1000).toFixed(1)} s): ${OURS} ${mbps[OURS].toFixed(2)} MB/s, sha256-js ${mbps['sha256-js'].toFixed(2)} MB/s`);
  }
  return { backend, startup, crossCheck: check.lines, signing, hashing, sink: getSink() };
}

main().then(
  (result) => print(`RESULT ${JSON.stringify(result)}`),
  (error) => print(`ERROR ${JSON.stringify(String((error && error.stack) || error))}`),
);
