// Reading a request someone else signed, to fill the form with it and compare its signature
// with ours: a curl command, raw HTTP (HTTP/1.1 or a browser's HTTP/2 view), a HAR file or
// entry, a bare (presigned) URL; and the server's canonical request from an error body.
// Every reader makes one pass over at most MAX_IMPORT characters: hostile input (a 10 MB
// paste, unbalanced quotes, a million headers) costs linear time and is bounded.

import { parseCanonicalRequest } from './mismatch.mjs';

/** The most of a paste that is read: a request with its body is rarely more. */
export const MAX_IMPORT = 256 * 1024;
/** The most headers a request keeps (more are dropped and said so). */
export const MAX_HEADERS = 200;
/** The most HAR entries looked at for a signed one. */
const MAX_HAR_ENTRIES = 1000;

const AUTH_PARAMS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-expires', 'x-amz-signedheaders', 'x-amz-signature', 'x-amz-security-token'];

function result(kind) {
  return { ok: true, kind, method: '', url: '', headers: [], body: '', notes: [] };
}

function failure(message) {
  return { ok: false, error: message, notes: [] };
}

function addHeader(request, name, value) {
  if (request.headers.length >= MAX_HEADERS) {
    if (request.headers.length === MAX_HEADERS && !request.notes.some((n) => n.startsWith('Only the first'))) request.notes.push(`Only the first ${MAX_HEADERS} headers were read.`);
    return;
  }
  request.headers.push([name, value]);
}

// ---------------------------------------------------------------- curl

/** curl options that take an argument (the others used here are flags). */
const CURL_WITH_ARG = new Set([
  '-X', '--request', '-H', '--header', '-d', '--data', '--data-raw', '--data-binary', '--data-ascii', '--data-urlencode',
  '--url', '-u', '--user', '--aws-sigv4', '-A', '--user-agent', '-e', '--referer', '-b', '--cookie', '-o', '--output',
  '-m', '--max-time', '--connect-timeout', '-x', '--proxy', '-w', '--write-out', '--cacert', '--cert', '--key',
  '-c', '--cookie-jar', '-T', '--upload-file', '-F', '--form', '--resolve', '--connect-to', '-r', '--range',
  '--retry', '-U', '--proxy-user', '--interface', '-K', '--config', '--json',
]);

/**
 * The words of a shell command line as bash splits them: single and double quotes, $'…',
 * backslash escapes and line continuations. One pass; `null` and a message for an
 * unterminated quote.
 */
export function shellWords(text) {
  const words = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2; // a line continuation
      continue;
    }
    if (c === '\\' && text[i + 1] === '\r' && text[i + 2] === '\n') {
      i += 3;
      continue;
    }
    inWord = true;
    if (c === '\\') {
      word += text[i + 1] ?? '';
      i += 2;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end === -1) return { words: null, error: 'a single quote is not closed' };
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '$' && text[i + 1] === "'") {
      i += 2;
      let closed = false;
      while (i < n) {
        const d = text[i];
        if (d === "'") {
          closed = true;
          i += 1;
          break;
        }
        if (d === '\\' && i + 1 < n) {
          const e = text[i + 1];
          const simple = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', 0: '\0' }[e];
          if (simple !== undefined) {
            word += simple;
            i += 2;
          } else if (e === 'x' && /^[0-9a-f]{2}$/i.test(text.slice(i + 2, i + 4))) {
            word += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            i += 4;
          } else if (e === 'u' && /^[0-9a-f]{4}$/i.test(text.slice(i + 2, i + 6))) {
            word += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else {
            word += d + e;
            i += 2;
          }
        } else {
          word += d;
          i += 1;
        }
      }
      if (!closed) return { words: null, error: "a $'…' quote is not closed" };
    } else if (c === '"') {
      i += 1;
      let closed = false;
      while (i < n) {
        const d = text[i];
        if (d === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (d === '\\' && i + 1 < n && '$`"\\\n'.includes(text[i + 1])) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          i += 2;
        } else {
          word += d;
          i += 1;
        }
      }
      if (!closed) return { words: null, error: 'a double quote is not closed' };
    } else {
      word += c;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return { words, error: null };
}

/** A curl command (as browsers' "Copy as cURL" and AWS examples write it) as a request. */
export function parseCurl(text) {
  const split = shellWords(text.replace(/^\s*\$\s+/, ''));
  if (!split.words) return failure(`The curl command cannot be read: ${split.error}.`);
  const words = split.words;
  if (words[0] !== 'curl') return failure('A curl command starts with "curl".');
  const request = result('curl');
  const data = [];
  let method = '';
  let head = false;
  let get = false;
  for (let i = 1; i < words.length; i += 1) {
    let word = words[i];
    let value;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    if (eq > 0 && CURL_WITH_ARG.has(word.slice(0, eq))) {
      value = word.slice(eq + 1);
      word = word.slice(0, eq);
    } else if (/^-[A-Za-z]./.test(word) && CURL_WITH_ARG.has(word.slice(0, 2))) {
      // -XPOST, -H'X: y'
      value = word.slice(2);
      word = word.slice(0, 2);
    } else if (CURL_WITH_ARG.has(word)) {
      i += 1;
      value = words[i];
      if (value === undefined) return failure(`${word} needs a value.`);
    }
    switch (word) {
      case '-X': case '--request': method = value.toUpperCase(); break;
      case '-H': case '--header': {
        if (value.startsWith('@')) {
          request.notes.push(`Headers from a file (${value}) cannot be read here.`);
          break;
        }
        const colon = value.indexOf(':');
        if (colon > 0) {
          const headerValue = value.slice(colon + 1).trim();
          // "-H 'X-Empty:'" removes a header in curl; "-H 'X-Empty;'" sends it empty.
          if (headerValue !== '') addHeader(request, value.slice(0, colon).trim(), headerValue);
        } else if (value.endsWith(';')) addHeader(request, value.slice(0, -1).trim(), '');
        break;
      }
      case '-d': case '--data': case '--data-raw': case '--data-binary': case '--data-ascii': case '--data-urlencode': case '--json':
        if (value.startsWith('@') && word !== '--data-raw') request.notes.push(`A body from a file (${value}) cannot be read here: paste the body into the form.`);
        else data.push(word === '-d' || word === '--data' || word === '--data-ascii' ? value.replace(/[\r\n]/g, '') : value);
        if (word === '--json') {
          if (!request.headers.some(([h]) => h.toLowerCase() === 'content-type')) addHeader(request, 'Content-Type', 'application/json');
          if (!request.headers.some(([h]) => h.toLowerCase() === 'accept')) addHeader(request, 'Accept', 'application/json');
        }
        break;
      case '--url': request.url = value; break;
      case '-A': case '--user-agent': addHeader(request, 'User-Agent', value); break;
      case '-e': case '--referer': addHeader(request, 'Referer', value); break;
      case '-b': case '--cookie': if (value.includes('=')) addHeader(request, 'Cookie', value); break;
      case '-u': case '--user': request.user = true; break;
      case '--aws-sigv4': {
        const parts = value.split(':');
        request.awsSigv4 = { region: parts[2] || '', service: parts[3] || '' };
        request.notes.push(`curl signs this request itself (--aws-sigv4 "${value}"): each run gets a new signature. Its region and service are read; enter the key it uses (--user) to sign here.`);
        break;
      }
      case '-I': case '--head': head = true; break;
      case '-G': case '--get': get = true; break;
      case '-T': case '--upload-file': method = method || 'PUT'; request.notes.push(`An uploaded file (${value}) cannot be read here: paste its content as the body.`); break;
      case '-F': case '--form': request.notes.push('A multipart form (-F) is not read: its boundary changes on each run, so sign with x-amz-content-sha256: UNSIGNED-PAYLOAD or the exact body.'); break;
      default:
        if (value === undefined && !word.startsWith('-') && !request.url) request.url = word;
    }
  }
  if (!request.url) return failure('The curl command has no URL.');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(request.url)) request.url = `http://${request.url}`;
  let body = data.join('&');
  if (get && body) {
    request.url += (request.url.includes('?') ? '&' : '?') + body;
    body = '';
  }
  request.body = body;
  request.method = method || (head ? 'HEAD' : body ? 'POST' : 'GET');
  if (data.length && !request.headers.some(([h]) => h.toLowerCase() === 'content-type')) {
    request.notes.push('curl sends -d data with Content-Type: application/x-www-form-urlencoded unless told otherwise; that header is added here as curl sends it.');
    addHeader(request, 'Content-Type', 'application/x-www-form-urlencoded');
  }
  return request;
}

// ---------------------------------------------------------------- raw HTTP

function schemeFor(host) {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host) ? 'http' : 'https';
}

/**
 * Raw HTTP as a proxy, a debugger or a log shows it: "METHOD target HTTP/1.1", header lines
 * (folded continuation lines joined), a blank line, the body. A browser's HTTP/2 view
 * (":method", ":path", ":authority" lines, no request line) is read too.
 */
export function parseRawHttp(text) {
  const request = result('http');
  const normalized = text.replace(/\r\n/g, '\n');
  const blank = normalized.indexOf('\n\n');
  const head = blank === -1 ? normalized : normalized.slice(0, blank);
  request.body = blank === -1 ? '' : normalized.slice(blank + 2);
  const lines = head.split('\n');
  let target = '';
  let scheme = '';
  let authority = '';
  let start = 0;
  const first = /^([A-Z][A-Z-]*)\s+(\S+)(?:\s+HTTP\/[\d.]+)?\s*$/.exec(lines[0]);
  if (first) {
    request.method = first[1];
    target = first[2];
    start = 1;
  } else if (!lines[0].startsWith(':')) {
    return failure('Raw HTTP starts with a request line such as "GET /prod/pets HTTP/1.1".');
  }
  for (let i = start; i < lines.length; i += 1) {
    const line = lines[i];
    if (/^[ \t]/.test(line) && request.headers.length) {
      // An obsolete folded line continues the previous header's value.
      const last = request.headers[request.headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':', line.startsWith(':') ? 1 : 0);
    if (colon <= 0) {
      if (line.trim()) request.notes.push(`Line ${i + 1} is not "Name: value" and was skipped.`);
      continue;
    }
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.startsWith(':')) {
      if (name === ':method') request.method = value;
      else if (name === ':path') target = value;
      else if (name === ':scheme') scheme = value;
      else if (name === ':authority') authority = value;
      continue;
    }
    addHeader(request, name, value);
  }
  if (!request.method || !target) return failure('The request line (or :method and :path) is missing.');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    request.url = target;
  } else {
    const hostHeader = request.headers.find(([name]) => name.toLowerCase() === 'host');
    const host = authority || (hostHeader && hostHeader[1]);
    if (!host) return failure('The request has no Host header, so its URL is unknown: add "Host: …".');
    request.url = `${scheme || schemeFor(host)}://${host}${target.startsWith('/') ? '' : '/'}${target}`;
    if (authority && !hostHeader) addHeader(request, 'host', authority);
  }
  return request;
}

// ---------------------------------------------------------------- HAR

function harRequestOf(value) {
  if (!value || typeof value !== 'object') return null;
  if (value.log && Array.isArray(value.log.entries)) {
    const entries = value.log.entries.slice(0, MAX_HAR_ENTRIES).map((e) => e && e.request).filter((r) => r && typeof r === 'object');
    if (!entries.length) return null;
    // The first signed one: the request a user exports a HAR for.
    const signed = entries.find((r) => Array.isArray(r.headers) && r.headers.some((h) => h && String(h.name).toLowerCase() === 'authorization' && /^AWS4-/.test(String(h.value))))
      || entries.find((r) => /[?&]X-Amz-Signature=/i.test(String(r.url)));
    return { request: signed || entries[0], count: value.log.entries.length, signed: !!signed };
  }
  if (value.request && typeof value.request === 'object') return { request: value.request, count: 1 };
  if (typeof value.method === 'string' && typeof value.url === 'string') return { request: value, count: 1 };
  return null;
}

/** A HAR file (the first signed entry), one entry, or one entry's request. */
export function parseHar(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return failure(`The HAR is not valid JSON (${error.message}).`);
  }
  const found = harRequestOf(value);
  if (!found) return failure('No request in this JSON: a HAR has log.entries[].request with method, url and headers.');
  const har = found.request;
  const request = result('har');
  request.method = String(har.method || 'GET').toUpperCase();
  request.url = String(har.url || '');
  for (const header of Array.isArray(har.headers) ? har.headers : []) {
    if (!header || typeof header.name !== 'string') continue;
    if (header.name.startsWith(':')) continue; // HTTP/2 pseudo-headers: the URL has them
    addHeader(request, header.name, String(header.value ?? ''));
  }
  if (har.postData && typeof har.postData.text === 'string') request.body = har.postData.text;
  if (found.count > 1) request.notes.push(`The HAR has ${found.count} entries: read ${found.signed ? 'the first signed one' : 'the first (none is signed)'} (${request.method} ${request.url.length > 80 ? `${request.url.slice(0, 80)}…` : request.url}).`);
  if (!request.url) return failure('The HAR entry has no URL.');
  return request;
}

// ---------------------------------------------------------------- any

/**
 * Reads a pasted curl command, raw HTTP, HAR (file, entry or request) or URL, whichever it
 * is. Returns `{ ok: true, kind, method, url, headers: [[name, value]], body, notes,
 * authorization }` (`authorization`: parseAuthorization of its signature, or null) or
 * `{ ok: false, error }`.
 */
export function parseImport(input) {
  let text = String(input ?? '').replace(/^\uFEFF/, '');
  const cut = text.length > MAX_IMPORT;
  if (cut) text = text.slice(0, MAX_IMPORT);
  text = text.trim();
  if (!text) return failure('Paste a curl command, raw HTTP, a HAR entry or a URL.');
  let request;
  if (/^(\$\s+)?curl\s/.test(text)) request = parseCurl(text);
  else if (/^[{[]/.test(text)) request = parseHar(text);
  else if (/^https?:\/\/\S+$/i.test(text)) request = { ...result('url'), method: 'GET', url: text };
  else request = parseRawHttp(text);
  if (cut) request.notes.push(`Only the first ${MAX_IMPORT / 1024} KB were read.`);
  if (request.ok) request.authorization = signatureOf(request);
  return request;
}

// ---------------------------------------------------------------- signatures

/**
 * An Authorization header's SigV4 parts: `{ algorithm, accessKeyId, date, region, service,
 * terminator, signedHeaders: [names], signature }`, or null when it is not SigV4.
 */
export function parseAuthorization(value) {
  const text = String(value || '').trim();
  const m = /^(AWS4-[A-Z0-9-]+)\s+(.*)$/s.exec(text);
  if (!m) return null;
  const fields = {};
  for (const part of m[2].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return credentialParts(m[1], fields.Credential, fields.SignedHeaders, fields.Signature);
}

function credentialParts(algorithm, credential, signedHeaders, signature) {
  const scope = String(credential || '').split('/');
  return {
    algorithm,
    accessKeyId: scope[0] || '',
    date: scope[1] || '',
    region: scope[2] || '',
    service: scope[3] || '',
    terminator: scope.slice(4).join('/'),
    signedHeaders: String(signedHeaders || '').split(';').map((s) => s.trim()).filter(Boolean),
    signature: String(signature || ''),
  };
}

function decodeParam(text) {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

/** The query parameters of a URL as [name, value] pairs, decoded (at most 1000). */
function queryOf(url) {
  const q = url.indexOf('?');
  if (q === -1) return [];
  const hash = url.indexOf('#', q);
  return url.slice(q + 1, hash === -1 ? undefined : hash).split('&').slice(0, 1000).filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? [decodeParam(pair), ''] : [decodeParam(pair.slice(0, eq)), decodeParam(pair.slice(eq + 1))];
  });
}

/** The signature a request carries, in its Authorization header or its presigned query, plus its X-Amz-Date; or null. */
export function signatureOf(request) {
  const header = request.headers.find(([name]) => name.toLowerCase() === 'authorization');
  const dateHeader = request.headers.find(([name]) => name.toLowerCase() === 'x-amz-date');
  if (header) {
    const parts = parseAuthorization(header[1]);
    if (parts) return { ...parts, location: 'headers', datetime: dateHeader ? dateHeader[1] : '' };
  }
  const params = queryOf(request.url);
  const get = (name) => {
    const found = params.find(([n]) => n.toLowerCase() === name);
    return found ? found[1] : undefined;
  };
  if (get('x-amz-signature') !== undefined) {
    return { ...credentialParts(get('x-amz-algorithm') || '', get('x-amz-credential'), get('x-amz-signedheaders'), get('x-amz-signature')), location: 'query', datetime: get('x-amz-date') || '', expires: get('x-amz-expires') || '' };
  }
  return null;
}

/** The URL without its presigning parameters (X-Amz-Algorithm, -Credential, …, -Signature). */
export function stripPresign(url) {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const kept = url.slice(q + 1).split('&').filter((pair) => pair && !AUTH_PARAMS.includes(decodeParam(pair.split('=')[0]).toLowerCase()));
  return kept.length ? `${url.slice(0, q)}?${kept.join('&')}` : url.slice(0, q);
}

function hostOfUrl(url) {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
  return m ? m[1] : '';
}

/**
 * The form fields (signing.mjs signingInput's names) for an imported request, so that signing
 * it here with the same secret gives the same signature: the headers it signed (others are
 * left out and named), its signing time, key id, region and service, its session token, and
 * for a presigned URL its expiry. Returns `{ form, notes }`; the secret is never touched.
 */
export function importedToForm(imported) {
  const notes = [];
  const auth = imported.authorization;
  const form = { method: imported.method, body: imported.body };
  const signedList = auth ? auth.signedHeaders : null;
  const kept = [];
  const dropped = [];
  let sessionToken = '';
  let datetime = auth && auth.datetime ? auth.datetime : '';
  let unsignedPayload = false;
  const host = hostOfUrl(imported.url);
  for (const [name, value] of imported.headers) {
    const lower = name.toLowerCase();
    if (lower === 'authorization') continue;
    if (lower === 'x-amz-date') {
      datetime = datetime || value;
      continue;
    }
    if (lower === 'x-amz-security-token') {
      sessionToken = value;
      continue;
    }
    if (lower === 'host' && value === host) continue;
    if (lower === 'x-amz-content-sha256') {
      if (value === 'UNSIGNED-PAYLOAD') unsignedPayload = true;
      // The signer adds it for S3 (the body's hash); elsewhere it is signed as given.
      if (auth && auth.service === 's3') continue;
    }
    if (signedList && !signedList.includes(lower)) {
      dropped.push(name);
      continue;
    }
    kept.push([name, value]);
  }
  form.headers = kept.map(([n, v]) => `${n}: ${v}`).join('\n');
  if (dropped.length) notes.push(`Not signed by the original, so left out here: ${dropped.join(', ')}.`);
  if (signedList) {
    const present = new Set(imported.headers.map(([n]) => n.toLowerCase()));
    const missing = signedList.filter((n) => n !== 'host' && !present.has(n) && !(auth.location === 'query' && n === 'host'));
    if (missing.length) notes.push(`Its SignedHeaders lists ${missing.join(', ')}, which the pasted request does not carry (the client adds ${missing.length > 1 ? 'them' : 'it'} when sending, or ${missing.length > 1 ? 'they were' : 'it was'} dropped): the comparison below names the difference.`);
  }
  if (auth && auth.location === 'query') {
    form.url = stripPresign(imported.url);
    form.location = 'query';
    if (auth.expires) form.expiresIn = auth.expires;
    const token = queryOf(imported.url).find(([n]) => n.toLowerCase() === 'x-amz-security-token');
    if (token) sessionToken = token[1];
  } else {
    form.url = imported.url;
    form.location = 'headers';
  }
  if (auth) {
    form.accessKeyId = auth.accessKeyId;
    form.region = auth.region;
    form.service = auth.service;
    form.s3 = auth.service === 's3';
  } else if (imported.awsSigv4) {
    if (imported.awsSigv4.region) form.region = imported.awsSigv4.region;
    if (imported.awsSigv4.service) form.service = imported.awsSigv4.service;
  }
  form.datetime = datetime;
  if (datetime) notes.push(`"Signing time" is set to its X-Amz-Date, ${datetime}, so that the signatures compare: clear it to sign a request to send now.`);
  form.sessionToken = sessionToken;
  form.unsignedPayload = unsignedPayload;
  form.unencodedPath = false;
  form.signedHeaders = '';
  if (!auth) notes.push('The request carries no SigV4 signature (no Authorization: AWS4-… header, no X-Amz-Signature): the form is filled, and there is nothing to compare.');
  return { form, notes };
}

/**
 * What differs between the imported request's signature (signatureOf) and ours (sign()'s
 * result: accessKeyId from the form, credentialScope, signedHeaders, signature, datetime).
 * Returns `{ same, differences: [{ field, theirs, ours, text }] }`, the scope and headers
 * first, the signature last.
 */
export function compareSignatures(theirs, ours) {
  const differences = [];
  const add = (field, a, b, text) => differences.push({ field, theirs: a, ours: b, text });
  const scope = String(ours.credentialScope || '').split('/');
  const mine = { date: scope[0] || '', region: scope[1] || '', service: scope[2] || '', terminator: scope.slice(3).join('/') };
  if (theirs.algorithm && theirs.algorithm !== 'AWS4-HMAC-SHA256') add('algorithm', theirs.algorithm, 'AWS4-HMAC-SHA256', `It uses ${theirs.algorithm}; this page signs AWS4-HMAC-SHA256 (SigV4a and others are not compared).`);
  if (theirs.accessKeyId !== ours.accessKeyId) add('access key id', theirs.accessKeyId, ours.accessKeyId, `It was signed with access key ${theirs.accessKeyId || '(none)'}, here with ${ours.accessKeyId || '(none)'}.`);
  if (theirs.datetime && theirs.datetime !== ours.datetime) add('signing time', theirs.datetime, ours.datetime, `It was signed at ${theirs.datetime}, here at ${ours.datetime}: put ${theirs.datetime} in "Signing time" to compare.`);
  if (theirs.date !== mine.date) add('scope date', theirs.date, mine.date, `Its credential scope has the date ${theirs.date || '(none)'}, ours ${mine.date}${theirs.datetime && theirs.datetime.slice(0, 8) !== theirs.date ? ` (and its own X-Amz-Date is of ${theirs.datetime.slice(0, 8)}: AWS refuses that)` : ''}.`);
  if (theirs.region !== mine.region) add('region', theirs.region, mine.region, `Its scope names region ${theirs.region || '(none)'}, ours ${mine.region}.`);
  if (theirs.service !== mine.service) add('service', theirs.service, mine.service, `Its scope names service ${theirs.service || '(none)'}, ours ${mine.service}.`);
  if (theirs.terminator !== mine.terminator) add('scope terminator', theirs.terminator, mine.terminator, `Its scope ends in ${theirs.terminator || '(nothing)'}; it must be aws4_request.`);
  const ourHeaders = String(ours.signedHeaders || '').split(';').filter(Boolean);
  const onlyTheirs = theirs.signedHeaders.filter((n) => !ourHeaders.includes(n));
  const onlyOurs = ourHeaders.filter((n) => !theirs.signedHeaders.includes(n));
  const sorted = theirs.signedHeaders.every((n, i, list) => i === 0 || list[i - 1] < n);
  if (onlyTheirs.length || onlyOurs.length) {
    add('signed headers', theirs.signedHeaders.join(';'), ourHeaders.join(';'),
      `${onlyTheirs.length ? `it signed ${onlyTheirs.join(', ')}, not signed here` : ''}${onlyTheirs.length && onlyOurs.length ? '; ' : ''}${onlyOurs.length ? `signed here but not by it: ${onlyOurs.join(', ')}` : ''}.`.replace(/^./, (c) => c.toUpperCase()));
  } else if (!sorted) {
    add('signed headers', theirs.signedHeaders.join(';'), ourHeaders.join(';'), 'The same headers, but its list is not in sorted order: SigV4 lists signed headers sorted by lowercase name.');
  }
  if (theirs.signature !== ours.signature) {
    add('signature', theirs.signature, ours.signature, differences.length
      ? 'The signatures differ, as they must while the inputs above differ.'
      : 'Scope, key, time and signed headers agree, but the signatures differ: the secret access key, a signed header\'s value, the path, the query or the body is not what it signed. Send it and paste the error, or compare the canonical request in "Steps" with the one its client logs.');
  }
  return { same: differences.length === 0, differences };
}

// ---------------------------------------------------------------- the server's canonical request

function decodeOnce(path) {
  return path.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }).join('/');
}

/**
 * The form fields that re-create the server's canonical request (S3's <CanonicalRequest>,
 * API Gateway's "should have been"): method, URL (host from its host line; the scheme of
 * `baseUrl` when its host is the same, else https; the path as sent: S3's as it is, other
 * services' decoded once, since they encode it twice), the query, every header but host and
 * x-amz-date, the signed-header list, and the signing time when the string to sign gives it. Returns `{ ok, form, notes }`
 * or `{ ok: false, error }`.
 */
export function canonicalToForm(canonicalText, { stringToSign, baseUrl = '', s3 } = {}) {
  const parsed = parseCanonicalRequest(canonicalText);
  if (!parsed) return { ok: false, error: 'The canonical request in the error cannot be read: it does not have its six parts.' };
  const notes = [];
  const hostLine = parsed.headers.find(([name]) => name === 'host');
  if (!hostLine) return { ok: false, error: 'The canonical request has no host line, so the URL is unknown.' };
  const scope = stringToSign ? stringToSign.replace(/\r\n/g, '\n').split('\n')[2] || '' : '';
  const service = scope.split('/')[2];
  const isS3 = s3 ?? service === 's3';
  // The scheme is not signed: the form's, when it names the same host; otherwise https (http for this machine).
  const baseScheme = /^(https?):/i.exec(baseUrl);
  const scheme = baseScheme && hostOfUrl(baseUrl) === hostLine[1] ? baseScheme[1].toLowerCase() : schemeFor(hostLine[1]);
  const path = isS3 ? parsed.path : decodeOnce(parsed.path);
  const form = {
    method: parsed.method,
    url: `${scheme}://${hostLine[1]}${path}${parsed.query ? `?${parsed.query}` : ''}`,
    location: 'headers',
    s3: isS3,
    unencodedPath: false,
    signedHeaders: parsed.signedHeaders.join(';'),
  };
  const headers = [];
  let datetime = '';
  for (const [name, value] of parsed.headers) {
    if (name === 'host') continue;
    if (name === 'x-amz-date') {
      datetime = value;
      continue;
    }
    if (name === 'x-amz-security-token') {
      notes.push('The session token is left as it is in the form (the server does not echo it whole).');
      continue;
    }
    if (name === 'x-amz-content-sha256' && isS3) continue;
    headers.push(`${name}: ${value}`);
  }
  form.headers = headers.join('\n');
  if (datetime) form.datetime = datetime;
  else if (stringToSign) form.datetime = stringToSign.replace(/\r\n/g, '\n').split('\n')[1] || '';
  if (scope) {
    const parts = scope.split('/');
    if (parts[1]) form.region = parts[1];
    if (parts[2]) form.service = parts[2];
  }
  if (parsed.payloadHash === 'UNSIGNED-PAYLOAD') form.unsignedPayload = true;
  else {
    form.unsignedPayload = false;
    if (parsed.payloadHash !== 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855') {
      notes.push(`The body is not in the canonical request, only its SHA-256 (${parsed.payloadHash.slice(0, 16)}…): keep the body you sent in the form.`);
    } else {
      form.body = '';
    }
  }
  return { ok: true, form, notes };
}
