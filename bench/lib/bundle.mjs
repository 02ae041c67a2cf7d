// The bundle-size benchmark's apps and bundlers (bench/bundle-size.mjs), and bundleApp() for
// tests that assert what a browser bundle of the package contains.
//
// An app is what a web page that signs one request ships: an index.html and a main.js whose
// only use of a signer is one call signing the API Gateway GET of bench/lib/workloads.mjs with
// fixed credentials and time. It puts the signature in the DOM and records, on
// window.firstSignature, performance.now() (ms since navigation start) before and after the
// call. The apps are written under /work/main/target/bundle-size, so the bundlers resolve the
// packages as an app in this repository would: from /work/main/node_modules, where
// `sigv4-wasm` links to js/ and so to whatever js/dist holds.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CREDENTIALS, DATE, DATETIME, workloads } from './workloads.mjs';
import { root } from './dist.mjs';

export const WORK_DIR = join(root, 'target', 'bundle-size');

const REQUEST = workloads().find((w) => w.id === 'apigw-get');
const QUERY = Object.fromEntries(REQUEST.query);
const URL_TEXT = `https://${REQUEST.host}${REQUEST.path}?${REQUEST.query.map(([k, v]) => `${k}=${v}`).join('&')}`;
const json = (value) => JSON.stringify(value);

/** Each signer's app: its imports and an async signOnce() returning the signature (64 hex). */
export const SIGNERS = {
  'sigv4-wasm': `import { sign } from 'sigv4-wasm';

function signOnce() {
  const signed = sign({ method: 'GET', url: ${json(URL_TEXT)} }, {
    accessKeyId: ${json(CREDENTIALS.accessKeyId)},
    secretAccessKey: ${json(CREDENTIALS.secretAccessKey)},
    region: ${json(REQUEST.region)},
    service: ${json(REQUEST.service)},
    datetime: ${json(DATETIME)},
  });
  return signed.signature;
}
`,
  aws4fetch: `import { AwsV4Signer } from 'aws4fetch';

async function signOnce() {
  const signer = new AwsV4Signer({
    method: 'GET',
    url: ${json(URL_TEXT)},
    accessKeyId: ${json(CREDENTIALS.accessKeyId)},
    secretAccessKey: ${json(CREDENTIALS.secretAccessKey)},
    region: ${json(REQUEST.region)},
    service: ${json(REQUEST.service)},
    datetime: ${json(DATETIME)},
  });
  const signed = await signer.sign();
  return signed.headers.get('authorization').slice(-64);
}
`,
  // As the AWS SDK v3 signs in a browser: SignatureV4 with @aws-crypto/sha256-browser (WebCrypto).
  // applyChecksum: false as in bench/lib/workloads.mjs (true, the default, would add and sign
  // x-amz-content-sha256, a different canonical request from the other two).
  smithy: `import { SignatureV4 } from '@smithy/signature-v4';
import { HttpRequest } from '@smithy/protocol-http';
import { Sha256 } from '@aws-crypto/sha256-browser';

async function signOnce() {
  const signer = new SignatureV4({
    credentials: { accessKeyId: ${json(CREDENTIALS.accessKeyId)}, secretAccessKey: ${json(CREDENTIALS.secretAccessKey)} },
    region: ${json(REQUEST.region)},
    service: ${json(REQUEST.service)},
    sha256: Sha256,
    applyChecksum: false,
  });
  const request = new HttpRequest({
    method: 'GET',
    protocol: 'https:',
    hostname: ${json(REQUEST.host)},
    path: ${json(REQUEST.path)},
    query: ${json(QUERY)},
    headers: { host: ${json(REQUEST.host)} },
  });
  const signed = await signer.sign(request, { signingDate: new Date(${json(DATE.toISOString())}) });
  return signed.headers.authorization.slice(-64);
}
`,
};

// The same for every signer: time the first call, show the result, expose it to the harness.
const MAIN_TAIL = `
async function main() {
  const start = performance.now();
  const signature = await signOnce();
  const end = performance.now();
  document.getElementById('signature').textContent = signature;
  window.firstSignature = { signature, start, end };
}

main().catch((error) => {
  window.firstSignature = { error: String((error && error.stack) || error) };
});
`;

const html = (script) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>sign one request</title></head>
<body>
<pre id="signature"></pre>
${script}
</body>
</html>
`;

/**
 * The bundlers, each building `appDir` (index.html + main.js) into `outDir` in production mode
 * for the browser, as its documentation has a web app do it. Each returns the input files it
 * bundled (absolute paths), so a report can say which of a package's builds it picked.
 */
export const BUNDLERS = {
  // esbuild --bundle --minify --platform=browser --format=esm, and a hand-written index.html.
  async esbuild(appDir, outDir) {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [join(appDir, 'main.js')],
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'esm',
      outdir: outDir,
      absWorkingDir: appDir,
      metafile: true,
      logLevel: 'warning',
    });
    writeFileSync(join(outDir, 'index.html'), html('<script type="module" src="./main.js"></script>'));
    return Object.keys(result.metafile.inputs).map((p) => join(appDir, p));
  },

  // vite build of the index.html app (what `npm create vite` sets up), default configuration:
  // browser conditions, its default target, Rolldown + Oxc minification, hashed assets.
  async vite(appDir, outDir) {
    const { build } = await import('vite');
    const output = await build({
      configFile: false,
      root: appDir,
      logLevel: 'warn',
      cacheDir: join(appDir, '.vite-cache'),
      build: { outDir, emptyOutDir: true },
    });
    const inputs = new Set();
    for (const o of [].concat(output)) for (const item of o.output) for (const id of item.moduleIds || []) inputs.add(id);
    return [...inputs].filter((id) => !id.startsWith('\0') && !id.includes('vite/'));
  },

  // webpack, mode production, target web (webpack-cli's defaults otherwise: ./src is replaced by
  // main.js), and a hand-written index.html that loads main.js as a deferred classic script.
  async webpack(appDir, outDir) {
    const { default: webpack } = await import('webpack');
    const stats = await new Promise((resolve, reject) => {
      webpack({
        mode: 'production',
        target: 'web',
        context: appDir,
        entry: './main.js',
        output: { path: outDir, clean: true },
        infrastructureLogging: { level: 'error' },
      }, (error, result) => (error ? reject(error) : resolve(result)));
    });
    const info = stats.toJson({ all: false, errors: true, modules: true, nestedModules: true });
    if (stats.hasErrors()) throw new Error(`webpack: ${info.errors.map((e) => e.message).join('\n')}`);
    writeFileSync(join(outDir, 'index.html'), html('<script defer src="./main.js"></script>'));
    const inputs = new Set();
    const walk = (modules) => {
      for (const m of modules || []) {
        if (m.nameForCondition) inputs.add(m.nameForCondition);
        walk(m.modules);
      }
    };
    walk(info.modules);
    return [...inputs];
  },
};

function listFiles(dir, base = dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path, base));
    else out.push(relative(base, path));
  }
  return out.sort();
}

/**
 * Writes the app of `signer` and bundles it with `bundler` ('esbuild', 'vite' or 'webpack').
 * Returns { bundler, signer, outDir, files: [{ path, absolutePath, contents }], inputs }:
 * every file emitted (index.html included; paths relative to outDir, contents as Buffers), and
 * the source files bundled, relative to the repository root (e.g. 'js/dist/index.mjs').
 */
export async function bundleApp(bundler, { signer = 'sigv4-wasm', workDir = WORK_DIR } = {}) {
  if (!BUNDLERS[bundler]) throw new Error(`bundle: unknown bundler ${bundler} (${Object.keys(BUNDLERS).join(', ')})`);
  if (!SIGNERS[signer]) throw new Error(`bundle: unknown signer ${signer} (${Object.keys(SIGNERS).join(', ')})`);
  const appDir = join(workDir, 'apps', `${bundler}-${signer}`);
  const outDir = join(workDir, 'out', `${bundler}-${signer}`);
  rmSync(appDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(appDir, 'package.json'), `${JSON.stringify({ name: 'sign-one-request', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(join(appDir, 'main.js'), SIGNERS[signer] + MAIN_TAIL);
  writeFileSync(join(appDir, 'index.html'), html('<script type="module" src="./main.js"></script>'));
  const inputs = await BUNDLERS[bundler](appDir, outDir);
  const files = listFiles(outDir).map((path) => {
    const absolutePath = join(outDir, path);
    return { path, absolutePath, contents: readFileSync(absolutePath) };
  });
  return { bundler, signer, outDir, files, inputs: inputs.map((p) => relative(root, p)).sort() };
}
