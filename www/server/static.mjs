// Static files: the playground's files and the two files of the built package it loads, each
// at one path. A request's path is looked up as sent, never decoded or normalized, so no
// spelling of a path reaches any other file.

import { readFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WWW = new URL('../', import.meta.url);
const DIST = new URL('../../js/dist/', import.meta.url);

const TYPES = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  wasm: 'application/wasm',
  md: 'text/plain; charset=utf-8',
};

/** URL path to file: the page, its modules (every lib/*.mjs, read once at startup), the package's browser entry and binary, and postman/README.md. */
const FILES = new Map(
  [
    ['/', new URL('index.html', WWW)],
    ['/index.html', new URL('index.html', WWW)],
    ['/app.mjs', new URL('app.mjs', WWW)],
    ['/style.css', new URL('style.css', WWW)],
    ...readdirSync(new URL('lib/', WWW))
      .filter((name) => name.endsWith('.mjs'))
      .map((name) => [`/lib/${name}`, new URL(`lib/${name}`, WWW)]),
    ['/sigv4-wasm/browser.mjs', new URL('browser.mjs', DIST)],
    ['/sigv4-wasm/sigv4-signer.wasm', new URL('sigv4-signer.wasm', DIST)],
    ['/sigv4-wasm/js.mjs', new URL('js.mjs', DIST)],
    // The S3 uploads part loads sigv4-wasm/s3 (its browser build, the uploads binary inlined) when used.
    ['/sigv4-wasm/s3.mjs', new URL('s3.mjs', DIST)],
    // The user pool part loads sigv4-wasm/cognito (its browser build, the cognito binary inlined) when used.
    ['/sigv4-wasm/cognito.mjs', new URL('cognito.mjs', DIST)],
    // The page links the Postman script's instructions (read as text: served, never rendered).
    ['/postman/README.md', new URL('../postman/README.md', WWW)],
  ].map(([path, url]) => [path, { file: fileURLToPath(url), type: TYPES[url.pathname.replace(/^.*\./, '')] }]),
);

/**
 * The page's Content-Security-Policy: everything from this server, WebAssembly allowed,
 * and fetch() to any endpoint (the playground sends signed requests anywhere).
 */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  'connect-src *',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Serves a GET or HEAD for a static file; resolves false when the path is not one. */
export async function serveStatic(req, res, urlPath) {
  const found = FILES.get(urlPath);
  if (!found) return false;
  let content;
  try {
    content = await readFile(found.file);
  } catch (error) {
    // Only the package's files can be missing: js/dist is being rebuilt, or was never built.
    if (error.code === 'ENOENT' && urlPath.startsWith('/sigv4-wasm/')) {
      sendText(res, 503, `The package is not built (js/dist is missing ${urlPath.slice('/sigv4-wasm'.length)}): run scripts/setup, or wait for a rebuild to finish.\n`);
      return true;
    }
    throw error;
  }
  const headers = {
    'Content-Type': found.type,
    'Content-Length': content.length,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (found.type.startsWith('text/html')) headers['Content-Security-Policy'] = PAGE_CSP;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : content);
  return true;
}

export function sendText(res, status, text) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
