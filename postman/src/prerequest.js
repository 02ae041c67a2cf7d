// sigv4-wasm for Postman: signs each request with AWS Signature Version 4.
// Scripts > Pre-request of a collection or folder, below the signer library (postman/sigv4.postman.js
// pasted, pm.require'd, or in the variable sigv4_lib) and, where needed, src/credentials.js and
// src/vault.js. Credentials: aws_access_key_id, aws_secret_access_key, aws_session_token, or a
// function sigv4_credentials(done) above. Every variable (NAME@Folder wins): postman/README.md.
(function () { // its body not indented: 0.9 KB of the paste's 100 KB
'use strict';
var sdk = require('postman-collection');
var Buffer = require('buffer').Buffer;
var request = pm.request;

// What Postman sends without its help: postman-runtime drops these methods' bodies (unless
// the request's "disable body pruning" setting is on, which a script cannot see).
var METHODS_WITHOUT_BODY = { GET: true, COPY: true, HEAD: true, PURGE: true, UNLOCK: true };
// Never signed unless listed in sigv4_sign_headers: Postman's cookie jar may append to
// Cookie, and Content-Length is only final once Postman has built the body. (User-Agent,
// Connection, Expect and the other hop-by-hop headers the signer leaves out itself.)
var UNSIGNED_BY_DEFAULT = ['content-length', 'cookie'];

// Thrown by stop() inside a callback (a pm.sendRequest's), where a thrown Error would be an
// uncaught exception (the current sandbox ends the whole run on it): later() catches it.
var STOPPED = { stopped: true };
var inCallback = false;

/** Stops: the message goes to the console and the test results, and the request is not sent. */
function stop(message) {
  var text = 'sigv4: ' + message;
  console.error(text);
  pm.test('sigv4: the request is signed', function () {
    throw new Error(text);
  });
  if (pm.execution && typeof pm.execution.skipRequest === 'function') pm.execution.skipRequest();
  if (inCallback) throw STOPPED;
  throw new Error(text); // where skipRequest is missing (older Postman), a script error stops the run's request
}
/** fn as a callback: a stop inside it ends there; any other error stops the request with its message. */
function later(fn) {
  return function () {
    inCallback = true;
    try {
      fn.apply(null, arguments);
    } catch (error) {
      if (error === STOPPED) return;
      try {
        stop('unexpected error: ' + (error && error.message ? error.message : String(error)));
      } catch (ignored) { /* stopped */ }
    }
  };
}

// Where the request sits: [collection, folder..., request] (pm.execution.location), innermost first.
var places = (pm.execution && pm.execution.location && typeof pm.execution.location.length === 'number'
  ? Array.prototype.slice.call(pm.execution.location, 1) : [pm.info.requestName]).reverse();

/** The variable NAME@place for the innermost folder or request that has one, else NAME. */
function lookup(name) {
  for (var i = 0; i < places.length; i++) {
    var own = pm.variables.get(name + '@' + places[i]);
    if (own !== undefined && own !== null && own !== '') return { value: own, name: name + '@' + places[i] };
  }
  return { value: pm.variables.get(name), name: name };
}
/** A variable's value ('' when unset), with {{variables}} inside it resolved. */
function setting(name) {
  var value = lookup(name).value;
  if (value === undefined || value === null) return '';
  value = String(value);
  if (value.indexOf('{{') !== -1) value = pm.variables.replaceIn(value);
  return value.trim();
}
function flag(name) {
  return /^(true|1|yes|on)$/i.test(setting(name));
}
function list(name) {
  return setting(name).split(',').map(function (h) { return h.trim().toLowerCase(); }).filter(Boolean);
}
function resolve(text) {
  return typeof text === 'string' && text.indexOf('{{') !== -1 ? pm.variables.replaceIn(text) : text;
}

// ---- The signer library
function loadSigner() {
  if (typeof sigv4 === 'object' && sigv4 && typeof sigv4.sign === 'function') return sigv4; // pasted or pm.require'd above
  var code = pm.variables.get('sigv4_lib');
  if (code) {
    var lib;
    try {
      lib = new Function(code + '\nreturn typeof sigv4 === "undefined" ? undefined : sigv4;')();
    } catch (error) {
      // A truncated or wrong paste: say so, and do not let Postman send the request unsigned.
      lib = error;
    }
    if (lib && typeof lib.sign === 'function' && typeof lib.inferScope === 'function') return lib;
    stop('the variable sigv4_lib does not hold a working copy of postman/sigv4.postman.js' +
      (lib instanceof Error ? ' (' + lib.name + ': ' + lib.message + ')' : '') + ' (it holds ' + String(code).length +
      ' characters): paste the whole text of that file into it again (its SHA-256 is in postman/README.md)');
  }
  return stop('the signer library is not loaded: paste the text of postman/sigv4.postman.js above this script, ' +
    'or put it in the collection variable sigv4_lib, or load it from your Package Library with ' +
    '"var sigv4 = pm.require(\'@your-team/sigv4-wasm\');" above this script');
}

// ---- The URL as Postman sends it (postman-url-encoder 3, toNodeUrl)
// Postman percent-encodes the resolved URL with the WHATWG sets, keeping existing %XX
// escapes; the signer must see exactly those bytes.
function encodeSet(chars) {
  var set = {};
  for (var i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = true;
  return set;
}
var QUERY_SET = encodeSet(' "#\'<>');
var PATH_SET = encodeSet(' "<>`#?{}');
function isHex(byte) {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}
function percentEncode(text, set) {
  if (!text) return '';
  var bytes = Buffer.from(text, 'utf8'); // a lone surrogate becomes U+FFFD, as in the URL encoder
  var out = '';
  for (var i = 0; i < bytes.length; i++) {
    var byte = bytes[i];
    if (byte === 0x25 && i < bytes.length - 2 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out += '%' + String.fromCharCode(bytes[i + 1], bytes[i + 2]);
      i += 2;
    } else if (byte < 0x20 || byte >= 0x7f || set[byte]) {
      out += '%' + (byte < 16 ? '0' : '') + byte.toString(16).toUpperCase();
    } else {
      out += String.fromCharCode(byte);
    }
  }
  return out;
}
function asciiHost(hostname) {
  return /[^\x00-\x7f]/.test(hostname) ? require('punycode').toASCII(hostname) : hostname;
}
/** { url, host } as Postman sends them: the request target and the Host header. */
function wireOf(url) {
  var hostname = asciiHost(url.getHost().toLowerCase());
  var host = url.port === undefined || url.port === null ? hostname : hostname + ':' + String(url.port);
  var query;
  if (url.query && url.query.count()) {
    query = percentEncode(url.getQueryString({ ignoreDisabled: true }), QUERY_SET);
    if (query === '') query = url.query.find(function (p) { return !(p && p.disabled); }) ? '' : undefined;
  }
  var protocol = (url.protocol || 'http').toLowerCase();
  return {
    url: protocol + '://' + host + percentEncode(url.getPath(), PATH_SET) + (query === undefined ? '' : '?' + query),
    host: host,
  };
}
function findParam(url, name) {
  var found;
  if (url.query) {
    url.query.each(function (p) {
      if (p && !p.disabled && typeof p.key === 'string' && p.key.toLowerCase() === name) found = p;
    });
  }
  return found;
}

// ---- The body as Postman sends it
// urlencoded: postman-request's querystring.stringify of the params grouped by key, then
// RFC 3986 (everything but A-Z a-z 0-9 - . _ ~ is percent-encoded, UTF-8).
function formEscape(value) {
  return encodeURIComponent(value).replace(/[!'()*]/g, function (c) {
    return '%' + c.charCodeAt(0).toString(16).toUpperCase();
  });
}
function primitive(value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return '';
}
function urlencodedBody(params) {
  var form = {};
  params.forEach(function (p) {
    var key = p.key;
    var value = p.value;
    if (!Object.prototype.hasOwnProperty.call(form, key)) {
      form[key] = value;
      return;
    }
    if (!Array.isArray(form[key])) form[key] = [form[key]];
    form[key].push(value);
  });
  return Object.keys(form).map(function (key) {
    var value = form[key];
    var name = formEscape(primitive(key)) + '=';
    if (Array.isArray(value)) return value.map(function (v) { return name + formEscape(primitive(v)); }).join('&');
    return name + formEscape(primitive(value));
  }).join('&');
}
function graphqlBody(content) {
  if (content && typeof content.variables !== 'string') {
    return JSON.stringify({ query: content.query, operationName: content.operationName, variables: content.variables });
  }
  var parts = [];
  if (typeof content.query === 'string') parts.push('"query":' + JSON.stringify(content.query));
  if (typeof content.operationName === 'string') parts.push('"operationName":' + JSON.stringify(content.operationName));
  if (typeof content.variables === 'string' && content.variables !== '') parts.push('"variables":' + content.variables);
  return '{' + parts.join(',') + '}';
}
function enabledParams(propertyList) {
  var params = [];
  if (propertyList && typeof propertyList.each === 'function') {
    propertyList.each(function (p) {
      if (p && !p.disabled) params.push(p);
    });
  }
  return params;
}
/**
 * { text } for a body whose bytes are known here (resolved and written back, so Postman
 * sends what was hashed), { unhashable: why } for form-data and files, {} for none.
 */
function bodyOf(method) {
  var body = request.body;
  if (!body || body.disabled || METHODS_WITHOUT_BODY[method]) return {};
  if (body.mode === 'raw') {
    var raw = body.raw === undefined || body.raw === null ? '' : body.raw;
    if (typeof raw !== 'string') raw = JSON.stringify(raw);
    var text = resolve(raw);
    if (text !== body.raw) body.raw = text;
    return text === '' ? {} : { text: text };
  }
  if (body.mode === 'urlencoded') {
    var params = enabledParams(body.urlencoded);
    params.forEach(function (p) {
      var key = resolve(p.key);
      var value = resolve(p.value);
      if (key !== p.key) p.key = key;
      if (value !== p.value) p.value = value;
    });
    return params.length ? { text: urlencodedBody(params), form: true } : {};
  }
  if (body.mode === 'graphql') {
    var graphql = body.graphql || {};
    var resolved = {};
    Object.keys(graphql).forEach(function (key) {
      resolved[key] = resolve(graphql[key]);
    });
    body.graphql = resolved;
    return body.isEmpty() ? {} : { text: graphqlBody(resolved) };
  }
  if (body.mode === 'formdata') {
    return enabledParams(body.formdata).length ? { unhashable: 'form-data', multipart: true } : {};
  }
  if (body.mode === 'file') {
    var file = body.file || {};
    if (typeof file.content === 'string') return file.content === '' ? {} : { text: file.content };
    return file.src ? { unhashable: 'file' } : { noFile: true };
  }
  return {};
}

// ---- Credentials
/**
 * Calls next(credentials) with the credentials to sign with: the variables (read from the
 * vault by src/vault.js where they refer to it), or temporary ones that src/credentials.js
 * fetches with them (STS) or with sigv4_credentials, and caches.
 */
var FIELDS = { accessKeyId: 'aws_access_key_id', secretAccessKey: 'aws_secret_access_key', sessionToken: 'aws_session_token' };
var vaultNote = '';
function withCredentials(signer, next) {
  var longTerm = {};
  Object.keys(FIELDS).forEach(function (field) { longTerm[field] = setting(FIELDS[field]); });
  var reference = Object.keys(FIELDS).filter(function (field) { return longTerm[field].indexOf('{{vault:') !== -1; })[0];
  var unset = !longTerm.accessKeyId || !longTerm.secretAccessKey;
  if (!reference && !(unset && pm.vault)) return withLongTerm(signer, longTerm, next);
  if (typeof sigv4_vault !== 'function') { // eslint-disable-line no-undef
    var part = 'paste postman/src/vault.js between the signer library and this script';
    if (reference) stop(lookup(FIELDS[reference]).name + ' refers to the Postman Vault ({{vault:...}}), which needs the vault part of the script: ' + part);
    vaultNote = ' If they are in your Postman Vault, ' + part + '.';
    return withLongTerm(signer, longTerm, next);
  }
  return sigv4_vault({ // eslint-disable-line no-undef
    credentials: longTerm,
    nameOf: function (field) { return lookup(FIELDS[field]).name; },
    stop: stop,
    later: later,
    note: function (text) { vaultNote = text; },
    done: later(function (resolved) { withLongTerm(signer, resolved, next); }),
  });
}
function withLongTerm(signer, longTerm, next) {
  var hook = typeof sigv4_credentials === 'function' ? sigv4_credentials : undefined; // eslint-disable-line no-undef
  var sts = setting('sigv4_role_arn') ? 'sigv4_role_arn' : flag('sigv4_get_session_token') ? 'sigv4_get_session_token' : '';
  if (!hook && !sts) {
    if (!longTerm.accessKeyId || !longTerm.secretAccessKey) missingCredentials();
    return next(longTerm);
  }
  if (typeof sigv4_temporary !== 'function') { // eslint-disable-line no-undef
    stop((hook ? 'the function sigv4_credentials' : sts) + ' asks for temporary credentials, which need the credentials part of ' +
      'the script: paste postman/src/credentials.js between the signer library and this script');
  }
  return sigv4_temporary({ signer: signer, longTerm: longTerm, hook: hook, setting: setting, stop: stop, later: later, // eslint-disable-line no-undef
    formEscape: formEscape, missingCredentials: missingCredentials, done: next });
}

function missingCredentials() {
  stop('set the variables aws_access_key_id and aws_secret_access_key (in your environment, as secrets).' + vaultNote + ' If a ' +
    'pm.sendRequest above this script fetches them, this script runs before its answer arrives: fetch them in a ' +
    'function sigv4_credentials(done) instead, or in the collection\'s script with this one in a folder (postman/README.md, "Credentials from a request")');
}

// ---- Sign
if (flag('sigv4_disabled')) {
  var off = lookup('sigv4_disabled').name;
  if (off !== 'sigv4_disabled') console.info('sigv4: not signing "' + pm.info.requestName + '": ' + off + ' is true');
  return;
}
var auth = request.auth;
if (auth && auth.type === 'awsv4') {
  console.info('sigv4: not signing "' + pm.info.requestName + '": it uses Postman\'s own "AWS Signature" authorization, which signs it instead');
  return;
}
if (auth && auth.type && auth.type !== 'noauth') {
  console.info('sigv4: not signing "' + pm.info.requestName + '": it uses Postman\'s "' + auth.type + '" authorization');
  return;
}
// "Inherit auth from parent": a script sees only the request's own setting, not what it
// inherits (postman-app-support#12942), and Postman applies an inherited Bearer, OAuth 2.0 or
// AWS Signature after this script, over the signature. Signed requests say "No Auth" instead.
var inherits = !auth || !auth.type;

// 1. The URL, with {{variables}} resolved and written back: Postman then sends exactly what
//    is signed, even with {{$guid}}-style variables that change on every resolution.
var template = request.url.toString();
var resolvedUrl = pm.variables.replaceIn(template);
if (resolvedUrl !== template) request.url.update(resolvedUrl);
var url = new sdk.Url(resolvedUrl);
if (findParam(url, 'x-amz-signature')) return; // a presigned URL: already signed

// 2. The headers: every enabled one, resolved and written back.
var headers = [];
var named = {};
request.headers.each(function (header) {
  if (!header || header.disabled) return;
  var key = resolve(header.key);
  var value = resolve(header.value);
  if (key !== header.key) header.key = key;
  if (value !== header.value) header.value = value;
  if (!key) return; // Postman drops headers without a name
  value = value === undefined || value === null ? '' : String(value);
  headers.push([key, value]);
  named[key.toLowerCase()] = value;
});
if (named.authorization !== undefined) {
  console.info('sigv4: not signing "' + pm.info.requestName + '": it already has an Authorization header');
  return;
}

var method = String(request.method || 'GET').toUpperCase();
var body = bodyOf(method);
if (body.noFile) {
  stop('"' + pm.info.requestName + '" has a binary (file) body but no file: choose the file in Body > binary ' +
    '(newman: give its path relative to --working-dir); Postman would send an empty body');
}

// 3. The credential scope: the host's own, or the variables.
var signer = loadSigner();
var expiresParam = findParam(url, 'x-amz-expires');
var presigning = !!expiresParam || flag('sigv4_presign');
if (expiresParam) url.query.remove(expiresParam);
var wire = wireOf(url);
var scopeHost = named.host !== undefined ? named.host : wire.host;
var inferred = signer.inferScope(scopeHost);
var region = setting('sigv4_region') || inferred.region || setting('aws_region');
var service = setting('sigv4_service') || inferred.service || setting('aws_service');
if (!region || !service) {
  stop('cannot tell the ' + (region ? 'service' : service ? 'region' : 'region and service') + ' to sign for: the host ' +
    scopeHost + ' names none. Set the variables aws_region and aws_service (for example us-east-1 and execute-api, sts or s3)');
}
withCredentials(signer, function (credentials) {
  signWith(credentials);
});

function signWith(credentials) {
  var accessKeyId = credentials.accessKeyId;
  var secretAccessKey = credentials.secretAccessKey;
  var sessionToken = credentials.sessionToken;

  // 4. The payload and the headers to sign.
  var options = {
    accessKeyId: accessKeyId,
    secretAccessKey: secretAccessKey,
    sessionToken: sessionToken || undefined,
    region: region,
    service: service,
  };
  var unsignedPayloadAsked = flag('sigv4_unsigned_payload');
  // A body a script cannot read is signed as UNSIGNED-PAYLOAD, which only S3 accepts: whether
  // S3's rules apply is the signer's decision (signed.s3), checked once it has signed.
  if (unsignedPayloadAsked || body.unhashable) options.unsignedPayload = true;
  if (setting('sigv4_content_sha256')) options.contentSha256 = flag('sigv4_content_sha256');
  if (setting('sigv4_datetime')) options.datetime = setting('sigv4_datetime');

  var signList = list('sigv4_sign_headers');
  var unsigned = UNSIGNED_BY_DEFAULT.concat(list('sigv4_unsigned_headers'));
  // Postman replaces a Content-Type that does not match the body it builds.
  if (named['content-type'] !== undefined &&
    ((body.form && !/^application\/x-www-form-urlencoded\b/i.test(named['content-type'])) ||
      (body.multipart && !/^multipart\/form-data;.*boundary=/i.test(named['content-type'])))) {
    unsigned.push('content-type');
  }
  options.unsignedHeaders = unsigned.filter(function (name, i) {
    return named[name] !== undefined && signList.indexOf(name) === -1 && unsigned.indexOf(name) === i;
  });
  options.signHeaders = signList.filter(function (name) { return named[name] !== undefined; });

  // A Host header set on the request is what Postman sends: sign it instead of the URL's.
  if (named.host !== undefined) options.hostOverride = named.host;
  var toSign = {
    method: method,
    url: wire.url,
    headers: headers.filter(function (pair) { return pair[0].toLowerCase() !== 'host'; }),
    body: body.text,
  };
  var signed;
  try {
    if (presigning) {
      // Without X-Amz-Expires or sigv4_expires_in, the signer's default (3600 s).
      if (expiresParam) options.expiresIn = Number(resolve(expiresParam.value));
      else if (setting('sigv4_expires_in')) options.expiresIn = Number(setting('sigv4_expires_in'));
      signed = signer.presign(toSign, options);
    } else {
      signed = signer.sign(toSign, options);
    }
  } catch (error) {
    // The variable behind the option a signer's error names.
    var from = { EXPIRES_OUT_OF_RANGE: expiresParam ? 'the URL\'s X-Amz-Expires' : lookup('sigv4_expires_in').name,
      INVALID_DATE: lookup('sigv4_datetime').name }[error && error.code];
    stop((error && error.code ? error.code + ': ' : '') + (error && error.message ? error.message : String(error)) + (from ? ' (set by ' + from + ')' : ''));
  }
  if (body.unhashable && !signed.s3 && !unsignedPayloadAsked) {
    stop('cannot sign the ' + body.unhashable + ' body of "' + pm.info.requestName + '" for service \'' + signed.service + '\': ' +
      (body.multipart ? 'Postman chooses its multipart boundary when it sends the request' : 'a script cannot read the file') +
      ', so its SHA-256 cannot be computed here, and only S3 accepts UNSIGNED-PAYLOAD. Send the body as raw ' +
      '(Body > raw, e.g. JSON) or as x-www-form-urlencoded instead.');
  }

  // 5. What Postman sends: the new headers (it sets Host itself), or the presigned URL.
  Object.keys(signed.headers).forEach(function (name) {
    var lower = name.toLowerCase();
    if (lower === 'host' || named[lower] !== undefined) return;
    request.headers.upsert({ key: name, value: signed.headers[name] });
  });
  if (presigning) {
    request.url.update(signed.url);
    var variable = setting('sigv4_presigned_url_variable') || 'sigv4_presigned_url';
    pm.collectionVariables.set(variable, signed.url);
    if (pm.environment.has(variable)) pm.environment.set(variable, signed.url);
    console.log('sigv4: presigned URL (valid ' + signed.expiresIn + ' s, in the variable ' + variable + '):\n' + signed.url);
  }
  if (flag('sigv4_log')) {
    var redact = function (text) {
      return sessionToken
        ? text.replace(/^(x-amz-security-token:).*$/im, '$1** redacted **').replace(/(X-Amz-Security-Token=)[^&\n]*/g, '$1** redacted **')
        : text;
    };
    console.log('sigv4: ' + method + ' ' + wire.url +
      '\nscope ' + signed.credentialScope + ', signed headers ' + signed.signedHeaders + ', payload ' + signed.payloadHash);
    console.log('sigv4: canonical request\n' + redact(signed.canonicalRequest));
    console.log('sigv4: string to sign\n' + signed.stringToSign);
  }
  if (inherits && typeof request.authorizeUsing === 'function') {
    request.authorizeUsing('noauth');
    console.info('sigv4: signed "' + pm.info.requestName + '" and set its Authorization from "Inherit" to "No Auth" for this send: ' +
      'a script cannot see what it inherits, and an inherited Bearer, OAuth 2.0 or AWS Signature would replace the signature. ' +
      'For requests that must use an inherited authorization, set sigv4_disabled@<their folder> to true.');
  }
}
})();
