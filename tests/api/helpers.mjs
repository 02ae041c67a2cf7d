// Shared by the API tests: raw HTTP requests (exact bytes, repeated headers) and signing
// against a running local server.
import net from 'node:net';
import http from 'node:http';
import { presign, sign } from 'sigv4-wasm';

/** Sends `bytes` as they are and resolves to `{ status, headers, body, json }`. */
export function rawRequest(port, bytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    const chunks = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = text.slice(0, split).split('\r\n');
      const headers = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = Buffer.from(text.slice(split + 4), 'latin1').toString('utf8');
      let json;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(head[0].split(' ')[1]), headers, body, json });
    });
  });
}

/** An HTTP/1.1 request as bytes: `headers` is a list of [name, value] (values may be Buffers). */
export function requestBytes(method, target, headers, body = Buffer.alloc(0)) {
  const parts = [Buffer.from(`${method} ${target} HTTP/1.1\r\n`, 'latin1')];
  for (const [name, value] of headers) parts.push(Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'latin1'), Buffer.from('\r\n'));
  parts.push(Buffer.from(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body);
  return Buffer.concat(parts);
}

/** Sends a request with node:http, headers exactly as given. Resolves to `{ status, headers, body, json }`. */
export function send(url, { method = 'GET', headers = [], body } = {}) {
  return new Promise((resolve, reject) => {
    // Headers as a raw list keep their order and repeats; node:http then adds no Host of its own.
    const flat = headers.some(([name]) => name.toLowerCase() === 'host') ? [] : ['Host', new URL(url).host];
    for (const [name, value] of headers) flat.push(name, value);
    const req = http.request(url, { method, headers: flat, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, body: text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The region and service of the local API. */
export const SCOPE = { region: 'us-east-1', service: 'execute-api' };

/** Signs (Authorization header) and sends; `key` is `{ accessKeyId, secretAccessKey, sessionToken? }`. */
export function signedRequest(url, key, { method = 'GET', headers = {}, body, options = {} } = {}) {
  const signed = sign({ method, url, headers, body }, { ...SCOPE, ...key, ...options });
  const sent = Object.entries(signed.headers).filter(([name]) => name !== 'host');
  return send(signed.url, { method: signed.method, headers: sent, body }).then((response) => ({ ...response, signed }));
}

/** Presigns and sends. */
export function presignedRequest(url, key, { method = 'GET', expiresIn = 60, options = {} } = {}) {
  const signed = presign({ method, url }, { ...SCOPE, ...key, expiresIn, ...options });
  return send(signed.url, { method }).then((response) => ({ ...response, signed }));
}

/** An AWS signing time `seconds` from now. */
export function timeFromNow(seconds) {
  return new Date(Date.now() + seconds * 1000);
}
