// The package as people install it: `npm pack` of the build in js/dist (scripts/test's setup
// has just built it; the pack skips `prepack`, which would build again, for minutes), checked
// by publint and @arethetypeswrong/cli, then installed from the tarball into a scratch
// project in a temporary directory and used the ways people use it: Node ESM and CommonJS,
// TypeScript (node16, nodenext, bundler; a Node-only `lib`), esbuild, Vite, webpack, Rollup and
// Metro with React Native's config. Each signs AWS's get-vanilla request and presigns the S3
// documentation's example, and must print their published signatures. The bundlers and tsc
// are the workspace's own, used by path; the package has no dependencies, so installing the
// tarball needs no registry. About two minutes on a shared two-core machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkgDir = join(root, 'js');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const require = createRequire(import.meta.url);

// The expected signatures come from AWS's published examples, not from this package.
const VANILLA = readFileSync(join(root, 'tests/vectors/aws-sig-v4-test-suite/get-vanilla/get-vanilla.authz'), 'utf8').trim();
const S3_PRESIGNED = JSON.parse(readFileSync(join(root, 'tests/vectors/s3/presigned-url-get-object.json'), 'utf8')).expected.signature;
const expected = (backend) => ({ authorization: VANILLA, presignedSignature: S3_PRESIGNED, backend });

// What every consumer runs: the body is the same for ESM, CommonJS, TypeScript and bundles.
const BODY = `
const signed = sign({ method: 'GET', url: 'https://example.amazonaws.com/' },
  { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'service', datetime: '20150830T123600Z' });
const presigned = presign({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt' },
  { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', datetime: '20130524T000000Z', expiresIn: 86400 });
const presignedSignature = /X-Amz-Signature=([0-9a-f]{64})/.exec(presigned.url)![1];
console.log(JSON.stringify({ authorization: signed.authorization, presignedSignature, backend: getBackend() }));
`;
const js = (body) => body.replace('.url)![1]', '.url)[1]');
const ESM = `import { sign, presign, getBackend } from 'sigv4-wasm';\n${js(BODY)}`;
const CJS = `const { sign, presign, getBackend } = require('sigv4-wasm');\n${js(BODY)}`;

let tmp;
let tarball;
let packed;
let app;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sigv4-pack-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: pkgDir, encoding: 'utf8' });
  [packed] = JSON.parse(out);
  tarball = join(tmp, packed.filename);
  app = join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--no-package-lock', tarball], { cwd: app, stdio: 'pipe' });
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Runs a command in the scratch project; fails with its output. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: app, encoding: 'utf8', ...options });
  if (result.status !== 0) assert.fail(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}
/** Runs a program with node and checks what it printed. */
function checkNode(file, backend = 'wasm') {
  const lines = run(process.execPath, [file]).trim().split('\n');
  assert.deepEqual(JSON.parse(lines[lines.length - 1]), expected(backend), file);
}

test('the tarball holds the build, the types, the source maps, the README and both licences, and nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  for (const required of ['package.json', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'dist/node.mjs', 'dist/node.cjs', 'dist/server.mjs',
    'dist/server.mjs.map', 'dist/server.cjs.map', 'dist/browser.mjs.map', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/verify.d.ts',
    'dist/sigv4-signer.wasm', 'dist/sigv4-server.wasm', 'js/package.json', 'verify/package.json', 'cognito/package.json', 's3/package.json']) {
    assert.ok(files.includes(required), `${required} is in the tarball (${files.join(', ')})`);
  }
  assert.deepEqual(files.filter((f) => !/^(dist\/[\w.-]+\.(mjs|cjs|map|d\.ts|d\.cts|wasm)|package\.json|README\.md|LICENSE-(MIT|APACHE)|(js|verify|cognito|s3)\/package\.json)$/.test(f)), [],
    'nothing else: no generated intermediates (dist/gen), no sources');
  // Every file the exports map names is in the tarball.
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const targets = new Set();
  (function walk(value) {
    if (typeof value === 'string') targets.add(value.replace(/^\.\//, ''));
    else for (const v of Object.values(value)) walk(v);
  })(manifest.exports);
  for (const target of targets) assert.ok(files.includes(target), `exports target ${target} is in the tarball`);
  // Every bundle in the tarball can be loaded: an exports target, or imported by one. (The
  // translations' ESM builds, which only the tests import, stay out: 0.5 MB.)
  const reachable = new Set();
  const queue = [...targets];
  while (queue.length > 0) {
    const file = queue.pop();
    if (reachable.has(file) || !/\.(mjs|cjs)$/.test(file)) continue;
    reachable.add(file);
    const text = readFileSync(join(app, 'node_modules/sigv4-wasm', file), 'utf8');
    for (const m of text.matchAll(/(?:from\s*|import\(\s*|require\(\s*)['"]\.\/([^'"]+)['"]/g)) queue.push(`dist/${m[1]}`);
  }
  assert.deepEqual(files.filter((f) => /^dist\/[\w.-]+\.(mjs|cjs)$/.test(f) && !reachable.has(f)), [], 'bundles nothing can load');
  // Every bundle has its map, and every map is valid and names the package's sources.
  for (const bundle of files.filter((f) => /^dist\/(browser|js|react-native|server|verify|verify-js|workerd)\.(mjs|cjs)$/.test(f))) {
    assert.ok(files.includes(`${bundle}.map`), `${bundle} has a source map`);
    const map = JSON.parse(readFileSync(join(app, 'node_modules/sigv4-wasm', `${bundle}.map`), 'utf8'));
    assert.ok(map.sources.some((s) => /src\/api\.js$/.test(s)), `${bundle}.map names src/api.js`);
    assert.equal(map.sources.length, map.sourcesContent.length);
  }
  assert.ok(packed.size < 3_000_000, `the tarball is ${packed.size} bytes`);
});

test('the package metadata: licence files as at the repository root, repository, homepage, bugs, engines, prepack', () => {
  for (const licence of ['LICENSE-MIT', 'LICENSE-APACHE']) {
    assert.equal(readFileSync(join(pkgDir, licence), 'utf8'), readFileSync(join(root, licence), 'utf8'), `js/${licence} is the root's`);
  }
  const manifest = JSON.parse(readFileSync(join(app, 'node_modules/sigv4-wasm/package.json'), 'utf8'));
  assert.equal(manifest.license, 'MIT OR Apache-2.0');
  assert.match(manifest.repository.url, /^git\+https:\/\//);
  assert.ok(manifest.homepage && manifest.bugs.url, 'homepage and bugs');
  assert.match(manifest.engines.node, /^>=\d+/);
  assert.equal(manifest.scripts.prepack, 'node build.mjs', 'npm pack and npm publish build the package first');
});

test('publint: no errors, warnings or suggestions', async () => {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  // The installed copy holds exactly the tarball's files.
  const { messages, pkg } = await publint({ pkgDir: join(app, 'node_modules/sigv4-wasm'), level: 'suggestion', strict: true, pack: false });
  assert.deepEqual(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`), []);
});

test('@arethetypeswrong/cli: no problems in any resolution mode', (t) => {
  // The .wasm subpaths are assets (for init(url) and bundlers' asset handling), not modules
  // with types: attw's --exclude-entrypoints is its documented way to leave such entries out.
  const result = spawnSync(bin('attw'), [tarball, '--format', 'ascii', '--exclude-entrypoints', './sigv4-signer.wasm', './sigv4-server.wasm'],
    { encoding: 'utf8' });
  assert.equal(result.status, 0, `attw found problems:\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /No problems found/);
  t.diagnostic('attw: ./sigv4-signer.wasm and ./sigv4-server.wasm excluded (assets without types; every other entry point is checked in node10, node16 CJS/ESM and bundler)');
});

test('Node, ESM and CommonJS', () => {
  writeFileSync(join(app, 'esm.mjs'), ESM);
  writeFileSync(join(app, 'cjs.cjs'), CJS);
  checkNode('esm.mjs');
  checkNode('cjs.cjs');
  // The WebAssembly-free subpath, both ways.
  writeFileSync(join(app, 'js-esm.mjs'), ESM.replace("from 'sigv4-wasm'", "from 'sigv4-wasm/js'"));
  writeFileSync(join(app, 'js-cjs.cjs'), CJS.replace("require('sigv4-wasm')", "require('sigv4-wasm/js')"));
  checkNode('js-esm.mjs', 'js');
  checkNode('js-cjs.cjs', 'js');
});

// TypeScript in a Node-only project: no DOM library, @types/node (the workspace's), and the
// package's declarations checked too (skipLibCheck false).
const TS = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
};
for (const [name, resolution] of Object.entries(TS)) {
  test(`TypeScript, module ${name}, lib es2022 with @types/node only, strict, skipLibCheck false`, () => {
    const dir = join(app, `ts-${name}`);
    mkdirSync(dir, { recursive: true });
    const cts = name !== 'bundler';   // CommonJS TypeScript: import = require(), through index.d.cts
    writeFileSync(join(dir, 'index.ts'), `import { sign, presign, getBackend } from 'sigv4-wasm';
import { verify } from 'sigv4-wasm/verify';
import type { SignedRequest, SigV4ErrorCode } from 'sigv4-wasm';
${BODY}
const typed: SignedRequest = signed;
const code: SigV4ErrorCode = 'INVALID_URL';
void typed, code, verify;
`);
    if (cts) {
      writeFileSync(join(dir, 'index.cts'), `import sigv4 = require('sigv4-wasm');
const { sign, presign, getBackend } = sigv4;
${BODY}`);
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        ...resolution, target: 'es2022', lib: ['es2022'], types: ['node'], typeRoots: [join(root, 'node_modules/@types')],
        strict: true, skipLibCheck: false, outDir: 'out', rootDir: '.',
      },
      include: ['*.ts', '*.cts'],
    }, null, 2));
    run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')]);
    checkNode(join(dir, 'out/index.js'));
    if (cts) checkNode(join(dir, 'out/index.cjs'));
  });
}

// Bundlers build for the browser (their default conditions), and the bundle runs in Node,
// whose WebAssembly is the browser's.
function entry() {
  const file = join(app, 'entry.mjs');
  writeFileSync(file, ESM);
  return file;
}

test('esbuild (browser and node platforms)', async () => {
  const esbuild = await import('esbuild');
  for (const platform of ['browser', 'node']) {
    const outfile = join(app, `esbuild-${platform}.mjs`);
    await esbuild.build({ entryPoints: [entry()], bundle: true, format: 'esm', platform, minify: true, outfile, logLevel: 'warning', absWorkingDir: app });
    checkNode(outfile);
  }
});

test('Vite (library build for the browser)', async () => {
  const { build } = await import('vite');
  const outDir = join(app, 'vite-out');
  await build({
    root: app, configFile: false, logLevel: 'warn',
    build: { outDir, emptyOutDir: true, lib: { entry: entry(), formats: ['es'], fileName: () => 'bundle.mjs' } },
  });
  checkNode(join(outDir, 'bundle.mjs'));
});

test('webpack (production build for the web)', async () => {
  const webpack = (await import('webpack')).default;
  const outDir = join(app, 'webpack-out');
  const stats = await new Promise((resolve, reject) => webpack({
    mode: 'production', context: app, entry: entry(), target: 'web', devtool: false,
    output: { path: outDir, filename: 'bundle.js' },
  }, (error, result) => (error ? reject(error) : resolve(result))));
  assert.ok(!stats.hasErrors(), stats.toString('errors-only'));
  writeFileSync(join(outDir, 'package.json'), '{"type":"commonjs"}');
  checkNode(join(outDir, 'bundle.js'));
});

test('Rollup with @rollup/plugin-node-resolve (browser conditions)', async () => {
  const { rollup } = await import('rollup');
  const { nodeResolve } = await import('@rollup/plugin-node-resolve');
  const bundle = await rollup({ input: entry(), plugins: [nodeResolve({ browser: true, rootDir: app })], onwarn: (w) => assert.fail(`rollup: ${w.message}`) });
  const file = join(app, 'rollup-out.mjs');
  await bundle.write({ file, format: 'es' });
  await bundle.close();
  checkNode(file);
});

test('the README\'s examples run unchanged against the installed package (fetch stubbed: no network)', () => {
  const readme = readFileSync(join(app, 'node_modules/sigv4-wasm/README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  assert.ok(blocks.length >= 5, 'the README has its examples');
  const stub = "globalThis.fetch = async (input, init) => { if (!new Request(input, init).headers.get('authorization')) throw new Error('unsigned'); return new Response('ok'); };\n";
  blocks.forEach((block, i) => {
    const file = join(app, `readme-${i}.mjs`);
    // An example's bare expressions are there to be read; running them must not throw.
    writeFileSync(file, stub + block);
    run(process.execPath, [file]);
  });
});

test('Metro with React Native\'s config (@react-native/metro-config), run in Hermes', async (t) => {
  // Metro's API and React Native's config come from the workspace; the config's modules run
  // before the main one (InitializeCore) belong to the react-native package, which an app has
  // and this scratch project does not: they are left out, and Hermes runs the bundle bare.
  const Metro = require('metro');
  const { getDefaultConfig } = require('@react-native/metro-config');
  const { mergeConfig } = require('metro-config');
  // Hermes' shell prints with print(); React Native's console polyfill needs the app's native side.
  writeFileSync(join(app, 'index.js'), CJS.replace('console.log(', 'print('));
  const config = mergeConfig(getDefaultConfig(app), {
    // Metro reads only watched files: the app, and the workspace's node_modules for the
    // runtime and the polyfills (which an app would have in its own node_modules).
    projectRoot: app, watchFolders: [app, join(root, 'node_modules')], resetCache: true, cacheStores: [], maxWorkers: 1,
    resolver: { useWatchman: false, nodeModulesPaths: [join(root, 'node_modules')] },
    serializer: { getModulesRunBeforeMainModule: () => [] },
    reporter: { update() {} },
  });
  t.diagnostic('Metro: react-native\'s InitializeCore left out (the react-native package is not installed); the bundle runs in the Hermes 0.12 shell');
  const out = join(app, 'metro-bundle.js');
  await Metro.runBuild(config, { entry: 'index.js', out, platform: 'android', dev: false, minify: false });
  const hermes = join(root, 'node_modules/hermes-engine-cli/linux64-bin/hermes');
  const lines = run(hermes, [out]).trim().split('\n');
  assert.deepEqual(JSON.parse(lines[lines.length - 1]), expected('js'));
});
