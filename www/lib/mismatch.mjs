// The mismatch debugger: reads the error a service returned (API Gateway's JSON with "The
// Canonical String for this request should have been", S3's XML with <CanonicalRequest> and
// <StringToSignBytes>, or just the message), compares the server's canonical request and
// string to sign with ours, and names the likely cause.

import { sideBySide } from './diff.mjs';

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

function xmlElement(xml, name) {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match ? xmlText(match[1]) : undefined;
}

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
  if (Array.isArray(value.errors) && value.errors[0] && typeof value.errors[0].code === 'string') return value.errors[0].code;
  return undefined;
}

/**
 * Reads a pasted error body. Returns `{ format, code, message, canonicalRequest,
 * stringToSign, details, notes }`: `format` is 'api-gateway', 's3' or 'text'; the parts
 * the body did not carry are undefined.
 */
export function parseAwsError(input) {
  const text = String(input || '').replace(/^\uFEFF/, '').trim();
  const result = { format: 'text', code: undefined, message: text, canonicalRequest: undefined, stringToSign: undefined, details: {}, notes: [] };
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
    for (const name of ['RequestTime', 'ServerTime', 'MaxAllowedSkewMilliseconds', 'Expires', 'HeadersNotSigned', 'Region', 'AWSAccessKeyId', 'SignatureProvided']) {
      const value = xmlElement(text, name);
      if (value !== undefined) result.details[name] = value;
    }
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
  return result;
}

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

/** Causes read from the message alone (no canonical request needed). */
function causesFromMessage(error) {
  const causes = [];
  const message = error.message || '';
  const code = error.code || '';
  const add = (id, title, detail) => causes.push({ id, title, detail });
  let m;
  if (/Missing Authentication Token/i.test(message) || code === 'MissingAuthenticationTokenException') {
    add('not-signed', 'The request was not signed',
      'The service saw no Authorization header and no X-Amz-Algorithm query parameter. API Gateway gives the same answer for a path or method the API does not have: check the stage, the resource path and the method too.');
  }
  if (/security token included in the request is invalid/i.test(message) || code === 'UnrecognizedClientException' || code === 'InvalidAccessKeyId') {
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
  if (/Request has expired/i.test(message)) {
    add('expired', 'The presigned URL has expired',
      'Its X-Amz-Date plus X-Amz-Expires is in the past on the server\'s clock. Presign again, with a longer expiry if needed (at most 604800 seconds, and no longer than the credentials last).');
  }
  if ((m = /Credential should be scoped to a valid region, not '([^']*)'/.exec(message)) || (m = /the region '([^']*)' is wrong; expecting '([^']*)'/.exec(message))) {
    add('region', 'Wrong region in the credential scope',
      `The request was signed for '${m[1]}'${m[2] ? `, and the service expects '${m[2]}'` : ''}. Sign with the region of the endpoint.`);
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
function causesFromCanonical(server, ours) {
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
        `The service canonicalized the path as ${quote(server.path)}, you as ${quote(ours.path)}. S3 encodes the path once: sign with the S3 rules (s3: true, or pathEncoding: 'single').`);
    } else if (decodedServer === ours.path) {
      add('path-encoding', 'Path encoding: the service encodes the path twice, you once',
        `The service canonicalized the path as ${quote(server.path)}, you as ${quote(ours.path)}. Services other than S3 encode the already-encoded path once more: sign with the default rules, not S3's.`);
    } else if (normalizePath(server.path) === normalizePath(ours.path)) {
      add('path-normalization', 'Path normalization differs',
        `The service canonicalized the path as ${quote(server.path)}, you as ${quote(ours.path)}: one side removed '.', '..' or '//' segments. S3 keeps them (normalizePath: false); other services remove them.`);
    } else {
      add('path', 'The path differs',
        `The server saw ${quote(server.path)}; you signed ${quote(ours.path)}. The request went to another path than the one signed (a stage or base-path prefix? a proxy rewriting the URL?), or a character is encoded differently.`);
    }
  }
  if (server.query !== ours.query) {
    const serverParams = queryParams(server.query);
    const ourParams = queryParams(ours.query);
    const plusForm = (q) => q.replace(/%20|\+|%2B/g, ' ');
    if (plusForm(server.query) === plusForm(ours.query)) {
      add('query-encoding', 'A space or + in the query is encoded differently',
        `The service canonicalized the query as ${quote(server.query)}, you as ${quote(ours.query)}. Send a space as %20 and a plus as %2B; a raw '+' means a plus to AWS, a space to form decoders (queryPlus).`);
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
        `You signed host ${quote(ourValue)}; the server received ${quote(serverValue)}. A port (included unless it is the default), a proxy or an SSH tunnel changes it: sign the host the service sees (hostOverride).`);
    } else {
      add('header-changed', `Header '${name}' changed after signing`,
        `It was signed as ${quote(ourValue)} but the server received ${quote(serverValue)}: it was edited after signing, or rewritten by a proxy, the browser or the HTTP client (a charset added to Content-Type, a date regenerated).`);
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

/**
 * Compares a parsed error (parseAwsError) with our signing (`{ canonicalRequest,
 * stringToSign }`, or null when nothing was signed). Returns `{ causes, canonicalRows,
 * stringToSignRows, identical }`: the likely causes, most specific first, and side-by-side
 * rows (left: the server's, right: ours).
 */
export function diagnose(error, ours) {
  const causes = causesFromMessage(error);
  let canonicalRows;
  let stringToSignRows;
  let identical = false;
  const serverCanonical = parseCanonicalRequest(error.canonicalRequest);
  const ourCanonical = ours ? parseCanonicalRequest(ours.canonicalRequest) : null;
  if (error.canonicalRequest !== undefined && ours) {
    canonicalRows = sideBySide(error.canonicalRequest.split('\n'), ours.canonicalRequest.split('\n')).map((row) =>
      row.kind === 'changed' && sameValue(row.left, row.right) ? { ...row, kind: 'same' } : row);
  }
  if (error.stringToSign !== undefined && ours) {
    stringToSignRows = sideBySide(error.stringToSign.split('\n'), ours.stringToSign.split('\n'));
  }
  const fromCanonical = serverCanonical && ourCanonical ? causesFromCanonical(serverCanonical, ourCanonical) : [];
  causes.unshift(...fromCanonical);
  const serverSts = parseStringToSign(error.stringToSign);
  const ourSts = ours ? parseStringToSign(ours.stringToSign) : null;
  if (serverSts && ourSts) {
    for (const cause of causesFromStringToSign(serverSts, ourSts)) if (!causes.some((c) => c.id === cause.id)) causes.push(cause);
  }
  const canonicalSame = canonicalRows ? canonicalRows.every((row) => row.kind === 'same') : false;
  const stsSame = stringToSignRows ? stringToSignRows.every((row) => row.kind === 'same') : false;
  if (canonicalSame && (stsSame || !stringToSignRows) && causes.length === 0) {
    identical = true;
    causes.push({
      id: 'secret',
      title: 'Everything matches but the key: check the secret access key',
      detail: 'Your canonical request and string to sign are exactly the server\'s, so only the signing key differs: the secret access key is wrong (a copied space, a swapped or rotated key), or belongs to another access key id.',
    });
  } else if (canonicalRows && !canonicalSame && fromCanonical.length === 0) {
    causes.push({
      id: 'invisible',
      title: 'The canonical requests differ in a way not named above',
      detail: 'Compare the lines marked below: look for trailing spaces, line endings, letter case and non-ASCII characters.',
    });
  } else if (error.canonicalRequest !== undefined && !ours) {
    causes.push({ id: 'sign-first', title: 'Sign the request here to compare', detail: 'Fill in the request as you sent it and sign it; the debugger then compares the two canonical requests line by line.' });
  } else if (serverCanonical === null && error.canonicalRequest !== undefined) {
    causes.push({ id: 'unreadable', title: 'The canonical request in the error could not be read', detail: 'It does not have the six parts of a canonical request; paste the raw response body.' });
  }
  if (causes.length === 0) {
    causes.push({ id: 'unknown', title: 'No known cause recognized', detail: error.message ? `The service said: ${error.message}` : 'Paste the whole error body the service returned.' });
  }
  return { causes, canonicalRows, stringToSignRows, identical };
}
