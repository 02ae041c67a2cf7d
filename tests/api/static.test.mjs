// The server serves the page's files and nothing else: every file the page loads, byte for
// byte, and 404 for every other file of the repository however its path is spelled.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../www/server/server.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let server;
before(async () => {
  server = await startServer({ port: 0, env: {} });
});
after(() => server.close());

/** Requests `target` exactly as written: node:http sends a path as given, where a URL would be normalized. */
function get(target, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: target, method, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The page's files, found as the browser finds them: index.html's links, then the imports of each module. */
function pageFiles() {
  const files = new Map([['/', 'www/index.html']]);
  const html = readFileSync(`${ROOT}www/index.html`, 'utf8');
  // Files (a name with an extension), not the links to the API's endpoints.
  const queue = [...html.matchAll(/(?:src|href)="(\/[^"]*\.\w+)"/g)].map((m) => m[1]);
  while (queue.length) {
    const path = queue.shift();
    if (files.has(path)) continue;
    // The page links postman/README.md (served as text).
    const file = path.startsWith('/sigv4-wasm/') ? `js/dist/${path.slice('/sigv4-wasm/'.length)}` : path === '/postman/README.md' ? 'postman/README.md' : `www${path}`;
    files.set(path, file);
    if (!path.endsWith('.mjs')) continue;
    const text = readFileSync(`${ROOT}${file}`, 'utf8');
    const here = new URL(path, 'http://page');
    for (const m of text.matchAll(/(?:from|import\(?|init\()\s*['"]([./][^'"]*)['"]/g)) queue.push(new URL(m[1], here).pathname);
  }
  return files;
}

test('every file the page loads is served, byte for byte, with its type', async () => {
  const files = pageFiles();
  for (const expected of ['/app.mjs', '/style.css', '/lib/diff.mjs', '/lib/signing.mjs', '/lib/import.mjs', '/lib/rules.mjs', '/lib/runtime-snippets.mjs', '/postman/README.md', '/sigv4-wasm/browser.mjs', '/sigv4-wasm/sigv4-signer.wasm', '/sigv4-wasm/js.mjs', '/sigv4-wasm/s3.mjs', '/sigv4-wasm/cognito.mjs', '/lib/s3-panel.mjs', '/lib/cognito-panel.mjs', '/lib/dom.mjs']) {
    assert.ok(files.has(expected), `the page loads ${expected}`);
  }
  const types = { html: 'text/html; charset=utf-8', mjs: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8', wasm: 'application/wasm', md: 'text/plain; charset=utf-8' };
  for (const [path, file] of [...files, ['/index.html', 'www/index.html']]) {
    const response = await get(path);
    assert.equal(response.status, 200, path);
    assert.equal(response.headers['content-type'], types[file.replace(/^.*\./, '')], path);
    assert.equal(Number(response.headers['content-length']), readFileSync(`${ROOT}${file}`).length, path);
    if (!file.endsWith('.wasm')) assert.equal(response.body, readFileSync(`${ROOT}${file}`, 'utf8'), path);
    const head = await get(path, 'HEAD');
    assert.equal(head.status, 200, `HEAD ${path}`);
    assert.equal(head.body, '', `HEAD ${path}`);
  }
});

test('the server\'s own files, the repository and the build are not served, however the path is spelled', async () => {
  const targets = [
    '//server/server.mjs', '/%2fserver/auth.mjs', '/%2Fserver/auth.mjs', '/server/server.mjs', '/server/example-config.json', '/server',
    '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/lib/../server/auth.mjs', '/lib/%2e%2e/server/auth.mjs',
    '/lib/..%2fserver/auth.mjs', '/./app.mjs', '/lib//diff.mjs', '/.git/config', '/.git/HEAD', '/www/server/config.mjs', '/www/index.html',
    '/\\server\\server.mjs', '/lib\\..\\server\\auth.mjs', '/%5cserver%5cauth.mjs', '/lib/%5c..%5cserver/auth.mjs',
    '/app%2emjs', '/APP.MJS', '/app.mjs/', '/app.mjs%00', '/lib/', '/lib', '/README.md', '/screenshot.mjs', '/screenshot.png',
    '/sigv4-wasm/gen/signer/glue.js', '/sigv4-wasm/sizes.json', '/sigv4-wasm/verify.mjs', '/sigv4-wasm/../../package.json', '/sigv4-wasm/%2e%2e/%2e%2e/package.json', '/sigv4-wasm/',
    '/test/../server/server.mjs', '/demo/../server/server.mjs',
    '/postman/sigv4.postman.js', '/postman/', '/postman', '/postman/README.md/', '/postman/%2e%2e/package.json', '/postman/../package.json', '/POSTMAN/README.md', '/postman/readme.md',
  ];
  for (const target of targets) {
    const response = await get(target);
    // A path under the stage is the API's: it names no resource.
    const expected = target.startsWith('/test/') ? 403 : 404;
    assert.equal(response.status, expected, `${target}: ${response.body.slice(0, 80)}`);
  }
});

test('no other file of the repository is reachable at its path, from the root, www/ or js/dist/', async () => {
  const page = new Set(pageFiles().values());
  page.add('www/index.html');
  const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  const dist = readdirSync(`${ROOT}js/dist`).map((name) => `js/dist/${name}`);
  for (const file of [...tracked, ...dist].filter((f) => !page.has(f))) {
    const candidates = [`/${file}`];
    if (file.startsWith('www/')) candidates.push(file.slice('www'.length));
    if (file.startsWith('js/dist/')) candidates.push(`/sigv4-wasm/${file.slice('js/dist/'.length)}`);
    for (const target of candidates.map((path) => path.replace(/[^\w./-]/g, encodeURIComponent))) {
      assert.equal((await get(target)).status, 404, target);
    }
  }
});
