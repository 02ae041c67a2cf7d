// Static files: the playground (www/, but never www/server/) and the built package
// (js/dist/ at /sigv4-wasm/). Only listed extensions are served, and no path can climb out
// of its folder.

import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_ROOT = fileURLToPath(new URL('../../js/dist/', import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ts': 'text/plain; charset=utf-8',
};

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

/** Where a URL path maps to on disk, or null when it is not a file the server serves. */
function staticFile(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  let root = WWW_ROOT;
  if (path === '/') path = '/index.html';
  if (path.startsWith('/sigv4-wasm/')) {
    root = DIST_ROOT;
    path = path.slice('/sigv4-wasm'.length);
    // Only the files the package ships, not the build's intermediate gen/ folder.
    if (path.indexOf('/', 1) !== -1) return null;
  } else if (path.startsWith('/server/') || path === '/server' || path.endsWith('.test.mjs') || path === '/README.md') {
    return null;
  }
  const extension = /\.[a-z]+$/.exec(path);
  const type = extension && TYPES[extension[0]];
  if (!type || path.split('/').some((segment) => segment.startsWith('.'))) return null;
  const file = normalize(join(root, path));
  if (!file.startsWith(normalize(root + sep))) return null;
  return { file, type };
}

/** Serves a GET or HEAD for a static file; resolves false when the path is not one. */
export async function serveStatic(req, res, urlPath) {
  const found = staticFile(urlPath);
  if (!found) return false;
  let content;
  try {
    content = await readFile(found.file);
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'EISDIR') {
      if (urlPath.startsWith('/sigv4-wasm/')) {
        sendText(res, 503, `The package is not built (js/dist is missing ${urlPath.slice('/sigv4-wasm'.length)}): run scripts/setup, or wait for a rebuild to finish.\n`);
        return true;
      }
      return false;
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
