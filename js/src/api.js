// The public JavaScript API over the Rust core. Every entry point (index, wasm, js, workerd,
// slim) builds this same API around its way of loading the one wasm binary.
//
// This file turns JavaScript values into the flat arguments of src/bindings.rs and its
// `\0`-separated results back into objects. The signing rules live in the core; what lives
// here is JavaScript's side of the contract: accepted argument types, fetch's method
// normalization, the S3 preset, and defaults (the current time, the presign expiry).

import { SigV4Error, fromCoreError } from './errors.js';
import { Utf8Encoder } from './utf8.js';

const SEP = '\0';
const encoder = new Utf8Encoder();
const EMPTY = new Uint8Array(0);
/** fetch() uppercases these methods case-insensitively (Fetch standard, "normalize"). */
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
/** The presign expiry when none is given: one hour, as the AWS SDKs default to. */
const DEFAULT_EXPIRES_IN = 3600;
/** Bodies from this size on are hashed by the runtime's own SHA-256 where it has one. Measured
 * with sign() in Node: 1 KiB takes ~25 µs instead of ~30; below 512 B the call into
 * node:crypto costs about what it saves. */
const NATIVE_HASH_MIN_BYTES = 1024;

function typeError(message) {
  return new TypeError(`sigv4-wasm: ${message}`);
}

/** A string option ('' when absent). NUL separates the fields passed to the core, so a NUL
 * inside one is refused, with the error code of that field where there is one. */
function optionalString(value, name, code) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw typeError(`${name} must be a string, not ${typeof value}`);
  if (value.indexOf(SEP) !== -1) {
    if (code) throw SigV4Error(code, `${name} contains a NUL character; remove it`);
    throw typeError(`${name} contains a NUL character`);
  }
  return value;
}

function noNul(text, code, what) {
  if (text.indexOf(SEP) !== -1) throw SigV4Error(code, `${what} contains a NUL character; remove it`);
  return text;
}

function methodOf(method) {
  if (method === undefined || method === null) return 'GET';
  if (typeof method !== 'string') throw typeError(`method must be a string, not ${typeof method}`);
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.indexOf(upper) !== -1 ? upper : noNul(method, 'INVALID_METHOD', 'the method');
}

function urlOf(url) {
  if (typeof url === 'string') return noNul(url, 'INVALID_URL', 'the URL');
  if (url && typeof url === 'object' && typeof url.href === 'string') return url.href; // URL
  throw typeError('url must be a string or a URL');
}

/** Headers as `name\0value\0...`, from a plain object, a Headers instance or [name, value] pairs. */
function headersOf(headers) {
  if (headers === undefined || headers === null) return '';
  const parts = [];
  const add = (name, value) => {
    if (typeof name !== 'string') throw typeError(`header names must be strings, not ${typeof name}`);
    if (value === undefined || value === null) return;
    if (typeof value === 'number') value = String(value);
    if (typeof value !== 'string') throw typeError(`the value of header '${name}' must be a string, not ${typeof value}`);
    parts.push(noNul(name, 'INVALID_HEADER_NAME', `header name '${name}'`));
    parts.push(noNul(value, 'INVALID_HEADER_VALUE', `the value of header '${name}'`));
  };
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i];
      if (!Array.isArray(pair) || pair.length !== 2) throw typeError('header pairs must be [name, value] arrays');
      add(pair[0], pair[1]);
    }
  } else if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach((value, name) => add(name, value)); // a Headers instance
  } else if (typeof headers === 'object') {
    const names = Object.keys(headers);
    for (let i = 0; i < names.length; i++) {
      const value = headers[names[i]];
      if (Array.isArray(value)) value.forEach((v) => add(names[i], v));
      else add(names[i], value);
    }
  } else {
    throw typeError('headers must be an object, a Headers instance or an array of [name, value] pairs');
  }
  return parts.join(SEP);
}

/** The body as bytes; `undefined` and `null` are no body. */
function bodyOf(body) {
  if (body === undefined || body === null) return EMPTY;
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (typeof ArrayBuffer !== 'undefined') {
    if (body instanceof ArrayBuffer) return new Uint8Array(body);
    if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  }
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return encoder.encode(body.toString());
  const kind = (body && body.constructor && body.constructor.name) || typeof body;
  throw typeError(
    `a body of type ${kind} cannot be hashed synchronously; pass its bytes (string, Uint8Array, ArrayBuffer, ` +
      `URLSearchParams), or pass payloadHash (its SHA-256 in hex, or 'UNSIGNED-PAYLOAD' for S3) and send it yourself`,
  );
}

/** `YYYYMMDDTHHMMSSZ` from a Date, a string the core reads, or milliseconds since the epoch. */
function datetimeOf(value, name) {
  if (value === undefined || value === null) value = new Date();
  if (typeof value === 'number') value = new Date(value);
  if (typeof value === 'string') return optionalString(value, name, 'INVALID_DATE');
  if (value instanceof Date) {
    if (isNaN(value.getTime())) throw SigV4Error('INVALID_DATE', `${name} is an invalid Date`);
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  throw typeError(`${name} must be a Date, a string such as '20150830T123600Z', or milliseconds since 1970`);
}

function listOf(value, name) {
  if (value === undefined || value === null) return '';
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw typeError(`${name} must be an array of header names`);
  return optionalString(value.join(','), name, 'INVALID_HEADER_NAME');
}

function oneOf(value, name, allowed) {
  if (value === undefined) return undefined;
  if (allowed.indexOf(value) === -1) throw typeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value;
}

/** The settings flags of src/bindings.rs from the options: explicit options win over the S3 preset. */
function flagsOf(options, service) {
  const s3 = options.s3 === undefined ? service === 's3' : !!options.s3;
  const flags = [];
  const pathEncoding = oneOf(options.pathEncoding, 'pathEncoding', ['double', 'single']) || (s3 ? 'single' : 'double');
  if (pathEncoding === 'single') flags.push('single-encoding');
  const normalize = options.normalizePath === undefined ? !s3 : !!options.normalizePath;
  if (!normalize) flags.push('no-normalization');
  if (oneOf(options.pathInput, 'pathInput', ['encoded', 'unencoded']) === 'unencoded') flags.push('unencoded-path');
  if (oneOf(options.queryPlus, 'queryPlus', ['literal', 'space']) === 'space') flags.push('plus-is-space');
  if (options.appendSessionToken) flags.push('token-appended');
  if (options.contentSha256 === undefined ? s3 : !!options.contentSha256) flags.push('content-sha256');
  return { flags: flags.join(','), s3 };
}

function requestOf(request) {
  if (!request || typeof request !== 'object') throw typeError('the request must be an object with at least a url');
  return request;
}

function optionsOf(options) {
  if (!options || typeof options !== 'object') throw typeError('the options must be an object with the credentials');
  return options;
}

/** The first value of header `name` (lowercase) in `name\0value\0...`, or undefined. */
function headerValue(headers, name) {
  const fields = headers ? headers.split(SEP) : [];
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i].toLowerCase() === name) return fields[i + 1];
  return undefined;
}

/** Header pairs (name, value, name, value...) as a plain object; a repeated name's values are
 * joined with ',', which the service canonicalizes exactly like separate lines. */
function headerObject(fields, start) {
  const headers = {};
  for (let i = start; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    headers[name] = headers[name] === undefined ? fields[i + 1] : `${headers[name]},${fields[i + 1]}`;
  }
  return headers;
}

/**
 * Builds the API around a backend: `glue` is the patched wasm-bindgen glue, `ensureLoaded()`
 * instantiates it synchronously on first use (or throws), `loadAsync(input)` compiles a
 * separately hosted .wasm, and `nativeSha256()`, where given, returns the runtime's SHA-256
 * (bytes to hex) or null.
 */
export function createApi(glue, ensureLoaded, loadAsync, nativeSha256) {
  const nativeHasher = nativeSha256 || (() => null);

  function call(fn) {
    ensureLoaded();
    try {
      return fn();
    } catch (error) {
      throw fromCoreError(error);
    }
  }

  /** The host the request is signed for: the override, a host header, or the URL's. */
  function hostOf(url, headers, hostOverride) {
    if (hostOverride) return hostOverride;
    const header = headerValue(headers, 'host');
    if (header !== undefined) return header;
    const match = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url);
    return match ? match[1] : '';
  }

  function signWith(request, options, expiresIn) {
    requestOf(request);
    optionsOf(options);
    const url = urlOf(request.url);
    const headers = headersOf(request.headers);
    const hostOverride = optionalString(options.hostOverride, 'hostOverride', 'INVALID_HEADER_VALUE');
    let region = optionalString(options.region, 'region', 'INVALID_REGION');
    let service = optionalString(options.service, 'service', 'INVALID_SERVICE');
    // The S3 preset depends on the service, so an inferred one is needed here, not only in the core.
    if (!region || !service) {
      const inferred = inferScope(hostOf(url, headers, hostOverride));
      region = region || inferred.region || '';
      service = service || inferred.service || '';
    }
    const settings = flagsOf(options, service);
    let payloadHash = optionalString(options.payloadHash, 'payloadHash', 'INVALID_PAYLOAD_HASH');
    if (options.unsignedPayload) payloadHash = 'UNSIGNED-PAYLOAD';
    const presigning = expiresIn !== undefined;
    // S3 expects UNSIGNED-PAYLOAD in a presigned URL's canonical request: the body is sent
    // later and S3 does not hash it for query authentication.
    if (presigning && settings.s3 && !payloadHash) payloadHash = 'UNSIGNED-PAYLOAD';
    // With a payload hash (given, UNSIGNED-PAYLOAD, or S3's for a presigned URL) the core never
    // reads the body, so it is neither converted nor copied into wasm memory.
    let body = payloadHash ? EMPTY : bodyOf(request.body);
    // A large body is hashed natively where that is faster; the same SHA-256 the core would
    // compute. With an x-amz-content-sha256 header the core checks the header against the body.
    const hasher = !payloadHash && body.length >= NATIVE_HASH_MIN_BYTES && options.nativeHash !== false ? nativeHasher() : null;
    if (hasher && headerValue(headers, 'x-amz-content-sha256') === undefined) {
      payloadHash = hasher(body);
      body = EMPTY;
    }
    // The fields of signRequest in src/bindings.rs, in its order.
    const fieldsIn = [
      methodOf(request.method),
      url,
      payloadHash,
      optionalString(options.accessKeyId, 'accessKeyId', 'INVALID_ACCESS_KEY_ID'),
      optionalString(options.secretAccessKey, 'secretAccessKey'),
      optionalString(options.sessionToken, 'sessionToken', 'INVALID_SESSION_TOKEN'),
      region,
      service,
      datetimeOf(options.datetime, 'datetime'),
      settings.flags,
      hostOverride,
      listOf(options.signHeaders, 'signHeaders'),
      listOf(options.unsignedHeaders, 'unsignedHeaders'),
      optionalString(request.query, 'query', 'INVALID_URL'),
    ].join(SEP) + (headers ? SEP + headers : '');
    const fields = call(() => glue.signRequest(fieldsIn, body, presigning, presigning ? expiresIn : 0).split(SEP));
    const result = {
      method: fields[0],
      url: fields[1],
      headers: headerObject(fields, 12),
      canonicalRequest: fields[2],
      stringToSign: fields[3],
      credentialScope: fields[4],
      signedHeaders: fields[5],
      payloadHash: fields[6],
      signature: fields[7],
      region: fields[10],
      service: fields[11],
      datetime: fields[3].split('\n')[1],
    };
    if (presigning) result.expiresIn = Number(fields[9]);
    else result.authorization = fields[8];
    return result;
  }

  /** Signs a request with the Authorization header. */
  function sign(request, options) {
    return signWith(request, options, undefined);
  }

  /** Presigns a request: the signature goes into the URL's query string. */
  function presign(request, options) {
    optionsOf(options);
    const expiresIn = options.expiresIn === undefined ? DEFAULT_EXPIRES_IN : options.expiresIn;
    if (typeof expiresIn !== 'number') throw typeError(`expiresIn must be a number of seconds, not ${typeof expiresIn}`);
    return signWith(request, options, expiresIn);
  }

  /** Verifies a signed request as a service does; throws SigV4Error when it does not verify. */
  function verify(request, options) {
    requestOf(request);
    optionsOf(options);
    if (typeof options.lookup !== 'function') throw typeError('verify needs lookup(accessKeyId) => { secretAccessKey, sessionToken? } | null');
    const region = optionalString(options.region, 'region', 'INVALID_REGION');
    const service = optionalString(options.service, 'service', 'INVALID_SERVICE');
    if (!region || !service) throw typeError('verify needs the region and service of the endpoint it protects');
    const settings = flagsOf(options, service);
    const skew = options.maxClockSkew === undefined ? 900 : options.maxClockSkew;
    if (typeof skew !== 'number') throw typeError('maxClockSkew must be a number of seconds');
    if (options.presignedPayload !== undefined) throw typeError('presignedPayload is gone; use allowUnsignedPayload (true applies S3\'s payload rules)');
    const allowUnsignedPayload = options.allowUnsignedPayload === undefined ? settings.s3 : options.allowUnsignedPayload;
    if (typeof allowUnsignedPayload !== 'boolean') throw typeError('allowUnsignedPayload must be a boolean');
    const lookup = (accessKeyId) => {
      const key = options.lookup(accessKeyId);
      if (key === undefined || key === null) return null;
      const token = key && key.sessionToken;
      if (typeof key !== 'object' || typeof key.secretAccessKey !== 'string' ||
        (token !== undefined && token !== null && typeof token !== 'string')) {
        throw typeError('lookup must return { secretAccessKey: string, sessionToken?: string } or null');
      }
      return key;
    };
    // The fields of verifyRequest in src/bindings.rs, in its order.
    const headers = headersOf(request.headers);
    const fieldsIn = [
      methodOf(request.method),
      urlOf(request.url),
      datetimeOf(options.now, 'now'),
      region,
      service,
      settings.flags,
      // S3 refuses any x-amz-* header it was not signed with.
      options.requireSignedHeaders === undefined && settings.s3 ? 'x-amz-*' : listOf(options.requireSignedHeaders, 'requireSignedHeaders'),
    ].join(SEP) + (headers ? SEP + headers : '');
    // The body received, or its SHA-256 computed by the server as the body streamed in.
    const bodySha256 = optionalString(request.bodySha256, 'bodySha256', 'INVALID_PAYLOAD_HASH');
    if (bodySha256 && request.body !== undefined && request.body !== null) throw typeError('pass the body or its bodySha256, not both');
    if (bodySha256 && !/^[0-9a-f]{64}$/.test(bodySha256)) throw SigV4Error('INVALID_PAYLOAD_HASH', 'bodySha256 must be the SHA-256 of the body received, as 64 lowercase hex digits');
    const body = bodySha256 ? EMPTY : bodyOf(request.body);
    const fields = call(() => glue.verifyRequest(fieldsIn, body, bodySha256, skew, allowUnsignedPayload, lookup).split(SEP));
    const verified = {
      accessKeyId: fields[0],
      credentialScope: fields[1],
      signedHeaders: fields[2].split(';'),
      signedAt: fields[3],
      canonicalRequest: fields[5],
    };
    if (fields[4]) verified.expiresIn = Number(fields[4]);
    return verified;
  }

  /** Every step of the signing-key derivation, as hex. */
  function signingKeyDerivation(options) {
    optionsOf(options);
    const date = optionalString(options.date, 'date');
    const fields = call(() =>
      glue
        .signingKeyDerivation(
          optionalString(options.secretAccessKey, 'secretAccessKey'),
          date,
          optionalString(options.region, 'region'),
          optionalString(options.service, 'service'),
        )
        .split(SEP),
    );
    return { kDate: fields[0], kRegion: fields[1], kService: fields[2], kSigning: fields[3] };
  }

  /** The region and service a host names; each undefined when it names none. */
  function inferScope(host) {
    const fields = call(() => glue.inferScope(optionalString(host, 'host')).split(SEP));
    return { region: fields[0] || undefined, service: fields[1] || undefined };
  }

  /**
   * A client in the manner of aws4fetch's AwsClient: holds the credentials and signs
   * `fetch` calls. Retries are the caller's.
   */
  function AwsClient(options) {
    if (!(this instanceof AwsClient)) return new AwsClient(options);
    optionsOf(options);
    this.options = Object.assign({}, options);
    this.fetchImpl = options.fetch || (typeof fetch === 'function' ? fetch : undefined);
  }
  /** The signed request for `fetch(url, init)`: `{ url, init }` ready to pass to fetch. */
  AwsClient.prototype.sign = function (url, init) {
    init = init || {};
    const headers = init.headers;
    const options = Object.assign({}, this.options, init.aws || {});
    const signed = init.aws && init.aws.signQuery
      ? presign({ method: init.method, url, headers, body: init.body }, options)
      : sign({ method: init.method, url, headers, body: init.body }, options);
    const sent = Object.assign({}, signed.headers);
    // The runtime sends the Host header itself, and browsers refuse to set it.
    Object.keys(sent).forEach((name) => {
      if (name.toLowerCase() === 'host' && !options.hostOverride) delete sent[name];
    });
    const nextInit = Object.assign({}, init, { method: signed.method, headers: sent });
    delete nextInit.aws;
    return { url: signed.url, init: nextInit, signed };
  };
  /** Signs and sends; resolves with the Response. */
  AwsClient.prototype.fetch = function (url, init) {
    const self = this;
    return Promise.resolve().then(() => {
      if (typeof self.fetchImpl !== 'function') throw typeError('no fetch in this runtime; pass options.fetch');
      const request = self.sign(url, init);
      return self.fetchImpl(request.url, request.init);
    });
  };

  function init(input) {
    if (input === undefined) {
      return Promise.resolve().then(() => {
        ensureLoaded();
      });
    }
    return loadAsync(input);
  }

  return { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init };
}
