#!/usr/bin/env node
// One USER_SRP_AUTH sign-in's client math (srpA, then passwordClaim with SRP_A carried: the
// three 3072-bit exponentiations g^a, g^x and S, plus the hashing around them) with
// sigv4-wasm/cognito, in Hermes 0.12 on the react-native build and in Node on the wasm build
// (issue 13). Vector B1 of the notes (a 1024-bit secret exponent, as a real sign-in draws), its
// signature checked at each run.
//
//   node bench/hermes-srp.mjs                     dist/cognito-js.cjs in Hermes (BigInt modPow), and Node (wasm)
//   options: --entry FILE   another react-native build of sigv4-wasm/cognito (e.g. an older dist/cognito-js.cjs)
//            --no-bigint    Hermes without BigInt (the translation's num-bigint, as before BigInt was used)
//            --runs N (3)   --work DIR (target/hermes-srp-bench)
//
// Hermes runs `hermes -O -emit-binary` bytecode, as a React Native release build ships. Prints
// one line per run and a summary line; nothing is written elsewhere.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const HERMES = join(root, 'node_modules', 'hermes-engine-cli', 'linux64-bin', 'hermes');

const args = { entry: null, noBigInt: false, runs: 3, work: join(root, 'target', 'hermes-srp-bench') };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--entry') args.entry = resolve(process.argv[++i]);
  else if (a === '--no-bigint') args.noBigInt = true;
  else if (a === '--runs') args.runs = Number(process.argv[++i]);
  else if (a === '--work') args.work = resolve(process.argv[++i]);
  else if (a === '--help' || a === '-h') {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 13).join('\n'));
    process.exit(0);
  } else throw new Error(`bench: unknown option ${a} (see --help)`);
}

const vector = JSON.parse(readFileSync(join(root, 'tests', 'vectors', 'cognito', 'srp.json'), 'utf8')).srp[1];

// The measured script, the same in both runtimes (ES5 after lowering; `print` or console.log).
const SCRIPT = `
var out = typeof print === 'function' ? print : console.log;
var now = typeof performance !== 'undefined' && performance.now ? function () { return performance.now(); } : Date.now;
var v = VECTOR;
function hexBytes(hex) {
  if (hex.length % 2) hex = '0' + hex;
  var bytes = new Uint8Array(hex.length / 2);
  for (var i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(2 * i, 2), 16);
  return bytes;
}
function signIn(cognito) {
  var secret = hexBytes(v.a);
  var started = now();
  var a = cognito.srpA(secret);
  var claim = cognito.passwordClaim(secret, { userPoolId: v.userPoolId, password: v.password, timestamp: v.timestamp, srpA: a,
    challengeParameters: { USER_ID_FOR_SRP: v.userIdForSrp, SRP_B: v.srpB, SALT: v.salt, SECRET_BLOCK: v.secretBlock } });
  var ms = now() - started;
  if (claim.signature !== v.signature) throw new Error('wrong signature ' + claim.signature);
  return ms;
}
function bench(cognito, runs) {
  var backend = cognito.getBackend();
  var times = [];
  for (var i = 0; i < runs; i++) {
    times.push(signIn(cognito));
    out('# run ' + (i + 1) + ': ' + Math.round(times[i]) + ' ms');
  }
  out('RESULT ' + JSON.stringify({ backend: backend, bigint: typeof BigInt === 'function', times: times }));
}
`;

async function hermes() {
  const esbuild = require('esbuild');
  mkdirSync(args.work, { recursive: true });
  const contents = [
    args.noBigInt ? 'globalThis.BigInt = undefined;' : '',
    SCRIPT.replace('VECTOR', JSON.stringify(vector)),
    `bench(require('sigv4-wasm/cognito'), ${args.runs});`,
  ].join('\n');
  const plugins = args.entry ? [{ name: 'entry', setup(build) { build.onResolve({ filter: /^sigv4-wasm\/cognito$/ }, () => ({ path: args.entry })); } }] : [];
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, sourcefile: 'hermes-srp-entry.js' }, bundle: true, write: false, logLevel: 'warning', absWorkingDir: root, format: 'iife', platform: 'neutral',
    target: 'es2015', conditions: ['react-native'], mainFields: ['react-native', 'main'], plugins,
  });
  const ts = require('typescript');
  const lowered = ts.transpileModule(result.outputFiles[0].text, { compilerOptions: { target: ts.ScriptTarget.ES5, downlevelIteration: true, allowJs: true } }).outputText;
  const file = join(args.work, 'bench.js');
  writeFileSync(file, lowered);
  execFileSync(HERMES, ['-O', '-w', '-emit-binary', '-out', file.replace(/\.js$/, '.hbc'), file], { stdio: 'inherit' });
  // Hermes' user CPU time too (GNU time, where installed): on a shared machine, wall time
  // includes waiting for a core.
  const timed = existsSync('/usr/bin/time');
  const run = spawnSync(timed ? '/usr/bin/time' : HERMES, [...(timed ? ['-f', 'CPU %U', HERMES] : []), file.replace(/\.js$/, '.hbc')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`bench: hermes exited ${run.status}\n${run.stderr.slice(-2000)}`);
  const cpu = timed ? run.stderr.match(/CPU ([\d.]+)/) : null;
  return report(`Hermes (${args.entry ? args.entry : 'js/dist/cognito-js.cjs'}${args.noBigInt ? ', no BigInt' : ''})`, run.stdout,
    cpu ? `; the whole Hermes process (loading, ${args.runs} runs): ${cpu[1]} s of user CPU` : '');
}

async function node() {
  const cognito = await import('sigv4-wasm/cognito');
  const lines = [];
  const print = (line) => lines.push(line);
  const runs = args.runs + 2;
  const cpu = process.cpuUsage();
  new Function('print', 'cognito', `${SCRIPT.replace('VECTOR', JSON.stringify(vector))}\nbench(cognito, ${runs});`)(print, cognito);
  const used = process.cpuUsage(cpu);
  return report('Node (js/dist/cognito.mjs)', lines.join('\n'), `; user CPU ${Math.round(used.user / 1000 / runs)} ms per run`);
}

function report(what, stdout, extra = '') {
  const line = stdout.trim().split('\n').find((l) => l.startsWith('RESULT '));
  const r = JSON.parse(line.slice(7));
  const sorted = r.times.slice().sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`${what}: backend ${r.backend}, BigInt ${r.bigint}: one sign-in's client math, median ${Math.round(median)} ms of ${r.times.length} (${r.times.map(Math.round).join(', ')} ms)${extra}`);
  return median;
}

await hermes();
if (!args.entry && !args.noBigInt) await node();
