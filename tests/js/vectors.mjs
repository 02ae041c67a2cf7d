// Reads tests/vectors into plain objects the runtime-agnostic suite (suite.mjs) can use in
// any runtime, including Hermes and Chromium where there is no file system. Request files
// are parsed by the aws-c-auth convention (tests/vectors/README.md), as tests/common/mod.rs
// does in Rust.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const vectors = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');
const read = (...parts) => readFileSync(join(vectors, ...parts), 'utf8');

/** Method, request target, headers as [name, value] pairs, body. */
export function parseRequest(text) {
  const lines = text.split('\n');
  const requestLine = lines[0];
  const space = requestLine.indexOf(' ');
  if (!requestLine.endsWith(' HTTP/1.1')) throw new Error(`not a request line: ${requestLine}`);
  const request = { method: requestLine.slice(0, space), target: requestLine.slice(space + 1, -' HTTP/1.1'.length), headers: [], body: '' };
  let i = 1;
  for (; i < lines.length && lines[i] !== ''; i++) {
    if (/^[ \t]/.test(lines[i])) request.headers[request.headers.length - 1][1] += `\n${lines[i]}`;
    else {
      const colon = lines[i].indexOf(':');
      request.headers.push([lines[i].slice(0, colon), lines[i].slice(colon + 1)]);
    }
  }
  if (i < lines.length) request.body = lines.slice(i + 1).join('\n');
  return request;
}

const CLASSIC_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const STS_TOKEN = readFileSync(join(vectors, 'aws-sig-v4-test-suite', 'post-sts-token', 'readme.txt'), 'utf8')
  .split('\n').map((l) => l.trim()).filter((l) => l.startsWith('AQoDYXdzEPT'))[0];

function classicCases() {
  const root = join(vectors, 'aws-sig-v4-test-suite');
  const cases = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.req')) {
        const name = relative(root, dir);
        const base = join(dir, entry.slice(0, -4));
        const options = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: CLASSIC_SECRET, region: 'us-east-1', service: 'service', datetime: '20150830T123600Z' };
        if (name === 'get-vanilla-with-session-token') options.sessionToken = '6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267';
        if (name === 'post-sts-token/post-sts-header-after') Object.assign(options, { sessionToken: STS_TOKEN, appendSessionToken: true });
        const signed = parseRequest(readFileSync(`${base}.sreq`, 'utf8'));
        const authorization = readFileSync(`${base}.authz`, 'utf8');
        // Quirk 6 of the vectors README: this .sreq carries a corrupted signature; the .authz is right.
        if (name === 'get-vanilla-with-session-token') {
          signed.headers = signed.headers.map(([n, v]) => (n.toLowerCase() === 'authorization' ? [n, authorization] : [n, v]));
        }
        cases.push({
          suite: 'classic', name, location: 'headers', request: parseRequest(readFileSync(`${base}.req`, 'utf8')), options,
          expected: { canonicalRequest: readFileSync(`${base}.creq`, 'utf8'), stringToSign: readFileSync(`${base}.sts`, 'utf8'), authorization, signedRequest: signed },
        });
      }
    }
  };
  walk(root);
  return cases;
}

function crtCases() {
  const cases = [];
  for (const name of readdirSync(join(vectors, 'aws-c-auth', 'v4'))) {
    const context = JSON.parse(read('aws-c-auth', 'v4', name, 'context.json'));
    for (const location of ['header', 'query']) {
      const options = {
        accessKeyId: context.credentials.access_key_id,
        secretAccessKey: context.credentials.secret_access_key,
        region: context.region,
        service: context.service,
        datetime: context.timestamp,
        normalizePath: context.normalize,
        contentSha256: context.sign_body,
      };
      if (context.credentials.token) options.sessionToken = context.credentials.token;
      if (context.omit_session_token) options.appendSessionToken = true;
      if (!context.sign_body) options.payloadHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
      if (location === 'query') options.expiresIn = context.expiration_in_seconds;
      cases.push({
        suite: 'aws-c-auth', name, location: location === 'header' ? 'headers' : 'query',
        request: parseRequest(read('aws-c-auth', 'v4', name, 'request.txt')), options,
        expected: {
          canonicalRequest: read('aws-c-auth', 'v4', name, `${location}-canonical-request.txt`),
          stringToSign: read('aws-c-auth', 'v4', name, `${location}-string-to-sign.txt`),
          signature: read('aws-c-auth', 'v4', name, `${location}-signature.txt`),
          signedRequest: parseRequest(read('aws-c-auth', 'v4', name, `${location}-signed-request.txt`)),
        },
      });
    }
  }
  return cases;
}

function documentationCases() {
  return ['s3/get-object.json', 's3/put-object.json', 's3/get-bucket-lifecycle.json', 's3/list-objects.json',
    's3/presigned-url-get-object.json', 'general/iam-listusers.json'].map((file) => {
    const example = JSON.parse(read(...file.split('/')));
    const query = example.request.query ? `?${example.request.query}` : '';
    const options = {
      accessKeyId: example.credentials.access_key_id,
      secretAccessKey: example.credentials.secret_access_key,
      region: example.region,
      service: example.service,
      datetime: example.timestamp,
    };
    const location = example.signing.signature_location === 'query' ? 'query' : 'headers';
    if (location === 'query') options.expiresIn = example.signing.expires_in;
    return {
      suite: 'documentation', name: example.id, location, options,
      request: { method: example.request.method, target: `https://${example.request.host}${example.request.path}${query}`, headers: example.request.headers, body: example.request.body_utf8 },
      expected: {
        canonicalRequest: example.expected.canonical_request,
        stringToSign: example.expected.string_to_sign,
        signature: example.expected.signature,
        presignedUrl: example.expected.presigned_url,
      },
    };
  });
}

/** Every vector case the JavaScript suite runs. */
export function loadVectors() {
  if (!existsSync(vectors)) throw new Error(`no vectors at ${vectors}`);
  return [...classicCases(), ...crtCases(), ...documentationCases()];
}

/** S3's chunked upload and POST policy examples (tests/vectors/s3), as they are: the suite's
 * upload cases read them. */
export function loadUploadVectors() {
  const json = (name) => JSON.parse(read('s3', name));
  return {
    chunked: json('chunked-upload-put-object.json'),
    trailer: json('chunked-upload-with-trailer.json'),
    extras: json('aws-c-auth-chunked-extras.json'),
    post: json('post-policy.json'),
  };
}
