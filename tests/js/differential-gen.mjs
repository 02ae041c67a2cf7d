// Request generator for differential.test.mjs: a seeded PRNG and random SigV4 requests in wire
// form (the path and query exactly as they appear in the request line), plus the helpers that
// turn that wire form into what each peer expects, by the decoding rules of the README's input
// contract. Nothing here calls a signer.

import { createHash } from 'node:crypto';

export const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');

/** mulberry32: a small, well-mixed 32-bit PRNG; the same seed gives the same cases everywhere. */
export function createRng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return {
    next,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: (items) => items[int(items.length)],
    /** Picks from [weight, value] pairs. */
    weighted(pairs) {
      const total = pairs.reduce((sum, [w]) => sum + w, 0);
      let x = next() * total;
      for (const [w, value] of pairs) {
        if ((x -= w) < 0) return value;
      }
      return pairs[pairs.length - 1][1];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const UNRESERVED_WORDS = ['a', 'b', 'prod', 'pets', 'Key', 'photos', 'x-y_z.0~', 'A1', 'report.pdf', '2024-05-22', 'v1', 'dir', 'file.txt', 'Z'];
/** RFC 3986 sub-delims and the two gen-delims allowed raw in a path segment. */
const RESERVED_RAW = ['$', '&', "'", '(', ')', '*', '+', ',', ';', '=', ':', '@', '!'];
const PCT = (c) => encodeURIComponent(c).replace(/[!'()*]/g, (x) => '%' + x.charCodeAt(0).toString(16).toUpperCase());
/** Characters sent percent-encoded on the wire (uppercase hex, as URL libraries write them). */
const ENCODED = ['%20', '%24', '%26', '%27', '%28', '%29', '%2A', '%2B', '%2C', '%3B', '%3D', '%3A', '%40', '%21', '%25', '%3F', '%23', '%22', '%5B', '%5D', '%7B', '%7D', '%5C', '%5E', '%60', '%7C', '%3C', '%3E'];
/** Unreserved characters percent-encoded anyway (allowed by RFC 3986, a normalization trap). */
const ENCODED_UNRESERVED = ['%41', '%7E', '%2D', '%5F', '%2E', '%61', '%30'];
const NON_ASCII = ['é', 'ü', 'ሴ', '😀', 'Ω', 'ñ', '中文', 'ß'];

function nonAscii(r) {
  const encoded = encodeURIComponent(r.pick(NON_ASCII));
  return r.chance(0.2) ? encoded.toLowerCase() : encoded; // lowercase hex is valid too
}

/** One wire path segment (never empty here; empty segments come from '//'). */
function pathSegment(r, s3) {
  const tokens = r.range(1, 3);
  let out = '';
  for (let i = 0; i < tokens; i++) {
    out += r.weighted([
      [5, () => r.pick(UNRESERVED_WORDS)],
      [3, () => r.pick(RESERVED_RAW)],
      [3, () => r.pick(ENCODED)],
      [1, () => r.pick(ENCODED_UNRESERVED)],
      [3, () => nonAscii(r)],
      // An encoded slash inside a segment. Rare: its S3 meaning is the subject of its own rule.
      [s3 ? 0.3 : 0.5, () => (r.chance(0.5) ? '%2F' : '%2f')],
    ])();
  }
  return out;
}

function wirePath(r, s3) {
  const count = r.weighted([[1, 0], [3, 1], [4, 2], [3, 3], [2, 4], [1, 5]]);
  const segments = [];
  for (let i = 0; i < count; i++) {
    segments.push(
      r.weighted([
        [14, () => pathSegment(r, s3)],
        [1, () => '.'],
        [1.5, () => '..'],
        [0.4, () => r.pick(['%2E', '%2e%2e', '.%2E', '%2E%2E'])], // dot segments written percent-encoded
        [1, () => ''], // makes '//'
      ])(),
    );
  }
  let path = '/' + segments.join('/');
  if (count > 0 && r.chance(0.25)) path += '/';
  if (r.chance(0.04)) path = '/' + path; // a leading '//'
  return path;
}

const QUERY_KEYS = ['a', 'b', 'A', 'Key', 'key', 'k-1', 'z_', 'list-type', 'prefix', 'max-keys', 'acl', 'uploads', 'versionId', '~t', 'x.y', 'Action', 'Version', 'tagging'];

function queryKey(r) {
  return r.weighted([
    [10, () => r.pick(QUERY_KEYS)],
    [1, () => nonAscii(r)],
    [1, () => r.pick(['%24dollar', 'sp%20ace', 'p%2Bq', 'eq%3D', 'amp%26'])],
    [1, () => r.pick(['a*', "b'", 'c(d)', 'e!', 'f$', 'g:h', 'i@j', 'k,l', 'm;n', 'o/p', 'q?r'])],
    [0.6, () => r.pick(['a+b', '+'])],
  ])();
}

function queryValue(r) {
  const tokens = r.weighted([[2, 0], [4, 1], [3, 2], [2, 3], [1, 4]]);
  let out = '';
  for (let i = 0; i < tokens; i++) {
    out += r.weighted([
      [6, () => r.pick(UNRESERVED_WORDS)],
      [3, () => r.pick(ENCODED)],
      [1, () => r.pick(['%2F', '%3D', '%26', '%2B'])],
      [3, () => r.pick(['*', '(', ')', '!', "'", '$', ',', ';', ':', '@', '/', '?'])], // raw reserved
      [1.5, () => '='], // '=' inside a value
      [1.5, () => '+'], // a raw plus
      [2, () => nonAscii(r)],
      [0.5, () => r.pick(ENCODED_UNRESERVED)],
    ])();
  }
  return out;
}

/** A wire query string (without '?'), or null for no '?' at all. */
function wireQuery(r) {
  if (r.chance(0.3)) return null;
  if (r.chance(0.03)) return ''; // a bare '?'
  const count = r.weighted([[4, 1], [4, 2], [3, 3], [2, 4], [1, 6]]);
  const pieces = [];
  const keys = [];
  for (let i = 0; i < count; i++) {
    const key = keys.length > 0 && r.chance(0.3) ? r.pick(keys) : queryKey(r); // repeated keys
    keys.push(key);
    pieces.push(
      r.weighted([
        [10, () => `${key}=${queryValue(r)}`],
        [2, () => `${key}=`], // an empty value
        [2, () => key], // a key without '='
      ])(),
    );
  }
  if (pieces.length > 1 && r.chance(0.05)) pieces.splice(1, 0, ''); // 'a=1&&b=2'
  return pieces.join('&');
}

// ---------------------------------------------------------------------------------------------
// Headers

const HEADER_NAMES = [
  'Content-Type', 'X-Amz-Meta-Color', 'x-amz-meta-note', 'My-Header1', 'X-Custom', 'Accept', 'Content-MD5',
  'If-Match', 'Cache-Control', 'Referer', 'User-Agent', 'X-Amzn-Trace-Id', 'Range', 'Expect', 'X-Amz-Target',
  'x-amz-acl', 'Date', 'Content-Language', 'X-Forwarded-For', 'Pragma',
];

function randomCase(r, name) {
  return r.weighted([
    [4, () => name],
    [2, () => name.toLowerCase()],
    [1, () => name.toUpperCase()],
  ])();
}

const WS = [' ', '  ', '   ', '\t', ' \t ', '\t\t'];

function headerValue(r) {
  const words = r.range(0, 4);
  let out = r.chance(0.3) ? r.pick(WS) : '';
  for (let i = 0; i < words; i++) {
    if (i > 0) out += r.chance(0.6) ? ' ' : r.pick(WS);
    out += r.weighted([
      [5, () => r.pick(['value1', 'value2', 'text/plain', 'application/json', 'abc', 'bytes=0-9', 'max-age=0', '100-continue', 'Root=1-5759e988'])],
      [2, () => `"${r.pick(['a', 'b c', 'x   y', 'q\tz'])}"`],
      [2, () => r.pick(['a,b', 'k=v;q=0.9', 'x:y', '(c)', '<tag>', '{json}', '~!@#$%^&*', '/path?x=1', '\\'])],
    ])();
  }
  if (r.chance(0.3)) out += r.pick(WS);
  return out;
}

function wireHeaders(r) {
  const count = r.weighted([[3, 0], [4, 1], [3, 2], [2, 3], [1, 5]]);
  const headers = [];
  for (let i = 0; i < count; i++) {
    if (headers.length > 0 && r.chance(0.25)) {
      // the same name again, possibly in another case
      headers.push([randomCase(r, r.pick(headers)[0]), headerValue(r)]);
    } else {
      headers.push([randomCase(r, r.pick(HEADER_NAMES)), headerValue(r)]);
    }
  }
  return headers;
}

// ---------------------------------------------------------------------------------------------
// Requests

const S3_HOSTS = [
  ['examplebucket.s3.amazonaws.com', 'us-east-1'],
  ['my.bucket.s3.eu-west-1.amazonaws.com', 'eu-west-1'],
  ['s3.ap-southeast-2.amazonaws.com', 'ap-southeast-2'], // path style: the bucket is the first segment
  ['localhost:9000', 'us-east-1'],
];
const OTHER_HOSTS = [
  ['abc123.execute-api.us-east-1.amazonaws.com', 'execute-api', 'us-east-1'],
  ['iam.amazonaws.com', 'iam', 'us-east-1'],
  ['search-dom.eu-west-1.es.amazonaws.com', 'es', 'eu-west-1'],
  ['sts.ap-southeast-2.amazonaws.com', 'sts', 'ap-southeast-2'],
  ['api.example.com:8443', 'execute-api', 'eu-west-1'],
  ['127.0.0.1:4566', 'lambda', 'us-east-1'],
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'];
const DATETIMES = ['20150830T123600Z', '20240229T235959Z', '19991231T000000Z', '20380119T031408Z', '20261123T080910Z'];
const TOKENS = ['AQoDYXdzEJr//////////wEa+Token=', 'FwoGZXIvYXdzEBYaDG1hL2F0b2tlbg==', 'IQoJb3JpZ2luX2VjEK7//////////wEaCXVzLWVhc3QtMSJHMEUCIQ'];
const SECRETS = ['wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'secret', 'a+b/c=='];

function body(r) {
  return r.weighted([
    [8, () => undefined],
    [1, () => ''],
    [4, () => r.pick(['{}', 'Action=ListUsers&Version=2010-05-08', 'hello', '{"a": [1, 2, 3]}', 'x'.repeat(r.range(1, 300))])],
    [2, () => r.pick(['héllo ሴ😀', 'Ωmega ü', '中文'])],
    [5, () => {
      const bytes = new Uint8Array(r.range(1, 200));
      for (let i = 0; i < bytes.length; i++) bytes[i] = r.int(256);
      return bytes;
    }],
  ])();
}

/**
 * One random request and the options it is signed with. `headers` are [name, value] pairs as
 * sent (names may repeat); `path` and `query` are wire text.
 */
export function generateCase(r, id) {
  const s3 = r.chance(0.4);
  let host, service, region;
  if (s3) {
    [host, region] = r.pick(S3_HOSTS);
    service = 's3';
  } else {
    [host, service, region] = r.pick(OTHER_HOSTS);
  }
  const presign = r.chance(0.3);
  const c = {
    id,
    s3,
    service,
    region,
    host,
    method: r.pick(METHODS),
    path: wirePath(r, s3),
    query: wireQuery(r),
    headers: wireHeaders(r),
    body: body(r),
    datetime: r.pick(DATETIMES),
    secretAccessKey: r.pick(SECRETS),
    sessionToken: r.chance(0.3) ? r.pick(TOKENS) : undefined,
    appendSessionToken: false,
    presign,
    expiresIn: presign ? r.pick([1, 60, 3600, 86400, 604800, r.range(1, 604800)]) : undefined,
    payload: 'body', // 'body' | 'unsigned' | 'precomputed' | 'header' (the caller sets x-amz-content-sha256)
    contentSha256: undefined,
    signHeaders: undefined,
    unsignedHeaders: undefined,
    hostHeader: false,
  };
  if (c.sessionToken && r.chance(0.15)) c.appendSessionToken = true;
  if (!presign) {
    c.payload = r.weighted([[12, 'body'], [s3 ? 3 : 1, 'unsigned'], [2, 'precomputed'], [s3 ? 2 : 1, 'header']]);
    if (!s3 && r.chance(0.15)) c.contentSha256 = true;
  } else if (!s3 && r.chance(0.15)) {
    c.payload = 'precomputed';
  }
  if (r.chance(0.15)) c.signHeaders = [r.pick(['user-agent', 'expect', 'x-amzn-trace-id'])];
  if (r.chance(0.15)) c.unsignedHeaders = [r.pick(['x-custom', 'accept', 'content-type', 'cache-control', 'range'])];
  if (r.chance(0.1)) c.hostHeader = true; // send Host explicitly; it must equal the URL's
  if (c.payload === 'header') {
    // the caller sets x-amz-content-sha256 itself; the value must agree with the body
    const value = s3 && r.chance(0.4) ? 'UNSIGNED-PAYLOAD' : sha256Hex(bodyBytes(c.body));
    c.headers.splice(r.int(c.headers.length + 1), 0, [randomCase(r, 'X-Amz-Content-Sha256'), value]);
  }
  return c;
}

/** The body's bytes as every signer hashes them (strings as UTF-8). */
export function bodyBytes(body) {
  if (body === undefined) return new Uint8Array(0);
  return typeof body === 'string' ? new TextEncoder().encode(body) : body;
}

/** The URL as sent; `view` (a rule's rewrite of the path and query) defaults to the case itself. */
export function wireUrl(c, view = c) {
  return `https://${c.host}${view.path}${view.query === null ? '' : '?' + view.query}`;
}

// ---------------------------------------------------------------------------------------------
// What the peers need, derived from the wire form by the README's rules

/**
 * The query as (key, value) pairs by the README: split on '&' (empty pieces are no parameter),
 * on the first '=' (no '=' is an empty value: `?acl` is acl=''), then percent-decode. A raw
 * '+' is a literal plus, or a space when `plusIsSpace` (queryPlus: 'space').
 */
export function decodeQuery(query, plusIsSpace) {
  if (!query) return [];
  const pairs = [];
  for (const piece of query.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const rawKey = eq < 0 ? piece : piece.slice(0, eq);
    const rawValue = eq < 0 ? '' : piece.slice(eq + 1);
    const decode = (s) => decodeURIComponent(plusIsSpace ? s.replace(/\+/g, ' ') : s);
    pairs.push([decode(rawKey), decode(rawValue)]);
  }
  return pairs;
}

/** Pairs as the `{ key: string | string[] }` object smithy's HttpRequest carries. */
export function queryObject(pairs) {
  const out = {};
  for (const [k, v] of pairs) {
    if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v;
    else if (Array.isArray(out[k])) out[k].push(v);
    else out[k] = [out[k], v];
  }
  return out;
}

export function hasRepeatedQueryKey(query, plusIsSpace = false) {
  const seen = new Set();
  for (const [k] of decodeQuery(query, plusIsSpace)) {
    if (seen.has(k)) return true;
    seen.add(k);
  }
  return false;
}

/**
 * The path an AWS SDK sends for an S3 object: the key (the wire path decoded, '+' as space, as
 * S3 reads it), each '/'-separated piece encoded with every byte but the unreserved ones. This
 * is what @smithy/signature-v4 is given by the S3 client, which it signs as it is.
 */
export function s3SdkPath(path) {
  const key = decodeURIComponent(path.replace(/\+/g, ' '));
  return key.split('/').map(PCT).join('/');
}

/** Header pairs grouped by lowercase name, values in order. */
export function groupHeaders(pairs) {
  const out = new Map();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    if (!out.has(key)) out.set(key, { name, values: [] });
    out.get(key).values.push(value);
  }
  return out;
}
