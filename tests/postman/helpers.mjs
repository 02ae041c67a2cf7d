// Shared by the Postman tests: the two Postman runtimes (newman 6.2.2 as installed, and the
// current runtime from tests/postman/.cache/newman-latest), the three ways of loading the
// signer, and the verifiers (local API, moto, s3s-fs, an echo server) on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import net from 'node:net';
import { freePort, startChild } from '../servers.mjs';
import { FILES, signerScript, writeFromLibrary } from '../../postman/build.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE = join(ROOT, 'tests', 'postman', '.cache');
export const POSTMAN = join(ROOT, 'postman');

/** Runs an install function of scripts/verifiers.sh (each skips what is installed). */
const installed = new Set();
export function ensureInstalled(fn) {
  if (installed.has(fn)) return;
  execFileSync('bash', [join(ROOT, 'scripts', 'verifiers.sh'), fn], { stdio: ['ignore', 'inherit', 'inherit'] });
  installed.add(fn);
}

// ---- Postman runtimes -----------------------------------------------------------------

const RUNTIME_DIRS = {
  stock: ROOT, // newman 6.2.2: postman-runtime 7.39.1, postman-sandbox 4.7.1
  latest: join(CACHE, 'newman-latest'), // postman-runtime 7.56.1, postman-sandbox 6.x
};

/** `{ newman, runtime, versions }` for 'stock' or 'latest', installing 'latest' if needed. */
export function postmanRuntime(which) {
  if (which === 'latest') ensureInstalled('ensure_newman_latest');
  const req = createRequire(join(RUNTIME_DIRS[which], 'package.json'));
  const newmanRequire = createRequire(req.resolve('newman/package.json'));
  const runtimePath = newmanRequire.resolve('postman-runtime');
  const runtimeRequire = createRequire(runtimePath);
  const versions = {
    newman: req('newman/package.json').version,
    runtime: newmanRequire('postman-runtime/package.json').version,
    sandbox: runtimeRequire('postman-sandbox/package.json').version,
  };
  return { newman: req('newman'), runtime: newmanRequire('postman-runtime'), sdk: runtimeRequire('postman-collection'), versions };
}

/**
 * postman/dist (the paste-ready script, the collection, the environment) is not committed: each
 * test process makes it once, as `node postman/build.mjs --from-library` does, from the committed
 * library and postman/src, before the first read. So the tests run what that command makes now,
 * in a fresh clone too, never a copy left by an earlier build.
 */
let dist;
export function DIST_FILES() {
  if (!dist) {
    writeFromLibrary();
    dist = FILES;
  }
  return dist;
}

/** The committed library, postman/sigv4.postman.js. */
export const LIBRARY = () => readFileSync(FILES.library, 'utf8');
/** The collection's pre-request script without its library: the optional parts (STS, vault) and the signer. */
export const SIGNER = () => signerScript();
/** The generated files in postman/dist. */
export const PREREQUEST = () => readFileSync(DIST_FILES().prerequest, 'utf8');
export const COLLECTION = () => JSON.parse(readFileSync(DIST_FILES().collection, 'utf8'));
export const ENVIRONMENT = () => JSON.parse(readFileSync(DIST_FILES().environment, 'utf8'));
export const PACKAGE_NAME = '@sigv4-tests/sigv4-wasm';
/** The npm package as Postman's external registries would name it, and its wasm2js CommonJS entry. */
export const NPM_PACKAGE_NAME = `npm:sigv4-wasm@${JSON.parse(readFileSync(join(ROOT, 'js', 'package.json'), 'utf8')).version}`;
const NPM_ENTRY = () => readFileSync(join(ROOT, 'js', 'dist', 'js.cjs'), 'utf8');

/**
 * The collection with its pre-request script set up for one loading mode:
 *  'pasted'   the library's text above the signer (the generated collection as it is)
 *  'variable' the signer only; the library in the collection variable sigv4_lib
 *  'require'  `var sigv4 = pm.require(...)` above the signer, the package declared as the app does
 *  'require-npm'  the same with the npm package's wasm2js CommonJS entry (js/dist/js.cjs), as an
 *             external npm package (Postman app only; newman has no pm.require)
 *  'none'     the signer without its library
 */
export function collectionFor(mode, collection = COLLECTION()) {
  const event = collection.event.find((e) => e.listen === 'prerequest');
  if (mode === 'variable') {
    event.script.exec = SIGNER().replace(/\n$/, '').split('\n');
    collection.variable = (collection.variable || []).concat([{ key: 'sigv4_lib', value: LIBRARY() }]);
  } else if (mode === 'require' || mode === 'require-npm') {
    const name = mode === 'require' ? PACKAGE_NAME : NPM_PACKAGE_NAME;
    event.script.exec = [`var sigv4 = pm.require('${name}');`].concat(SIGNER().replace(/\n$/, '').split('\n'));
    event.script.packages = { [name]: { id: 'sigv4-wasm-package' } };
  } else if (mode === 'none') {
    event.script.exec = SIGNER().replace(/\n$/, '').split('\n'); // the signer without its library
  } else if (mode !== 'pasted') {
    throw new Error(`unknown mode ${mode}`);
  }
  return collection;
}

/** The environment file with `values` set (added when missing). */
export function environmentWith(values) {
  const environment = ENVIRONMENT();
  for (const [key, value] of Object.entries(values)) {
    const entry = environment.values.find((v) => v.key === key);
    if (entry) entry.value = value;
    else environment.values.push({ key, value, type: 'default', enabled: true });
  }
  return environment;
}

/**
 * Runs a collection with newman's Node API. `mode: 'require'` also hands postman-runtime a
 * packageResolver serving the library, as the Postman app does for pm.require (newman itself
 * configures none); `vault: { secrets: { name: value }, allowScripts }` hands it a Postman Vault
 * as the app does (newman has none; the current runtime only). `requestAgents: { http, https }`
 * are newman's own option (agents for the requests Postman sends: routeTo() sends an AWS host's
 * requests to a local server). Resolves to
 * { executions: [{ name, status, body, bodyBytes, request: { method, url, headers, body } }] (pm.sendRequest's too), console: [{ level, text }], failures, exceptions, assertions, ms }.
 */
export async function runCollection({ runtime = 'stock', mode = 'pasted', collection, values = {}, folder, workingDir, vault, requestAgents, timeout = 60_000 }) {
  const { newman, runtime: postmanRuntimeModule, sdk } = postmanRuntime(runtime);
  const prepared = collectionFor(mode, collection);
  const environment = environmentWith(values);
  const started = Date.now();
  const consoles = [];
  const exceptions = [];
  const executions = [];
  const collectionVariables = {};
  const resolved = [];
  const restorePackages = mode.startsWith('require') ? injectPackageResolver(postmanRuntimeModule, resolved) : () => {};
  const restoreVault = vault ? injectVault(postmanRuntimeModule, sdk, vault) : () => {};
  const restore = () => {
    restoreVault();
    restorePackages();
  };
  try {
    const summary = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`newman run timed out after ${timeout} ms`)), timeout);
      newman
        .run({ collection: prepared, environment, folder, reporters: [], workingDir: workingDir || ROOT, timeoutRequest: 20_000, requestAgents }, (error, summary) => {
          clearTimeout(timer);
          if (error) reject(error);
          else resolve(summary);
        })
        .on('console', (err, args) => consoles.push({ level: args.level, text: args.messages.map(String).join(' ') }))
        .on('exception', (err, args) => exceptions.push(args.error))
        .on('prerequest', (err, args) => {
          // The collection variables as the scripts left them (the summary's collection is not updated).
          for (const execution of args.executions || []) {
            const scope = execution.result && execution.result.collectionVariables;
            const values = scope && (scope.values && typeof scope.values.all === 'function' ? scope.values.all() : scope.values);
            for (const v of values || []) collectionVariables[v.key] = v.value;
          }
        })
        .on('request', (err, args) => {
          const response = args.response;
          const bodyBytes = response && response.stream ? Buffer.from(response.stream) : Buffer.alloc(0);
          executions.push({
            name: args.item.name,
            error: err,
            status: response ? response.code : undefined,
            body: bodyBytes.toString('utf8'),
            bodyBytes,
            request: { method: args.request.method, url: args.request.url.toString(), headers: args.request.headers.all().map((h) => [h.key, h.value]), body: args.request.body ? args.request.body.toString() : '',
              formdata: args.request.body && args.request.body.mode === 'formdata' ? args.request.body.formdata.all().map((p) => p.key) : undefined },
          });
        });
    });
    return {
      executions,
      console: consoles,
      exceptions,
      failures: summary.run.failures,
      assertions: summary.run.executions.flatMap((e) => (e.assertions || []).map((a) => ({ item: e.item.name, assertion: a.assertion, error: a.error && a.error.message }))),
      collectionVariables,
      packagesResolved: resolved,
      ms: Date.now() - started,
    };
  } finally {
    restore();
  }
}

/**
 * Patches Runner.prototype.run of this postman-runtime to pass options.vaultSecrets: the secrets
 * as {{vault:NAME}} resolves them, and the app's per-collection "allow scripts" setting.
 */
function injectVault(postmanRuntimeModule, sdk, { secrets, allowScripts }) {
  const Runner = postmanRuntimeModule.Runner;
  const original = Runner.prototype.run;
  Runner.prototype.run = function (collection, options, callback) {
    const vaultSecrets = new sdk.VariableScope({ values: Object.entries(secrets).map(([key, value]) => ({ key: `vault:${key}`, value })) });
    vaultSecrets._ = { allowScriptAccess: async () => allowScripts };
    return original.call(this, collection, { ...options, vaultSecrets }, callback);
  };
  return () => {
    Runner.prototype.run = original;
  };
}

/** Patches Runner.prototype.run of this postman-runtime to pass options.script.packageResolver. */
function injectPackageResolver(postmanRuntimeModule, resolvedNames) {
  const Runner = postmanRuntimeModule.Runner;
  const original = Runner.prototype.run;
  const sources = { [PACKAGE_NAME]: LIBRARY(), [NPM_PACKAGE_NAME]: NPM_ENTRY() };
  Runner.prototype.run = function (collection, options, callback) {
    const packageResolver = ({ packages }, done) => {
      const resolved = {};
      for (const name of Object.keys(packages || {})) {
        resolvedNames.push(name);
        resolved[name] = sources[name] ? { data: sources[name] } : { error: `no package ${name}` };
      }
      done(null, resolved);
    };
    return original.call(this, collection, { ...options, script: { ...(options.script || {}), packageResolver } }, callback);
  };
  return () => {
    Runner.prototype.run = original;
  };
}

/** The failed assertions and script errors of a run, as readable lines (for assert messages). */
export function problems(run) {
  return [
    ...run.assertions.filter((a) => a.error).map((a) => `${a.item}: ${a.assertion}: ${a.error}`),
    ...run.failures.filter((f) => !(f.error && f.error.name === 'AssertionError')).map((f) => `${f.source && f.source.name}: ${f.error && (f.error.message || f.error.name)}`),
  ];
}

// ---- Servers --------------------------------------------------------------------------

/**
 * `requestAgents` for runCollection that connect every plain-HTTP request to 127.0.0.1:port,
 * whatever its host: a request to `http://s3.eu-west-1.amazonaws.com/bucket` is sent, with
 * that Host, to a local server (no DNS, nothing leaves the machine).
 */
export function routeTo(port) {
  const agent = new http.Agent();
  agent.createConnection = (options, callback) => net.createConnection({ host: '127.0.0.1', port }, callback);
  return { http: agent };
}

/** s3s-fs on 127.0.0.1 with one key, a fresh root and the bucket `bucket` in it. */
export async function startS3s({ accessKey, secretKey, bucket = 'postman-bucket' }) {
  ensureInstalled('ensure_s3s_fs');
  const root = mkdtempSync(join(tmpdir(), 's3s-postman-'));
  mkdirSync(join(root, bucket));
  const port = await freePort();
  const server = await startChild(join(CACHE, 'cargo', 'bin', 's3s-fs'),
    ['--host', '127.0.0.1', '--port', String(port), '--access-key', accessKey, '--secret-key', secretKey, root],
    { port, env: { RUST_LOG: 's3s=debug' } });
  return {
    url: `http://127.0.0.1:${port}`,
    bucketUrl: `http://127.0.0.1:${port}/${bucket}`,
    root,
    bucket,
    logs: server.logs,
    stop: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** moto_server on 127.0.0.1 with IAM auth on. */
export async function startMoto() {
  ensureInstalled('ensure_moto');
  const port = await freePort();
  const server = await startChild(join(CACHE, 'moto-venv', 'bin', 'moto_server'), ['-H', '127.0.0.1', '-p', String(port)], { port });
  const url = `http://127.0.0.1:${port}`;
  // Wait for Flask to answer, not only to listen.
  for (let i = 0; i < 100; i++) {
    try {
      await httpRequest(`${url}/moto-api/`);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url, logs: server.logs, stop: server.stop };
}

/** A node:http request resolving to { status, headers, body (Buffer), text }. */
export function httpRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, body: bytes, text: bytes.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * An echo server: records each request as it arrived (method, raw target, raw headers, body
 * bytes) and answers 200 with it as JSON.
 */
export async function startEcho() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const record = { method: req.method, target: req.url, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
      received.push(record);
      const pairs = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, target: req.url, headers: pairs, body: record.body.toString('utf8') }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Header pairs of a recorded request. */
export function pairsOf(record) {
  const pairs = [];
  for (let i = 0; i < record.rawHeaders.length; i += 2) pairs.push([record.rawHeaders[i], record.rawHeaders[i + 1]]);
  return pairs;
}

export function headerOf(record, name) {
  const found = pairsOf(record).filter(([k]) => k.toLowerCase() === name.toLowerCase());
  return found.length ? found.map(([, v]) => v).join(',') : undefined;
}

/** The SignedHeaders of a recorded request (Authorization header or presigned query). */
export function signedHeadersOf(record) {
  const authorization = headerOf(record, 'authorization');
  if (authorization) return /SignedHeaders=([^,\s]+)/.exec(authorization)[1].split(';');
  const query = new URLSearchParams(record.target.split('?')[1] || '');
  return (query.get('X-Amz-SignedHeaders') || '').split(';').filter(Boolean);
}

export { existsSync };
