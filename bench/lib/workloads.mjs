// The five workloads and, for each signer, one operation that signs the workload's request
// completely and returns the signature. Shared by Node and the Chromium page: the libraries
// are passed in, so this file imports nothing.
//
// Every signer gets the same request (method, URL, headers, body), the same credentials and
// the same fixed signing time, in the form its API takes: a URL string (sigv4-wasm,
// aws4fetch), host + path (aws4), or a parsed HttpRequest (@smithy/signature-v4). Each call
// builds its request object afresh (aws4 mutates the one it gets) and produces a real
// signature. Signing-key caches stay on for every signer: the steady state of a long-lived
// client.

export const DATETIME = '20240115T120000Z';
export const DATE = new Date('2024-01-15T12:00:00Z');
export const EXPIRES_IN = 3600;

export const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** A deterministic stand-in for an STS session token (real ones are a few hundred characters). */
function sessionToken() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let state = 0x2545f491;
  let token = 'IQoJb3JpZ2luX2VjE';
  while (token.length < 600) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    token += alphabet[(state >>> 0) % 64];
  }
  return `${token}==`;
}

export const SESSION_CREDENTIALS = { ...CREDENTIALS, accessKeyId: 'ASIAEXAMPLE', sessionToken: sessionToken() };

/** Deterministic bytes (xorshift32). */
export function bytes(length, seed = 1) {
  const out = new Uint8Array(length);
  let state = seed | 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = state & 0xff;
  }
  return out;
}

/** A JSON document of exactly `size` ASCII bytes. */
function jsonBody(size) {
  const items = [];
  let text = '';
  for (let i = 0; ; i++) {
    items.push({ id: i, name: `item-${i}`, tags: ['alpha', 'beta'], price: 10 + i, inStock: i % 2 === 0 });
    const next = JSON.stringify({ items, note: '' });
    if (next.length > size) {
      items.pop();
      break;
    }
    text = next;
  }
  const base = JSON.stringify({ items, note: '' });
  text = JSON.stringify({ items, note: 'x'.repeat(size - base.length) });
  if (text.length !== size) throw new Error(`bench: JSON body is ${text.length} bytes, not ${size}`);
  return text;
}

export const MIB = 1024 * 1024;
export const BIG_BODY = bytes(MIB, 7);
export const TINY_BODY = bytes(16, 11);

const API_HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';
const S3_HOST = 'examplebucket.s3.us-east-1.amazonaws.com';
const STS_HOST = 'sts.us-east-1.amazonaws.com';

/**
 * The workloads. `query` is an ordered list of pairs; `headers` are lowercase and exclude
 * host and the x-amz-* signing headers, which each signer adds itself.
 */
export function workloads() {
  const json = jsonBody(1024);
  const sts = 'Action=GetCallerIdentity&Version=2011-06-15';
  const s3Put = (body) => ({
    method: 'PUT',
    host: S3_HOST,
    path: '/photos/2024/01/image-0001.bin',
    query: [],
    headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
    body,
    region: 'us-east-1',
    service: 's3',
    s3: true,
  });
  return [
    {
      id: 'apigw-get',
      title: 'API Gateway GET with query',
      method: 'GET',
      host: API_HOST,
      path: '/prod/pets',
      query: [['limit', '10'], ['type', 'dog'], ['sort', 'asc']],
      headers: {},
      region: 'us-east-1',
      service: 'execute-api',
      // Same canonical request for every signer: all must produce the same signature.
      agree: ['sigv4-wasm', 'aws4', 'smithy', 'aws4fetch'],
    },
    {
      id: 'post-json-1k',
      title: 'POST, 1 KiB JSON body',
      method: 'POST',
      host: API_HOST,
      path: '/prod/items',
      query: [],
      headers: { 'content-type': 'application/json', 'content-length': String(json.length) },
      body: json,
      region: 'us-east-1',
      service: 'execute-api',
      // aws4fetch never signs content-type or content-length, so its canonical request differs.
      agree: ['sigv4-wasm', 'aws4', 'smithy'],
    },
    {
      id: 's3-put-1m',
      title: 'S3 PUT, 1 MiB body',
      ...s3Put(BIG_BODY),
      agree: ['sigv4-wasm', 'aws4', 'smithy'],
    },
    {
      id: 's3-presign-get',
      title: 'S3 presigned GET',
      method: 'GET',
      host: S3_HOST,
      path: '/photos/2024/01/image-0001.jpg',
      query: [],
      headers: {},
      region: 'us-east-1',
      service: 's3',
      s3: true,
      presign: true,
      agree: ['sigv4-wasm', 'aws4', 'smithy', 'aws4fetch'],
    },
    {
      id: 'sts-post-token',
      title: 'STS POST with session token',
      method: 'POST',
      host: STS_HOST,
      path: '/',
      query: [],
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'content-length': String(sts.length) },
      body: sts,
      region: 'us-east-1',
      service: 'sts',
      session: true,
      agree: ['sigv4-wasm', 'aws4', 'smithy'],
    },
  ];
}

/** The S3 PUT with a 16-byte body: its cost is everything but hashing a large payload. */
export function tinyPutWorkload() {
  return { ...workloads()[2], id: 's3-put-16b', title: 'S3 PUT, 16 B body', body: TINY_BODY, headers: { 'content-type': 'application/octet-stream', 'content-length': '16' } };
}

const queryString = (pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : '');
const credentialsOf = (w) => (w.session ? SESSION_CREDENTIALS : CREDENTIALS);

const HEX = '0123456789abcdef';
function hex(buffer) {
  const b = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < b.length; i++) out += HEX[b[i] >> 4] + HEX[b[i] & 15];
  return out;
}

/** sigv4-wasm (either backend) signing `w`: `api` is the module ('sigv4-wasm' or 'sigv4-wasm/js');
 * `extra`, more signing options, such as `{ nativeHash: false }` to hash the body in wasm. */
export function oursSign(api, w, extra = {}) {
  const url = `https://${w.host}${w.path}${queryString(w.query)}`;
  const options = { ...credentialsOf(w), region: w.region, service: w.service, datetime: DATETIME, ...extra };
  if (w.presign) {
    options.expiresIn = EXPIRES_IN;
    return () => api.presign({ method: w.method, url, headers: { ...w.headers } }, options);
  }
  return () => api.sign({ method: w.method, url, headers: { ...w.headers }, body: w.body }, options);
}

export function oursOp(api, w, extra) {
  const sign = oursSign(api, w, extra);
  return { async: false, op: () => sign().signature };
}

/** sigv4-wasm's async path: signAsync, which hashes a large body with WebCrypto first. */
export function oursAsyncOp(api, w) {
  const url = `https://${w.host}${w.path}${queryString(w.query)}`;
  const options = { ...credentialsOf(w), region: w.region, service: w.service, datetime: DATETIME };
  return { async: true, op: async () => (await api.signAsync({ method: w.method, url, headers: { ...w.headers }, body: w.body }, options)).signature };
}

/** aws4 (Node only). The fixed time goes in X-Amz-Date (header, or query when presigning). */
export function aws4Op(aws4, w) {
  const credentials = credentialsOf(w);
  if (w.presign) {
    const path = `${w.path}${queryString([...w.query, ['X-Amz-Expires', String(EXPIRES_IN)], ['X-Amz-Date', DATETIME]])}`;
    return {
      async: false,
      op: () => {
        const request = { host: w.host, path, method: w.method, service: w.service, region: w.region, headers: { ...w.headers }, signQuery: true };
        aws4.sign(request, credentials);
        return request.path.slice(-64); // X-Amz-Signature is the last parameter
      },
    };
  }
  const path = `${w.path}${queryString(w.query)}`;
  return {
    async: false,
    op: () => {
      const request = { host: w.host, path, method: w.method, service: w.service, region: w.region, headers: { ...w.headers, 'X-Amz-Date': DATETIME }, body: w.body };
      aws4.sign(request, credentials);
      return request.headers.Authorization.slice(-64);
    },
  };
}

/**
 * @smithy/signature-v4 as the AWS SDK v3 configures it: one long-lived signer per
 * service/region, S3 with single path encoding and x-amz-content-sha256; presigning as
 * @aws-sdk/s3-request-presigner does it (UNSIGNED-PAYLOAD, not hoisted, not signed).
 */
export function smithyOp({ SignatureV4, HttpRequest }, sha256, w) {
  const signer = new SignatureV4({
    credentials: credentialsOf(w),
    region: w.region,
    service: w.service,
    sha256,
    uriEscapePath: !w.s3,
    applyChecksum: !!w.s3 && !w.presign,
  });
  const query = Object.fromEntries(w.query);
  const request = (extra) =>
    new HttpRequest({ method: w.method, protocol: 'https:', hostname: w.host, path: w.path, query: { ...query }, headers: { host: w.host, ...w.headers, ...extra }, body: w.body });
  if (w.presign) {
    const keep = new Set(['x-amz-content-sha256']);
    return {
      async: true,
      op: async () => {
        const signed = await signer.presign(request({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }), {
          signingDate: DATE,
          expiresIn: EXPIRES_IN,
          unhoistableHeaders: keep,
          unsignableHeaders: keep,
        });
        return signed.query['X-Amz-Signature'];
      },
    };
  }
  return {
    async: true,
    op: async () => {
      const signed = await signer.sign(request({}), { signingDate: DATE });
      return signed.headers.authorization.slice(-64);
    },
  };
}

/**
 * aws4fetch's AwsV4Signer (what AwsClient.sign runs, minus building a fetch Request), with
 * one cache Map as an AwsClient holds. For S3 it would send UNSIGNED-PAYLOAD; to sign the
 * body like the others, the op hashes it with WebCrypto and passes X-Amz-Content-Sha256,
 * as aws4fetch's README advises.
 */
export function aws4fetchOp({ AwsV4Signer, subtle }, w) {
  const credentials = credentialsOf(w);
  const cache = new Map();
  if (w.presign) {
    const url = `https://${w.host}${w.path}${queryString([...w.query, ['X-Amz-Expires', String(EXPIRES_IN)]])}`;
    return {
      async: true,
      op: async () => {
        const signer = new AwsV4Signer({ url, method: w.method, headers: { ...w.headers }, ...credentials, region: w.region, service: w.service, datetime: DATETIME, cache, signQuery: true });
        const signed = await signer.sign();
        return signed.url.searchParams.get('X-Amz-Signature');
      },
    };
  }
  const url = `https://${w.host}${w.path}${queryString(w.query)}`;
  return {
    async: true,
    op: async () => {
      const headers = { ...w.headers };
      if (w.s3) headers['x-amz-content-sha256'] = hex(await subtle.digest('SHA-256', w.body));
      const signer = new AwsV4Signer({ url, method: w.method, headers, body: w.body, ...credentials, region: w.region, service: w.service, datetime: DATETIME, cache });
      const signed = await signer.sign();
      return signed.headers.get('authorization').slice(-64);
    },
  };
}

/** Hashing 1 MiB with the platform's native SHA-256 (WebCrypto), hex result. */
export function webCryptoHashOp(subtle, body) {
  return { async: true, op: async () => hex(await subtle.digest('SHA-256', body)) };
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * Runs every op once: each must return 64 hex digits, and the signers a workload names in
 * `agree` must produce the same signature. Returns { ok, lines, signatures }.
 */
export async function crossCheck(workloadList, opsByWorkload) {
  const lines = [];
  const signatures = {};
  let ok = true;
  for (const w of workloadList) {
    const ops = opsByWorkload[w.id];
    signatures[w.id] = {};
    for (const id of Object.keys(ops)) {
      const signature = await ops[id].op();
      signatures[w.id][id] = signature;
      if (typeof signature !== 'string' || !HEX64.test(signature)) {
        ok = false;
        lines.push(`FAIL ${w.id}: ${id} returned ${JSON.stringify(signature)}, not 64 hex digits`);
      }
    }
    const group = (w.agree || []).filter((id) => ids(ops).some((k) => base(k) === id));
    const members = ids(ops).filter((k) => group.includes(base(k)));
    const distinct = new Set(members.map((k) => signatures[w.id][k]));
    if (members.length > 1) {
      if (distinct.size === 1) lines.push(`ok   ${w.id}: ${members.join(', ')} agree (${[...distinct][0].slice(0, 16)}…)`);
      else {
        ok = false;
        lines.push(`FAIL ${w.id}: signatures differ: ${members.map((k) => `${k}=${signatures[w.id][k].slice(0, 16)}`).join(' ')}`);
      }
    }
  }
  return { ok, lines, signatures };
}
const ids = (ops) => Object.keys(ops);
/** 'sigv4-wasm/js' and 'smithy (sha256-js)' are variants of 'sigv4-wasm' and 'smithy'. */
const base = (id) => id.replace(/ \(.*\)$/, '').replace(/\/js$/, '');
