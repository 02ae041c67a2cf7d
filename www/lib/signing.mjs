// From the playground's form to the signing steps, as the core computes them. The package's
// API is passed in (`api`), so this runs the same in the page and in Node's tests.

/** Headers fetch() refuses to set (Fetch standard, "forbidden request-header"): signing them breaks the signature in a browser. */
const FORBIDDEN = [
  'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
  'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
  'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
];

/** True for a header a browser's fetch() will not send as given. */
export function browserRefuses(name) {
  const lower = name.toLowerCase();
  return FORBIDDEN.includes(lower) || lower.startsWith('proxy-') || lower.startsWith('sec-');
}

/**
 * "Name: value" lines as [name, value] pairs. Blank lines and lines starting with '#' are
 * skipped; other lines without a colon are reported in `errors` (with their line number).
 */
export function parseHeaderLines(text) {
  const headers = [];
  const errors = [];
  String(text || '').split(/\r?\n/).forEach((line, index) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      errors.push(`line ${index + 1} of the headers is not "Name: value": ${JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line)}`);
      return;
    }
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  });
  return { headers, errors };
}

/** [name, value] pairs as "Name: value" lines. */
export function formatHeaderLines(headers) {
  return headers.map(([name, value]) => `${name}: ${value}`).join('\n');
}

/** The host of an absolute URL as it is signed (with a non-default port), or ''. */
export function hostOf(url) {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(String(url || '').trim());
  return match ? match[1] : '';
}

/** `text` with every appearance of the session token (raw or percent-encoded) replaced, for display. */
export function redactToken(text, token) {
  if (!token || !text) return text;
  let out = text.split(token).join('** redacted **');
  const encoded = encodeURIComponent(token);
  if (encoded !== token) out = out.split(encoded).join('** redacted **');
  return out;
}

/**
 * The URL as a browser's fetch() sends it (WHATWG URL parsing: a raw space, a non-ASCII
 * letter, a quote percent-encoded; '.' and '..' segments resolved; the fragment dropped), or
 * the text as it is when it is not an absolute URL (the signer then says what is wrong).
 */
export function sendableUrl(url) {
  const text = String(url || '').trim();
  try {
    const parsed = new URL(text);
    if (!/^https?:$/.test(parsed.protocol)) return text;
    parsed.hash = '';
    return parsed.href;
  } catch {
    return text;
  }
}

/** The path and query of an absolute URL as written ('/' when there is no path). */
function pathAndQuery(url) {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(url);
  return match ? match[1] || '/' : '';
}

/** Prefixes of AWS access key ids (IAM's unique id prefixes). */
const KEY_ID_SHAPE = /^(AKIA|ASIA|AIDA|AROA|AGPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{12,}$/;

/** Warnings about the credentials as typed; they never quote the secret. */
function credentialWarnings(form) {
  const warnings = [];
  const secret = form.secretAccessKey || '';
  const id = (form.accessKeyId || '').trim();
  const token = (form.sessionToken || '').trim();
  if (secret && secret !== secret.trim()) {
    warnings.push(`The secret access key ${/^\s/.test(secret) ? 'starts' : 'ends'} with a space, tab or line break: it is signed with it, and AWS secrets have none. Remove it unless you mean to test exactly that.`);
  }
  if (KEY_ID_SHAPE.test(secret.trim())) warnings.push('The secret access key looks like an access key id (AKIA…/ASIA…): are the two fields swapped?');
  if (/^ASIA/.test(id) && !token) warnings.push('ASIA… is a temporary access key: it needs the session token it came with.');
  if (/^AKIA/.test(id) && token) warnings.push('AKIA… is a long-term access key, but a session token is filled in: the token belongs to other (temporary) credentials.');
  return warnings;
}

/** Headers the signer signs whatever the list says. */
const ALWAYS_SIGNED = ['host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'];

/** The "Signed headers" field ("host;x-amz-date", commas or spaces also) as lowercase names; [] when blank (every header given is signed). */
export function signedHeaderList(text) {
  return String(text || '').toLowerCase().split(/[;,\s]+/).filter(Boolean);
}

/** The region and service the form names or the URL's host implies: `{ region, service, inferred }`. */
export function scopeOf(api, form) {
  let inferred = {};
  try {
    inferred = api.inferScope(hostOf(form.url)) || {};
  } catch {
    inferred = {};
  }
  return {
    region: (form.region || '').trim() || inferred.region || '',
    service: (form.service || '').trim() || inferred.service || '',
    inferred,
  };
}

/**
 * The arguments of sign() or presign() from the form. `form` holds strings and booleans:
 * method, url, headers (text), body, accessKeyId, secretAccessKey, sessionToken, region,
 * service, location ('headers' | 'query'), expiresIn, datetime, s3, unsignedPayload,
 * unencodedPath.
 */
export function signingInput(api, form) {
  const parsed = parseHeaderLines(form.headers);
  const scope = scopeOf(api, form);
  // Sign the URL the browser will send: an unencoded S3 key is encoded by the signer itself.
  const typed = (form.url || '').trim();
  const request = { method: (form.method || 'GET').trim(), url: form.unencodedPath ? typed : sendableUrl(typed), headers: parsed.headers };
  if (form.body) request.body = form.body;
  const options = {
    accessKeyId: (form.accessKeyId || '').trim(),
    secretAccessKey: form.secretAccessKey || '',
  };
  if (form.sessionToken && form.sessionToken.trim()) options.sessionToken = form.sessionToken.trim();
  if (scope.region) options.region = scope.region;
  if (scope.service) options.service = scope.service;
  if (form.datetime && form.datetime.trim()) options.datetime = form.datetime.trim();
  if (form.s3) options.s3 = true;
  if (form.unsignedPayload) options.unsignedPayload = true;
  if (form.unencodedPath) options.pathInput = 'unencoded';
  const signedList = signedHeaderList(form.signedHeaders);
  if (signedList.length) {
    // Exactly these: the headers given but not listed are left out, the listed ones signed even where the signer would not by default (user-agent).
    const present = parsed.headers.map(([name]) => name.toLowerCase());
    options.signHeaders = signedList.filter((name) => present.includes(name));
    options.unsignedHeaders = [...new Set(present.filter((name) => !signedList.includes(name) && !ALWAYS_SIGNED.includes(name)))];
  }
  const presigning = form.location === 'query';
  if (presigning) {
    const text = String(form.expiresIn === undefined || form.expiresIn === '' ? '3600' : form.expiresIn).trim();
    options.expiresIn = /^\d+$/.test(text) ? Number(text) : NaN;
  }
  return { request, options, presigning, scope, typedUrl: typed, headerErrors: parsed.errors };
}

/** The key derivation as text: each HMAC step, with its hex output on the next line. */
function derivationText(key, signed) {
  const date = signed.datetime.slice(0, 8);
  return [
    `kDate    = HMAC("AWS4" + secret access key, "${date}")`,
    `           ${key.kDate}`,
    `kRegion  = HMAC(kDate, "${signed.region}")`,
    `           ${key.kRegion}`,
    `kService = HMAC(kRegion, "${signed.service}")`,
    `           ${key.kService}`,
    'kSigning = HMAC(kService, "aws4_request")',
    `           ${key.kSigning}`,
  ].join('\n');
}

/**
 * Signs the form's request and returns every step:
 * `{ ok: true, signed, presigning, steps: [{ id, title, text }], send, ours, warnings }`, or
 * `{ ok: false, error: { code, message, field } }`. Step texts and `ours` (the canonical
 * request and string to sign for the debugger) have the session token redacted; `send` (what
 * fetch() sends) has it as it must be sent.
 */
export function signSteps(api, form) {
  const input = signingInput(api, form);
  if (input.headerErrors.length) return { ok: false, error: { code: 'INVALID_HEADERS', message: input.headerErrors.join('; '), field: 'headers' } };
  if (!input.request.url) return { ok: false, error: { code: 'INVALID_URL', message: 'Enter the URL to sign.', field: 'url' } };
  let signed;
  let key;
  try {
    signed = input.presigning ? api.presign(input.request, input.options) : api.sign(input.request, input.options);
    key = api.signingKeyDerivation({
      secretAccessKey: input.options.secretAccessKey,
      date: signed.datetime.slice(0, 8),
      region: signed.region,
      service: signed.service,
    });
  } catch (error) {
    return { ok: false, error: { code: error.code || error.name, message: error.message, field: fieldFor(error.code) } };
  }
  const token = input.options.sessionToken;
  const canonicalHash = signed.stringToSign.split('\n')[3];
  const sendHeaders = Object.entries(signed.headers).filter(([name]) => name.toLowerCase() !== 'host');
  const steps = [
    { id: 'canonical-request', title: 'Canonical request', text: signed.canonicalRequest },
    { id: 'canonical-request-hash', title: 'Hash of the canonical request (SHA-256)', text: canonicalHash },
    { id: 'string-to-sign', title: 'String to sign', text: signed.stringToSign },
    { id: 'signing-key', title: 'Signing key derivation (HMAC-SHA256, hex)', text: derivationText(key, signed) },
    { id: 'signature', title: 'Signature = HMAC(kSigning, string to sign)', text: signed.signature },
    input.presigning
      ? { id: 'result', title: `Presigned URL (valid ${signed.expiresIn} s from ${signed.datetime})`, text: signed.url }
      : { id: 'result', title: 'Headers to send', text: formatHeaderLines(Object.entries(signed.headers)) },
  ].map((step) => ({ ...step, text: redactToken(step.text, token) }));
  const warnings = credentialWarnings(form);
  const s3Rules = !!input.options.s3 || input.scope.service === 's3';
  const typedPath = pathAndQuery(input.typedUrl);
  const sentPath = pathAndQuery(input.request.url);
  if (!form.unencodedPath && typedPath && sentPath && typedPath !== sentPath) {
    warnings.push(`Signed as the browser sends it, ${sentPath}: fetch() percent-encodes a raw space, non-ASCII letters and some other characters before sending (the URL field keeps what you typed).`);
  }
  if (s3Rules && !form.unencodedPath && sentPath.split('?')[0].includes('+')) {
    warnings.push("S3 reads a raw '+' in the path as a space: this signs (and S3 stores) the key with a space, not re-encoded here. For a key with a plus, write %2B, or tick \"The path is an unencoded S3 key\".");
  }
  const refused = signed.signedHeaders.split(';').filter((name) => browserRefuses(name) && name !== 'host');
  if (refused.length) warnings.push(`A browser's fetch() will not send the signed header${refused.length > 1 ? 's' : ''} ${refused.join(', ')}: the signature fails when sent from this page (it works from curl).`);
  const hostHeader = input.request.headers.find(([name]) => name.toLowerCase() === 'host');
  if (hostHeader && hostHeader[1] !== hostOf(input.request.url)) warnings.push(`You signed host ${hostHeader[1]}, but a browser sends the URL's host (${hostOf(input.request.url)}).`);
  const listed = signedHeaderList(form.signedHeaders);
  const notSigned = listed.filter((name) => !signed.signedHeaders.split(';').includes(name));
  if (notSigned.length) warnings.push(`"Signed headers" lists ${notSigned.join(', ')}, but the headers above do not have ${notSigned.length > 1 ? 'them' : 'it'}: add ${notSigned.length > 1 ? 'them' : 'it'} under Headers with the value sent.`);
  if (/^(GET|HEAD)$/i.test(signed.method) && form.body) warnings.push(`fetch() cannot send a body with ${signed.method}: remove the body or change the method.`);
  return {
    ok: true,
    signed,
    presigning: input.presigning,
    scope: input.scope,
    steps,
    send: { method: signed.method, url: signed.url, headers: sendHeaders, body: form.body || '' },
    ours: { canonicalRequest: redactToken(signed.canonicalRequest, token), stringToSign: signed.stringToSign, s3: s3Rules },
    sentPath,
    pathChanged: !form.unencodedPath && !!typedPath && typedPath !== sentPath,
    warnings,
  };
}

/**
 * What the mismatch debugger's checklist needs (mismatch.mjs signatureChecklist), from the
 * form and its signSteps() result: facts about the secret, never the secret.
 */
export function checklistFacts(form, result, response = {}) {
  const secret = form.secretAccessKey || '';
  const { signed } = result;
  return {
    accessKeyId: signed.accessKeyId || (form.accessKeyId || '').trim(),
    hasSessionToken: !!(form.sessionToken || '').trim(),
    secretEdgeWhitespace: secret !== secret.trim(),
    secretLooksLikeKeyId: KEY_ID_SHAPE.test(secret.trim()),
    signedAt: signed.datetime,
    serverDate: response.date,
    presigned: result.presigning,
    host: hostOf(signed.url),
    inferred: result.scope.inferred || {},
    region: signed.region,
    service: signed.service,
    s3: result.ours.s3,
    pathChanged: result.pathChanged,
    sentPath: result.sentPath,
    signedHeaders: signed.signedHeaders.split(';').filter(Boolean),
  };
}

/** The form field an error code points at, for focusing it. */
export function fieldFor(code) {
  return {
    INVALID_URL: 'url', MISSING_HOST: 'url', INVALID_METHOD: 'method', INVALID_HEADER_NAME: 'headers', INVALID_HEADER_VALUE: 'headers',
    CONFLICTING_HEADER: 'headers', CONFLICTING_QUERY_PARAMETER: 'url', ALREADY_SIGNED: 'headers',
    MISSING_ACCESS_KEY_ID: 'accessKeyId', INVALID_ACCESS_KEY_ID: 'accessKeyId', MISSING_SECRET_ACCESS_KEY: 'secretAccessKey',
    INVALID_SESSION_TOKEN: 'sessionToken', MISSING_REGION: 'region', INVALID_REGION: 'region', MISSING_SERVICE: 'service',
    INVALID_SERVICE: 'service', INVALID_DATE: 'datetime', EXPIRES_OUT_OF_RANGE: 'expiresIn',
  }[code];
}
