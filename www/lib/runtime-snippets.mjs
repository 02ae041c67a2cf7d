// Code that signs at run time, for the request in the form: this package in Node, in a
// browser and in React Native, curl's own --aws-sigv4, aws4fetch, the AWS SDK v3's
// SignatureV4 and botocore. Unlike a copied signature (dead 15 minutes after signing) each
// signs anew when it runs. Credentials are read from the environment (AWS_ACCESS_KEY_ID,
// AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) or, in a page or an app, from a function of
// yours; the secret and the session token are written into the code only when asked
// (`embedSecret`), and then each snippet says so in its first line.

/** A JavaScript string literal (JSON's, which every JS engine and Python read alike). */
function lit(text) {
  return JSON.stringify(String(text)).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A shell word in single quotes. */
function sh(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

const WARNING = 'WARNING: this code contains your secret access key. Do not commit or share it.';

/** The headers a client should set itself: not host (from the URL) nor what the signer adds. */
function ownHeaders(headers) {
  return headers.filter(([name]) => !/^(host|authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256)$/i.test(name));
}

function jsObject(headers, indent) {
  if (!headers.length) return '{}';
  return `{\n${headers.map(([n, v]) => `${indent}  ${lit(n)}: ${lit(v)},`).join('\n')}\n${indent}}`;
}

function jsCredentials(credentials, embed, indent, source) {
  if (embed) {
    const lines = [`${indent}accessKeyId: ${lit(credentials.accessKeyId || '')},`, `${indent}secretAccessKey: ${lit(credentials.secretAccessKey || '')},`];
    if (credentials.sessionToken) lines.push(`${indent}sessionToken: ${lit(credentials.sessionToken)},`);
    return lines.join('\n');
  }
  if (source === 'env') {
    return [
      `${indent}accessKeyId: process.env.AWS_ACCESS_KEY_ID,`,
      `${indent}secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,`,
      `${indent}sessionToken: process.env.AWS_SESSION_TOKEN || undefined,`,
    ].join('\n');
  }
  return `${indent}...(await getCredentials()), // { accessKeyId, secretAccessKey, sessionToken }`;
}

const GET_CREDENTIALS = [
  '// Temporary credentials for this user, from your backend (STS) or Amazon Cognito:',
  '// never ship a long-term secret access key in a page or an app.',
  'async function getCredentials() {',
  "  const response = await fetch('/my-backend/aws-credentials');",
  '  return response.json(); // { accessKeyId, secretAccessKey, sessionToken }',
  '}',
  '',
];

function signOptions(input, credentialLines) {
  const lines = [credentialLines, `  region: ${lit(input.region)},`, `  service: ${lit(input.service)},`];
  if (input.s3) lines.push('  s3: true,');
  if (input.unsignedPayload) lines.push('  unsignedPayload: true,');
  if (input.presign) lines.push(`  expiresIn: ${Number(input.expiresIn) || 3600},`);
  return lines.join('\n');
}

function requestLiteral(input) {
  const parts = [`  method: ${lit(input.method)},`, `  url: ${lit(input.url)},`];
  const headers = ownHeaders(input.headers);
  if (headers.length) parts.push(`  headers: ${jsObject(headers, '  ')},`);
  if (input.body) parts.push(`  body: ${lit(input.body)},`);
  return `{\n${parts.join('\n')}\n}`;
}

/** sigv4-wasm's sign() then fetch(): the same code in Node, Deno, Bun, a page and React Native. */
function packageSnippet(input, { embedSecret, credentials, source, importLine, comment }) {
  const lines = [];
  if (embedSecret) lines.push(`// ${WARNING}`);
  lines.push(`// ${comment}`);
  lines.push(importLine.replace('{ sign }', input.presign ? '{ presign }' : '{ sign }'));
  lines.push('');
  if (source !== 'env' && !embedSecret) lines.push(...GET_CREDENTIALS);
  if (input.presign) {
    lines.push(`const { url } = presign(${requestLiteral(input).replace(/\n/g, '\n')}, {`);
    lines.push(signOptions(input, jsCredentials(credentials, embedSecret, '  ', source)));
    lines.push('});');
    lines.push('console.log(url); // valid for expiresIn seconds');
    return lines.join('\n');
  }
  lines.push(`const signed = sign(${requestLiteral(input)}, {`);
  lines.push(signOptions(input, jsCredentials(credentials, embedSecret, '  ', source)));
  lines.push('});');
  lines.push('const { host, ...headers } = signed.headers; // fetch sets host from the URL');
  lines.push(`const response = await fetch(signed.url, { method: signed.method, headers${input.body ? `, body: ${lit(input.body)}` : ''} });`);
  lines.push('console.log(response.status, await response.text());');
  return lines.join('\n');
}

function curlSigv4(input, { embedSecret, credentials }) {
  const lines = [];
  if (embedSecret) lines.push(`# ${WARNING}`);
  else lines.push('# export AWS_ACCESS_KEY_ID=… AWS_SECRET_ACCESS_KEY=…' + (credentials.sessionToken ? ' AWS_SESSION_TOKEN=…' : '') + ' first');
  lines.push('# curl 7.75 or later signs the request itself, anew on each run.');
  const parts = [`curl --aws-sigv4 ${sh(`aws:amz:${input.region}:${input.service}`)}`];
  parts.push(embedSecret ? `--user ${sh(`${credentials.accessKeyId}:${credentials.secretAccessKey}`)}` : '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"');
  if (credentials.sessionToken) parts.push(embedSecret ? `-H ${sh(`x-amz-security-token: ${credentials.sessionToken}`)}` : '-H "x-amz-security-token: $AWS_SESSION_TOKEN"');
  if (input.s3 || input.unsignedPayload) parts.push(`-H ${sh(`x-amz-content-sha256: ${input.unsignedPayload ? 'UNSIGNED-PAYLOAD' : '<the body\'s SHA-256 in hex>'}`)}`);
  if (input.method !== 'GET' || input.body) parts.push(`-X ${input.method}`);
  for (const [n, v] of ownHeaders(input.headers)) parts.push(`-H ${sh(`${n}: ${v}`)}`);
  if (input.body) parts.push(`--data-binary ${sh(input.body)}`);
  parts.push(sh(input.url));
  lines.push(parts.join(' \\\n  '));
  if (input.presign) lines.push('# curl signs an Authorization header; it does not presign URLs.');
  return lines.join('\n');
}

function aws4fetchSnippet(input, { embedSecret, credentials }) {
  const lines = [];
  if (embedSecret) lines.push(`// ${WARNING}`);
  lines.push("// npm install aws4fetch — Node 18+, browsers, workers. (sigv4-wasm's AwsClient takes the same code.)");
  lines.push("import { AwsClient } from 'aws4fetch';");
  lines.push('');
  lines.push('const aws = new AwsClient({');
  lines.push(jsCredentials(credentials, embedSecret, '  ', 'env'));
  lines.push(`  region: ${lit(input.region)},`);
  lines.push(`  service: ${lit(input.service)},`);
  lines.push('});');
  const init = [`  method: ${lit(input.method)},`];
  const headers = ownHeaders(input.headers);
  if (headers.length) init.push(`  headers: ${jsObject(headers, '  ')},`);
  if (input.body) init.push(`  body: ${lit(input.body)},`);
  if (input.presign) init.push(`  aws: { signQuery: true },`);
  lines.push(`const response = await aws.fetch(${lit(input.url)}, {\n${init.join('\n')}\n});`);
  lines.push('console.log(response.status, await response.text());');
  return lines.join('\n');
}

function sdkSnippet(input, { embedSecret, credentials }) {
  const lines = [];
  if (embedSecret) lines.push(`// ${WARNING}`);
  lines.push('// npm install @smithy/signature-v4 @smithy/protocol-http @aws-crypto/sha256-js (the AWS SDK v3 signer)');
  lines.push("import { SignatureV4 } from '@smithy/signature-v4';");
  lines.push("import { HttpRequest } from '@smithy/protocol-http';");
  lines.push("import { Sha256 } from '@aws-crypto/sha256-js';");
  lines.push('');
  lines.push(`const url = new URL(${lit(input.url)});`);
  lines.push('const signer = new SignatureV4({');
  lines.push('  credentials: {');
  lines.push(jsCredentials(credentials, embedSecret, '    ', 'env'));
  lines.push('  },');
  lines.push(`  region: ${lit(input.region)},`);
  lines.push(`  service: ${lit(input.service)},`);
  lines.push('  sha256: Sha256,');
  if (input.s3) lines.push('  uriEscapePath: false, // S3 encodes the path once');
  lines.push('});');
  const headers = ownHeaders(input.headers);
  lines.push('const request = new HttpRequest({');
  lines.push(`  method: ${lit(input.method)},`);
  lines.push('  protocol: url.protocol,');
  lines.push('  hostname: url.hostname,');
  lines.push('  port: url.port ? Number(url.port) : undefined,');
  lines.push('  path: url.pathname,');
  lines.push('  query: Object.fromEntries(url.searchParams),');
  lines.push(`  headers: { host: url.host${headers.map(([n, v]) => `, ${lit(n.toLowerCase())}: ${lit(v)}`).join('')}${input.s3 && input.unsignedPayload ? ", 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD'" : ''} },`);
  if (input.body) lines.push(`  body: ${lit(input.body)},`);
  lines.push('});');
  if (input.presign) {
    lines.push(`const presigned = await signer.presign(request, { expiresIn: ${Number(input.expiresIn) || 3600} });`);
    lines.push('console.log(presigned);');
    return lines.join('\n');
  }
  lines.push('const signed = await signer.sign(request);');
  lines.push('const { host, ...headers } = signed.headers; // fetch sets host from the URL');
  lines.push('const response = await fetch(url, { method: signed.method, headers, body: signed.body });');
  lines.push('console.log(response.status, await response.text());');
  return lines.join('\n');
}

function botocoreSnippet(input, { embedSecret, credentials }) {
  const lines = [];
  if (embedSecret) lines.push(`# ${WARNING}`);
  lines.push('# pip install botocore');
  if (!embedSecret) lines.push('import os');
  lines.push(`from botocore.auth import ${input.s3 ? 'S3SigV4Auth' : 'SigV4Auth'}`);
  lines.push('from botocore.awsrequest import AWSRequest');
  lines.push('from botocore.credentials import Credentials');
  lines.push('from botocore.httpsession import URLLib3Session');
  lines.push('');
  if (embedSecret) {
    lines.push(`credentials = Credentials(${lit(credentials.accessKeyId || '')}, ${lit(credentials.secretAccessKey || '')}${credentials.sessionToken ? `, ${lit(credentials.sessionToken)}` : ''})`);
  } else {
    lines.push("credentials = Credentials(os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY'], os.environ.get('AWS_SESSION_TOKEN'))");
  }
  const headers = ownHeaders(input.headers);
  lines.push('request = AWSRequest(');
  lines.push(`    method=${lit(input.method)},`);
  lines.push(`    url=${lit(input.url)},`);
  if (headers.length) lines.push(`    headers={${headers.map(([n, v]) => `${lit(n)}: ${lit(v)}`).join(', ')}},`);
  if (input.body) lines.push(`    data=${lit(input.body)}.encode('utf-8'),`);
  lines.push(')');
  lines.push(`${input.s3 ? 'S3SigV4Auth' : 'SigV4Auth'}(credentials, ${lit(input.service)}, ${lit(input.region)}).add_auth(request)`);
  lines.push('response = URLLib3Session().send(request.prepare())');
  lines.push('print(response.status_code, response.text)');
  if (input.presign) lines.push('# This signs an Authorization header; botocore.auth.SigV4QueryAuth presigns URLs.');
  return lines.join('\n');
}

/**
 * Every snippet for `input` (`{ method, url, headers: [[name, value]], body, region, service,
 * s3, unsignedPayload, presign, expiresIn }`, the URL as sent) and `credentials`
 * (`{ accessKeyId, secretAccessKey, sessionToken }`). Without `embedSecret` no snippet
 * contains the secret or the session token. Returns `[{ id, title, language, text }]`.
 */
export function runtimeSnippets(input, credentials = {}, { embedSecret = false } = {}) {
  const common = { embedSecret, credentials };
  return [
    { id: 'node', title: 'sigv4-wasm in Node (Deno, Bun)', language: 'javascript', text: packageSnippet(input, { ...common, source: 'env', importLine: "import { sign } from 'sigv4-wasm';", comment: 'npm install sigv4-wasm — credentials from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN' }) },
    { id: 'browser', title: 'sigv4-wasm in a browser', language: 'javascript', text: packageSnippet(input, { ...common, source: 'app', importLine: "import { sign } from 'sigv4-wasm'; // a bundler picks the browser build (WebAssembly)", comment: 'npm install sigv4-wasm — the target must allow this origin in CORS' }) },
    { id: 'react-native', title: 'sigv4-wasm in React Native', language: 'javascript', text: packageSnippet(input, { ...common, source: 'app', importLine: "import { sign } from 'sigv4-wasm'; // Metro picks the react-native build (no WebAssembly needed)", comment: 'npm install sigv4-wasm — Hermes and JSC' }) },
    { id: 'curl', title: 'curl --aws-sigv4', language: 'shell', text: curlSigv4(input, common) },
    { id: 'aws4fetch', title: 'aws4fetch', language: 'javascript', text: aws4fetchSnippet(input, common) },
    { id: 'sdk-v3', title: 'AWS SDK for JavaScript v3 (SignatureV4)', language: 'javascript', text: sdkSnippet(input, common) },
    { id: 'botocore', title: 'Python: botocore', language: 'python', text: botocoreSnippet(input, common) },
  ];
}
