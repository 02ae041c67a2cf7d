// The mismatch debugger: reads the error a service returned (API Gateway's JSON with "The
// Canonical String for this request should have been", S3's XML with <CanonicalRequest> and
// <StringToSignBytes>, or just the message), compares the server's canonical request and
// string to sign with ours, and names the likely cause.

import { explainDifference, sideBySide } from './diff.mjs';

const REDACTED = '** redacted **';

/** Decodes the XML entities S3 uses. */
function xmlText(text) {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (entity, name) => {
    const lower = name.toLowerCase();
    if (lower === 'amp') return '&';
    if (lower === 'lt') return '<';
    if (lower === 'gt') return '>';
    if (lower === 'quot') return '"';
    if (lower === 'apos') return "'";
    const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  });
}

/** "47 45 54 0a" (S3's *Bytes elements) as text, or undefined when it is not hex bytes. */
export function bytesToText(hex) {
  const parts = hex.trim().split(/\s+/);
  if (!parts.length || parts.some((p) => !/^[0-9a-f]{2}$/i.test(p))) return undefined;
  const bytes = new Uint8Array(parts.map((p) => parseInt(p, 16)));
  return new TextDecoder().decode(bytes);
}

/** The text of the first <name>…</name> (found with indexOf: linear, whatever the input). */
function xmlElement(xml, name) {
  const open = `<${name}>`;
  const start = xml.indexOf(open);
  if (start === -1) return undefined;
  const end = xml.indexOf(`</${name}>`, start + open.length);
  return end === -1 ? undefined : xmlText(xml.slice(start + open.length, end));
}

/** The most of a pasted or received body the debugger reads: error bodies are a few KB; this bounds its time on anything else. */
export const MAX_INPUT = 256 * 1024;

/** The message of a JSON error body: `message`, `Message`, or the first in an `errors` list. */
function jsonMessage(value, depth = 0) {
  if (depth > 4 || value === null || typeof value !== 'object') return undefined;
  for (const key of ['message', 'Message', 'errorMessage']) if (typeof value[key] === 'string') return value[key];
  for (const key of Object.keys(value)) {
    const found = jsonMessage(value[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function jsonCode(value) {
  if (value === null || typeof value !== 'object') return undefined;
  if (typeof value.__type === 'string') return value.__type.replace(/^.*#/, '');
  if (typeof value.code === 'string') return value.code;
  if (Array.isArray(value.errors) && value.errors[0]) {
    // The Selling Partner API's `code`, AppSync's `errorType`.
    for (const key of ['code', 'errorType']) if (typeof value.errors[0][key] === 'string') return value.errors[0][key];
  }
  return undefined;
}

/**
 * Reads a pasted error body. Returns `{ format, code, message, canonicalRequest,
 * stringToSign, details, notes }`: `format` is 'api-gateway', 's3' or 'text'; the parts
 * the body did not carry are undefined.
 */
export function parseAwsError(input) {
  let text = String(input || '').replace(/^\uFEFF/, '').trim();
  const cut = text.length > MAX_INPUT;
  if (cut) text = text.slice(0, MAX_INPUT);
  const result = { format: 'text', code: undefined, message: text, canonicalRequest: undefined, stringToSign: undefined, details: {}, notes: [] };
  if (cut) result.notes.push(`Only the first ${MAX_INPUT / 1024} KB were read: AWS error bodies are a few KB.`);
  if (!text) return result;

  if (/^(<\?xml[^>]*>\s*)?<Error>/.test(text)) {
    result.format = 's3';
    result.code = xmlElement(text, 'Code');
    result.message = xmlElement(text, 'Message') || '';
    const canonicalBytes = xmlElement(text, 'CanonicalRequestBytes');
    const stringBytes = xmlElement(text, 'StringToSignBytes');
    // The *Bytes elements are exact; the text elements may have lost \r or trailing spaces.
    result.canonicalRequest = (canonicalBytes && bytesToText(canonicalBytes)) ?? xmlElement(text, 'CanonicalRequest');
    result.stringToSign = (stringBytes && bytesToText(stringBytes)) ?? xmlElement(text, 'StringToSign');
    for (const name of ['RequestTime', 'ServerTime', 'X-Amz-Expires', 'MaxAllowedSkewMilliseconds', 'Expires', 'HeadersNotSigned', 'Region', 'AWSAccessKeyId', 'SignatureProvided']) {
      const value = xmlElement(text, name);
      if (value !== undefined) result.details[name] = value;
    }
    return result;
  }

  // STS, IAM and the other query APIs: <ErrorResponse><Error><Type/><Code/><Message/></Error>.
  if (/^(<\?xml[^>]*>\s*)?<ErrorResponse[\s>]/.test(text)) {
    result.format = 'query-xml';
    result.code = xmlElement(text, 'Code');
    result.message = (xmlElement(text, 'Message') || '').trim();
    const type = xmlElement(text, 'Type');
    if (type) result.details.Type = type;
    return result;
  }

  let message = text;
  if (/^[{[]/.test(text)) {
    try {
      const value = JSON.parse(text);
      const found = jsonMessage(value);
      if (found !== undefined) message = found;
      result.code = jsonCode(value);
    } catch {
      result.notes.push('The text starts like JSON but is not valid JSON; it was read as a plain message.');
    }
  }
  // A message copied out of JSON with its escapes: turn \n back into line breaks.
  if (!message.includes('\n') && message.includes('\\n')) {
    message = message.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\'/g, "'");
  }
  const marker = /The Canonical String for this request should have been\s*\n?'/;
  const found = marker.exec(message);
  if (found) {
    result.format = 'api-gateway';
    const after = message.slice(found.index + found[0].length);
    const split = /'\s*\n\s*\nThe String-to-Sign should have been\s*\n?'/.exec(after) || /'\s*The String-to-Sign should have been\s*'/.exec(after);
    if (split) {
      result.canonicalRequest = after.slice(0, split.index);
      const rest = after.slice(split.index + split[0].length);
      const close = rest.lastIndexOf("'");
      result.stringToSign = close === -1 ? rest : rest.slice(0, close);
    } else {
      const close = after.lastIndexOf("'");
      result.canonicalRequest = close === -1 ? after : after.slice(0, close);
    }
    message = message.slice(0, found.index).trim();
    if (!result.canonicalRequest.includes('\n')) {
      result.notes.push('The canonical request has lost its line breaks (copied from a one-line view?); paste the raw response body for a line-by-line comparison.');
    }
  }
  result.message = message;
  // An SDK's log line or exception text names the error code before the message.
  if (!result.code) {
    const named = KNOWN_CODES.exec(text);
    if (named) result.code = named[1];
  }
  return result;
}

/** Error codes AWS gives for signing failures, as SDKs print them before the message. */
const KNOWN_CODES = /\b(SignatureDoesNotMatch|InvalidSignatureException|IncompleteSignatureException|UnrecognizedClientException|InvalidClientTokenId|MissingAuthenticationTokenException|AccessDeniedException|ExpiredTokenException|ExpiredToken|RequestTimeTooSkewed|AuthorizationHeaderMalformed|InvalidAccessKeyId)\b/;

/**
 * A canonical request's parts, or null when the text does not have the six parts:
 * `{ method, path, query, headers: [[name, value]], signedHeaders: [names], payloadHash }`.
 */
export function parseCanonicalRequest(text) {
  if (typeof text !== 'string') return null;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length < 6) return null;
  const blank = lines.indexOf('', 3);
  if (blank === -1 || blank + 2 >= lines.length) return null;
  const headers = lines.slice(3, blank).map((line) => {
    const colon = line.indexOf(':');
    return colon === -1 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1)];
  });
  return {
    method: lines[0],
    path: lines[1],
    query: lines[2],
    headers,
    signedHeaders: (lines[blank + 1] || '').split(';').filter(Boolean),
    payloadHash: lines.slice(blank + 2).join('\n'),
  };
}

/** The four lines of a string to sign, or null. */
export function parseStringToSign(text) {
  if (typeof text !== 'string') return null;
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length < 4) return null;
  const scope = lines[2].split('/');
  return { algorithm: lines[0], datetime: lines[1], scope: lines[2], date: scope[0], region: scope[1], service: scope[2], terminator: scope[3], hash: lines[3] };
}

function amzTime(text) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text || '');
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

function isoTime(text) {
  const t = Date.parse(text || '');
  return Number.isNaN(t) ? amzTime(text) : t;
}

function duration(ms) {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120) return `${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} minutes`;
  return `${(minutes / 60).toFixed(1)} hours`;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The path with `.`/`..` segments removed and `//` collapsed, as most services canonicalize. */
function normalizePath(path) {
  const out = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}${path.endsWith('/') && out.length ? '/' : ''}`;
}

function queryParams(query) {
  return query ? query.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
  }) : [];
}

/** Equal, treating a value the server redacted (`** redacted **`) as matching anything. */
function sameValue(server, ours) {
  return server === ours || server.includes(REDACTED);
}

function quote(text) {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return `'${shown}'`;
}

/** Causes read from the message alone (no canonical request needed). `context.requestSigned`: whether the request that got this answer carried a signature. */
function causesFromMessage(error, context = {}) {
  const causes = [];
  const message = error.message || '';
  const code = error.code || '';
  const add = (id, title, detail) => causes.push({ id, title, detail });
  let m;
  if (/Missing Authentication Token/i.test(message) || code === 'MissingAuthenticationTokenException') {
    if (context.requestSigned) {
      add('no-such-route', 'No such resource or method: API Gateway answers "Missing Authentication Token" for unknown routes',
        'The request was signed, but API Gateway answers this, before looking at any signature, for a resource path or method the API does not have (a REST API also for a stage name missing from the path). Check the stage, the resource path and the method against the API; a signature problem would get "The request signature we calculated does not match".');
    } else {
      add('not-signed', 'The request was not signed',
        'The service saw no Authorization header and no X-Amz-Algorithm query parameter. API Gateway gives the same answer for a path or method the API does not have: check the stage, the resource path and the method too.');
    }
  }
  if (/User: anonymous is not authorized/.test(message)) {
    add('not-signed', 'The request reached the service unsigned (user "anonymous")',
      'The service saw no signature, so it judged the request as the anonymous user, whom no policy allows. Sign the request (an OpenSearch domain takes service es, or aoss for Serverless), or, for an open domain, allow the caller in its access policy.');
  }
  if (/Forbidden\. For troubleshooting Function URL authorization issues/.test(message)) {
    add('function-url-policy', 'The function URL refused the caller: its permissions, not the signature',
      'A Lambda function URL answers this when the caller is not allowed to invoke it: with auth type AWS_IAM, an unsigned request or a signed one whose identity no policy allows (lambda:InvokeFunctionUrl); with NONE, a resource-based policy missing a statement (function URLs created since October 2025 also need lambda:InvokeFunction). See https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html');
  }
  if (/^\s*Forbidden\.?\s*$/i.test(message)) {
    add('forbidden', 'Forbidden, without a reason: a policy, or a missing signature',
      'API Gateway HTTP APIs (and Lambda function URLs) answer a bare "Forbidden" when an AWS_IAM route gets an unsigned request, or a valid signature from an identity that no policy allows (execute-api:Invoke on the route\'s ARN). A wrong signature gets "The request signature we calculated does not match" instead.');
  }
  if ((m = /'([^']+)' is named as a SignedHeader, but it does not exist in the HTTP request/.exec(message))) {
    add('header-missing', `Signed header '${m[1]}' did not arrive`,
      `The request's SignedHeaders lists ${m[1]}, but the request reached the service without it. Browsers refuse to send some headers (Host, Content-Length, Date...), HTTP clients and proxies drop others: sign only headers that are sent.`);
  }
  if (/security token included in the request is invalid/i.test(message) || ['UnrecognizedClientException', 'InvalidAccessKeyId', 'InvalidClientTokenId'].includes(code)) {
    add('unknown-key', 'Unknown access key or wrong session token',
      'The service does not know this access key id, or the session token is missing or wrong. Temporary credentials (access key ids starting with ASIA) need their session token; long-term ones (AKIA) must not send one.');
  }
  if (/security token included in the request is expired|ExpiredToken/i.test(message + code)) {
    add('expired-token', 'The temporary credentials have expired', 'Get new credentials (for example from STS or Cognito) and sign again.');
  }
  if ((m = /User: (\S+) is not authorized to perform: (\S+) on resource: (\S+)( with an explicit deny)?/.exec(message))) {
    add('access-denied', 'Signed correctly, but the policy denies it',
      `The signature is valid and identifies ${m[1]}, but no policy allows ${m[2]} on ${m[3]}${m[4] ? ' (a Deny statement matches it)' : ''}. The resource is api-id/stage/METHOD/path: allow that ARN in the user's policy.`);
  }
  if (/'Host'( or ':authority')? must be a 'SignedHeader'/.test(message)) {
    add('host-not-signed', 'The host header is not signed', 'AWS requires `host` in SignedHeaders. Sign the request with its host (the signer here always does).');
  }
  if ((m = /Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) - (\d+) min/.exec(message))) {
    const offset = amzTime(m[3]) - amzTime(m[1]);
    add('clock-skew', 'Clock skew: the request was signed too long ago',
      `It was signed at ${m[1]} and the server's time is ${m[3]}: ${duration(offset)} later, past the ${m[4]}-minute window. Your clock is behind the server's, or the request was sent long after it was signed. Sync the clock (NTP) and sign just before sending.`);
  }
  if ((m = /Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z) \+ (\d+) min/.exec(message))) {
    const offset = amzTime(m[1]) - amzTime(m[3]);
    add('clock-skew', 'Clock skew: the request is signed in the future',
      `It was signed at ${m[1]} and the server's time is ${m[3]}: ${duration(offset)} earlier, past the ${m[4]}-minute window. Your clock is ahead of the server's; sync it (NTP).`);
  }
  if (code === 'RequestTimeTooSkewed') {
    const offset = isoTime(error.details.RequestTime) - isoTime(error.details.ServerTime);
    add('clock-skew', 'Clock skew: the request time is too far from the server\'s',
      `Request time ${error.details.RequestTime || '?'}, server time ${error.details.ServerTime || '?'}${Number.isFinite(offset) ? ` (your clock is ${duration(offset)} ${offset > 0 ? 'ahead' : 'behind'})` : ''}. Sync the clock (NTP) and sign just before sending.`);
  }
  if (/Request is not yet valid/i.test(message)) {
    add('clock-skew', 'Clock skew: the presigned URL is signed in the future',
      `The server's time${error.details.ServerTime ? ` (${error.details.ServerTime})` : ''} is before the URL's X-Amz-Date: the clock of the machine that presigned it is ahead. Sync it (NTP) and presign again.`);
  }
  if (/Request has expired/i.test(message)) {
    add('expired', 'The presigned URL has expired',
      'Its X-Amz-Date plus X-Amz-Expires is in the past on the server\'s clock. Presign again, with a longer expiry if needed (at most 604800 seconds, and no longer than the credentials last).');
  }
  if ((m = /Credential should be scoped to a valid region, not '([^']*)'/.exec(message)) || (m = /the region '([^']*)' is wrong; expecting '([^']*)'/.exec(message))) {
    add('region', 'Wrong region in the credential scope',
      `The request was signed for '${m[1]}'${m[2] ? `, and the service expects '${m[2]}'` : ''}. Sign with the region of the endpoint (global endpoints such as iam.amazonaws.com and sts.amazonaws.com take us-east-1).`);
  } else if (/(Credential should|credential must) be scoped to a valid region/i.test(message)) {
    add('region', 'Wrong region in the credential scope',
      'The service did not say which region it expects: sign with the region in the endpoint\'s host (sts.eu-west-1.amazonaws.com: eu-west-1); the global endpoints iam.amazonaws.com and sts.amazonaws.com take us-east-1.');
  }
  if ((m = /Credential should be scoped to correct service: '([^']*)'/.exec(message))) {
    add('service', 'Wrong service in the credential scope', `The service expects '${m[1]}' in the credential scope (API Gateway: execute-api; S3: s3).`);
  }
  if (/Date in Credential scope does not match/.test(message)) {
    add('scope-date', 'The credential scope date does not match X-Amz-Date', 'The date in Credential=.../YYYYMMDD/... must be the date of X-Amz-Date (UTC).');
  }
  if (/Authorization header requires|Only one auth mechanism|Unsupported Authorization Type|Query-string authentication version 4 requires|IncompleteSignature|AuthorizationQueryParametersError|more than one/.test(message + code)) {
    add('malformed', 'The Authorization header or presigned query is malformed', message);
  }
  if (/x-amz-content-sha256' header does not match|XAmzContentSHA256Mismatch/.test(message + code)) {
    add('payload-hash-header', 'The body does not match x-amz-content-sha256', 'The body sent is not the body whose hash was declared and signed: it changed after signing.');
  }
  if (error.details && error.details.HeadersNotSigned) {
    add('unsigned-header', 'Headers that must be signed were not', `The service requires these headers to be signed: ${error.details.HeadersNotSigned}.`);
  }
  return causes;
}

/** Causes found by comparing the server's canonical request with ours. */
function causesFromCanonical(server, ours, s3Rules) {
  const causes = [];
  const add = (id, title, detail) => causes.push({ id, title, detail });
  if (server.method !== ours.method) {
    add('method', 'The method differs', `The server received ${server.method}; you signed ${ours.method}.`);
  }
  if (server.path !== ours.path) {
    const decodedOurs = safeDecode(ours.path);
    const decodedServer = safeDecode(server.path);
    if (decodedOurs === server.path) {
      add('path-encoding', 'Path encoding: you encoded the path twice, the service once',
        `The service canonicalized the path as ${quote(server.path)}, you as ${quote(ours.path)}. S3 encodes the path once: tick "S3 rules" (under S3 options) and sign again.`);
    } else if (decodedServer === ours.path) {
      add('path-encoding', 'Path encoding: the service encodes the path twice, you once',
        `The service canonicalized the path as ${quote(server.path)}, you as ${quote(ours.path)}. ${s3Rules === false
          ? 'You signed it encoded once: the path held a character (a space, a non-ASCII letter) that was percent-encoded after signing, by the browser or the HTTP client. Sign the path as it is sent, percent-encoded.'
          : 'Services other than S3 encode the already-encoded path once more: untick "S3 rules" (under S3 options) unless the service is S3.'}`);
    } else if (normalizePath(server.path) === normalizePath(ours.path)) {
      add('path-normalization', 'Path normalization differs',
        `The service canonicalized the path as ${quote(server.path)}, you as ${quote(ours.path)}: one side removed '.', '..' or '//' segments. S3 keeps them (tick "S3 rules" for S3); other services remove them. A browser removes '.' and '..' itself before sending.`);
    } else {
      const named = explainDifference(server.path, ours.path);
      add('path', 'The path differs',
        `The server saw ${quote(server.path)}; you signed ${quote(ours.path)}${named ? ` (${named.replace(/\.$/, '')})` : ''}. The request went to another path than the one signed (a stage or base-path prefix? a proxy rewriting the URL?), or a character is encoded differently.`);
    }
  }
  if (server.query !== ours.query) {
    const serverParams = queryParams(server.query);
    const ourParams = queryParams(ours.query);
    const plusForm = (q) => q.replace(/%20|\+|%2B/g, ' ');
    if (plusForm(server.query) === plusForm(ours.query)) {
      add('query-encoding', 'A space or + in the query is encoded differently',
        `The service canonicalized the query as ${quote(server.query)}, you as ${quote(ours.query)}. Write a space as %20 and a plus as %2B in the URL: a raw '+' means a plus to AWS but a space to form decoders, and the two sides read it differently.`);
    } else {
      const names = (list) => list.map(([n]) => n);
      const missing = names(ourParams).filter((n) => !names(serverParams).includes(n));
      const extra = names(serverParams).filter((n) => !names(ourParams).includes(n));
      const changed = ourParams.filter(([n, v]) => serverParams.some(([sn]) => sn === n) && !serverParams.some(([sn, sv]) => sn === n && sameValue(sv, v))).map(([n]) => n);
      const parts = [];
      if (missing.length) parts.push(`signed but not received: ${missing.join(', ')}`);
      if (extra.length) parts.push(`received but not signed: ${extra.join(', ')}`);
      if (changed.length) parts.push(`different values: ${[...new Set(changed)].join(', ')}`);
      if (parts.length || !serverParams.every(([n, v], i) => ourParams[i] && ourParams[i][0] === n && sameValue(v, ourParams[i][1]))) {
        add('query', 'The query string differs', `${parts.join('; ') || `the service has ${quote(server.query)}, you ${quote(ours.query)}`}. Sign the exact query that is sent, after any client adds or re-encodes parameters.`);
      }
    }
  }
  const serverNames = server.signedHeaders;
  const ourNames = ours.signedHeaders;
  const onlyOurs = ourNames.filter((n) => !serverNames.includes(n));
  const onlyServer = serverNames.filter((n) => !ourNames.includes(n));
  if (onlyOurs.length || onlyServer.length) {
    add('signed-headers', 'The signed headers differ',
      `${onlyOurs.length ? `you signed ${onlyOurs.join(', ')}, which the request's SignedHeaders does not list` : ''}${onlyOurs.length && onlyServer.length ? '; ' : ''}${onlyServer.length ? `the request's SignedHeaders lists ${onlyServer.join(', ')}, which you did not sign` : ''}. The Authorization header sent is not the one computed here (an unsigned or extra header).`);
  }
  const valueOf = (headers, name) => {
    const found = headers.filter(([n]) => n === name);
    return found.length ? found.map(([, v]) => v).join('\n') : undefined;
  };
  for (const name of ourNames.filter((n) => serverNames.includes(n))) {
    const serverValue = valueOf(server.headers, name);
    const ourValue = valueOf(ours.headers, name);
    if (serverValue === undefined || ourValue === undefined || sameValue(serverValue, ourValue)) continue;
    if (serverValue === '') {
      add('header-missing', `Signed header '${name}' did not arrive`,
        `You signed ${name}: ${quote(ourValue)}, but the request reached the server without it. Browsers refuse to send some headers (Host, Content-Length, Date...), and proxies strip others: sign only headers that are sent.`);
    } else if (name === 'host') {
      add('host', 'The host differs',
        `You signed host ${quote(ourValue)}; the server received ${quote(serverValue)}. A port (included unless it is the default), a proxy or an SSH tunnel changes it: sign the host the service sees, in the URL or as a Host: line under Headers (curl sends that; a browser always sends the URL's host).`);
    } else {
      const named = explainDifference(serverValue, ourValue);
      add('header-changed', `Header '${name}' changed after signing`,
        `It was signed as ${quote(ourValue)} but the server received ${quote(serverValue)}${named ? ` (${named.replace(/\.$/, '')})` : ''}: it was edited after signing, or rewritten by a proxy, the browser or the HTTP client (a charset added to Content-Type, a date regenerated).`);
    }
  }
  if (server.payloadHash !== ours.payloadHash) {
    const unsigned = [server.payloadHash, ours.payloadHash].includes('UNSIGNED-PAYLOAD');
    add('body-hash', 'The body hash differs',
      unsigned
        ? `The service used ${server.payloadHash}, you ${ours.payloadHash}: one side signs UNSIGNED-PAYLOAD (S3 presigned URLs do) and the other the body's SHA-256.`
        : `The body the server received hashes to ${server.payloadHash}; you signed ${ours.payloadHash}. The body changed after signing (JSON re-serialized, a different encoding or line endings, a multipart boundary), or a different body was signed.`);
  }
  return causes;
}

function causesFromStringToSign(server, ours) {
  const causes = [];
  const add = (id, title, detail) => causes.push({ id, title, detail });
  if (server.datetime !== ours.datetime) {
    add('signing-time', 'The signing time differs', `The server read X-Amz-Date ${server.datetime}; you signed at ${ours.datetime}. The X-Amz-Date header or parameter sent is not the one signed.`);
  }
  if (server.region !== ours.region) add('region', 'The region in the scope differs', `The server used '${server.region}', you '${ours.region}'.`);
  if (server.service !== ours.service) add('service', 'The service in the scope differs', `The server used '${server.service}', you '${ours.service}'.`);
  if (server.date !== ours.date && server.datetime === ours.datetime) add('scope-date', 'The scope date differs', `The server used ${server.date}, you ${ours.date}.`);
  return causes;
}

/** Messages and codes of a signature that does not match. */
const SIGNATURE_MISMATCH = /signature we calculated does not match|SignatureDoesNotMatch|InvalidSignatureException|\bInvalidSignature\b/;

/**
 * Compares a parsed error (parseAwsError) with our signing (`{ canonicalRequest,
 * stringToSign, s3 }`, or null when nothing was signed; `s3`: whether the S3 rules were
 * used). `context` (optional): `{ status, requestSigned }` of the response that carried the
 * error, when the page sent it. Returns `{ causes, canonicalRows,
 * stringToSignRows, identical }`: the likely causes, most specific first, and side-by-side
 * rows (left: the server's, right: ours).
 */
export function diagnose(error, ours, context = {}) {
  const causes = causesFromMessage(error, context);
  let canonicalRows;
  let stringToSignRows;
  let identical = false;
  const serverCanonical = parseCanonicalRequest(error.canonicalRequest);
  const ourCanonical = ours ? parseCanonicalRequest(ours.canonicalRequest) : null;
  const unreadable = error.canonicalRequest !== undefined && serverCanonical === null;
  if (error.canonicalRequest !== undefined && ours && !unreadable) {
    canonicalRows = sideBySide(error.canonicalRequest.split('\n'), ours.canonicalRequest.split('\n')).map((row) => {
      if (row.kind !== 'changed') return row;
      if (sameValue(row.left, row.right)) return { ...row, kind: 'same' };
      const explanation = explainDifference(row.left, row.right);
      return explanation ? { ...row, explanation } : row;
    });
  }
  const serverSts = parseStringToSign(error.stringToSign);
  if (error.stringToSign !== undefined && ours && serverSts) {
    stringToSignRows = sideBySide(error.stringToSign.split('\n'), ours.stringToSign.split('\n'));
  }
  const fromCanonical = serverCanonical && ourCanonical ? causesFromCanonical(serverCanonical, ourCanonical, ours.s3) : [];
  causes.unshift(...fromCanonical);
  const ourSts = ours ? parseStringToSign(ours.stringToSign) : null;
  if (serverSts && ourSts) {
    for (const cause of causesFromStringToSign(serverSts, ourSts)) if (!causes.some((c) => c.id === cause.id)) causes.push(cause);
  }
  const canonicalSame = canonicalRows ? canonicalRows.every((row) => row.kind === 'same') : false;
  const stsSame = stringToSignRows ? stringToSignRows.every((row) => row.kind === 'same') : false;
  if (unreadable) {
    // Its line breaks lost, cut short, or not a canonical request at all: a line diff against it would mislead.
    causes.unshift({
      id: 'unreadable',
      title: 'The canonical request in the error could not be read',
      detail: 'It does not have the six parts of a canonical request (method, path, query, headers, signed headers, body hash): it was cut short or lost its line breaks in a log or a copy. Paste the raw response body (Send puts it here by itself).',
    });
  } else if (canonicalSame && (stsSame || !stringToSignRows) && causes.length === 0) {
    identical = true;
    causes.push({
      id: 'secret',
      title: 'Everything matches but the key: check the secret access key',
      detail: 'Your canonical request and string to sign are exactly the server\'s, so only the signing key differs: the secret access key is wrong (a copied space, a swapped or rotated key), or belongs to another access key id.',
    });
  } else if (canonicalRows && !canonicalSame && fromCanonical.length === 0) {
    const named = canonicalRows.filter((row) => row.explanation).map((row) => `'${row.right.length > 40 ? `${row.right.slice(0, 40)}…` : row.right}': ${row.explanation}`);
    causes.push({
      id: 'invisible',
      title: named.length ? 'The canonical requests differ in characters you cannot see' : 'The canonical requests differ in a way not named above',
      detail: named.length
        ? `${named.join(' ')} Copying through a chat, a document or a terminal adds or changes such characters: retype the value, or copy it from the raw source.`
        : 'Compare the lines marked below: look for trailing spaces, line endings, letter case and non-ASCII characters.',
    });
  } else if (error.canonicalRequest !== undefined && !ours) {
    causes.push({ id: 'sign-first', title: 'Sign the request here to compare', detail: 'Fill in the request as you sent it and sign it; the debugger then compares the two canonical requests line by line.' });
  }
  if (causes.length === 0 && error.canonicalRequest === undefined && SIGNATURE_MISMATCH.test(`${error.message || ''} ${error.code || ''}`)) {
    causes.push({
      id: 'signature-mismatch',
      title: 'The signature does not match, and the service did not say why',
      detail: 'This service (S3 without <CanonicalRequest>, STS, IAM, Lambda, an SDK\'s log) gives no canonical request to compare. The usual causes, most common first: the secret access key (a space copied with it, or the secret of another key), the access key id and session token from different sets, the region or service in the scope, the path or query encoded differently from what was sent, a header changed or added after signing, the body changed after signing. The checks below run on the request signed here.',
    });
  }
  if (causes.length === 0 && context.status !== undefined && context.status !== 401 && context.status !== 403) {
    causes.push({
      id: 'not-signing',
      title: `Not a signature error: HTTP ${context.status} from the API itself`,
      detail: `Signing errors are 403 (or 400 from some services, with a message about the signature). This ${context.status} means the signature was accepted${context.requestSigned ? '' : ' (or not needed)'} and the API answered the request itself: read its message${error.message ? ` ("${error.message.length > 120 ? `${error.message.slice(0, 120)}…` : error.message}")` : ''}.`,
    });
  }
  if (causes.length === 0) {
    causes.push({ id: 'unknown', title: 'No known cause recognized', detail: error.message ? `The service said: ${error.message}` : 'Paste the whole error body the service returned.' });
  }
  return { causes, canonicalRows, stringToSignRows, identical };
}

/** Headers that proxies, CDNs, HTTP clients or the browser add, drop or rewrite on the way: signing them is fragile. */
const FRAGILE_HEADERS = /^(x-forwarded-.*|forwarded|via|user-agent|accept|accept-encoding|accept-language|connection|content-length|transfer-encoding|expect|te|date|origin|referer|cookie|x-amzn-trace-id|x-real-ip|cf-.*|cache-control|pragma)$/;

/**
 * The checks the page runs itself when a service says only that the signature does not
 * match. `facts` (none of them secret): `{ accessKeyId, hasSessionToken, secretEdgeWhitespace,
 * secretLooksLikeKeyId, signedAt (X-Amz-Date), serverDate (the response's Date header, if
 * readable), now (ms, default Date.now()), presigned, host, inferred: { region, service },
 * region, service, pathChanged, sentPath, signedHeaders }`. Returns `[{ id, status: 'ok' |
 * 'warn' | 'info', text }]`.
 */
export function signatureChecklist(facts) {
  const items = [];
  const add = (id, status, text) => items.push({ id, status, text });
  add('secret-whitespace', facts.secretEdgeWhitespace ? 'warn' : 'ok', facts.secretEdgeWhitespace
    ? 'The secret access key starts or ends with a space, tab or line break: AWS secrets have none. It was copied with it; remove it.'
    : 'The secret access key has no space or line break at either end.');
  if (facts.secretLooksLikeKeyId) {
    add('secret-shape', 'warn', 'The secret access key looks like an access key id (AKIA…/ASIA…): the two fields are swapped, or the id was pasted twice.');
  }
  const id = facts.accessKeyId || '';
  if (/^AKIA/.test(id) && facts.hasSessionToken) {
    add('key-token-pair', 'warn', `${id.slice(0, 4)}… is a long-term access key, sent here with a session token: the token belongs to other (temporary) credentials. Remove it, or use the ASIA… key it came with.`);
  } else if (/^ASIA/.test(id) && !facts.hasSessionToken) {
    add('key-token-pair', 'warn', 'ASIA… is a temporary access key: it is valid only with the session token that came with it (and with its own secret).');
  } else if (/^ASIA/.test(id)) {
    add('key-token-pair', 'info', 'Temporary credentials: the access key id, the secret and the session token must come from the same response (STS, Cognito, SSO); each refresh changes all three.');
  } else {
    add('key-token-pair', 'ok', id ? 'A long-term key without a session token.' : 'No access key id to check.');
  }
  const signedAt = amzTime(facts.signedAt);
  const serverTime = Date.parse(facts.serverDate || '');
  if (Number.isFinite(signedAt) && Number.isFinite(serverTime)) {
    const offset = signedAt - serverTime; // > 0: signed in the server's future
    const limit = 5 * 60 * 1000;
    const late = facts.presigned ? offset > limit : Math.abs(offset) > limit;
    add('clock', late ? 'warn' : 'ok', `Signed at ${facts.signedAt}; the server's Date header says ${new Date(serverTime).toISOString().replace(/\.\d{3}/, '')}: ${duration(offset)} ${offset > 0 ? 'ahead of' : 'behind'} it.${late ? ' Past the 5 minutes API Gateway allows (S3 allows 15): sync the clock and sign just before sending.' : ''}`);
  } else if (Number.isFinite(signedAt)) {
    const now = facts.now === undefined ? Date.now() : facts.now;
    const offset = signedAt - now;
    add('clock', Math.abs(offset) > 5 * 60 * 1000 && !facts.presigned ? 'warn' : 'info', `Signed at ${facts.signedAt}, ${duration(offset)} ${offset > 0 ? 'ahead of' : 'behind'} this computer's clock. The server's Date header could not be read (a cross-origin answer hides it unless CORS exposes it): compare this computer's clock with an accurate one.`);
  }
  const mismatched = [];
  if (facts.inferred && facts.inferred.region && facts.region && facts.inferred.region !== facts.region) mismatched.push(`region ${facts.region}, but the host names ${facts.inferred.region}`);
  if (facts.inferred && facts.inferred.service && facts.service && facts.inferred.service !== facts.service) mismatched.push(`service ${facts.service}, but the host implies ${facts.inferred.service}`);
  if (mismatched.length) {
    add('scope-host', 'warn', `Signed for ${mismatched.join('; ')} (${facts.host}).`);
  } else if (facts.inferred && (facts.inferred.region || facts.inferred.service)) {
    add('scope-host', 'ok', `Region ${facts.region} and service ${facts.service} agree with the host ${facts.host}.`);
  } else {
    add('scope-host', 'info', `The host ${facts.host || '(none)'} names no region or service (a custom domain or a local server): check them against the API's own (execute-api for API Gateway, lambda for function URLs, es for OpenSearch, appsync for AppSync, s3, sts, iam).`);
  }
  add('path-encoding', facts.pathChanged ? 'warn' : 'ok', facts.pathChanged
    ? `The URL as typed has characters that are percent-encoded on the way (a space, a non-ASCII letter, a quote): it is sent as ${facts.sentPath || 'its encoded form'}. The page signs that form; another signer given the typed form fails.`
    : 'The path and query are sent exactly as signed.');
  const fragile = (facts.signedHeaders || []).filter((name) => FRAGILE_HEADERS.test(name));
  add('added-headers', fragile.length ? 'warn' : 'ok', fragile.length
    ? `Signed headers that a browser, proxy, CDN or HTTP client sets or rewrites on the way: ${fragile.join(', ')}. Sign only host, x-amz-* and the headers you set yourself.`
    : `Signed headers: ${(facts.signedHeaders || []).join(', ') || '(none)'}; none of them is one that a browser or proxy rewrites.`);
  return items;
}
