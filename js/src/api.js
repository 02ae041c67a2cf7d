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

/** After a call, an instance whose memory has grown past this is dropped, and the next call
 * gets a fresh one: wasm memory never shrinks. The instance starts at 1.06 MiB and a request
 * signs in under 2 MiB; growing past 8 MiB takes some 7 MiB of input, at least 50 ms of
 * hashing in wasm, against 0.2 ms (wasm2js: 0.45 ms, and 5-10 ms more in its first calls,
 * which run unoptimized) to instantiate anew: at most a few % of such calls, which is what it
 * costs to hold no more than this for good. */
export const MAX_RETAINED_BYTES = 8 * 1024 * 1024;
/** The stack zeroed below where a call started, once it returns: 3x the deepest call measured
 * (10.4 KiB: the first sign, which sets up the signing-key cache; tests/js/robustness.test.mjs
 * keeps it at least 2x). A call nested in verify's lookup zeroes below where it started too.
 * 0.4 µs a call. */
export const STACK_WIPE_BYTES = 32 * 1024;

/**
 * Builds the API around a backend: `glue` is the patched wasm-bindgen glue, `instance` its
 * live instance (load.js: `exports()` loads the backend on first use, or throws, and
 * instantiates a fresh instance after `discard()`; `rebind()` resets the glue's own state),
 * `loadAsync(input)` compiles a separately hosted .wasm, and `nativeSha256()`, where given,
 * returns the runtime's SHA-256 (bytes to hex) or null.
 */
export function createApi(glue, instance, loadAsync, nativeSha256) {
  const nativeHasher = nativeSha256 || (() => null);

  // Every call into the binary goes through call(), which keeps the instance usable whatever
  // the call did. A trap (an `unreachable`: with panic=immediate-abort every panic and failed
  // allocation is one; an out-of-bounds access) ends a call without restoring the shadow stack
  // pointer or freeing the call's allocations, and so does any exception thrown through the
  // binding (a stack overflow, a body whose length getter lies): repeated, that exhausted the
  // 1 MiB stack after 65,536 traps and left the bump allocator unable to start over.
  // Resetting only the stack pointer and the allocator would keep whatever else the call left
  // half done (the signing-key cache, a RefCell's borrow flag). Instead a broken instance is
  // put back exactly as it was instantiated: its whole state is its memory and its stack
  // pointer (js/build.mjs fails the build if the binary ever has another mutable global, a
  // start function, passive data, a table it changes, or data below the stack), so call()
  // writes back the static data it saved from the fresh instance, zeroes the heap and the
  // stack the call used, resets the stack pointer, and has the glue forget the JavaScript
  // objects the call left with it. That costs a tenth of a new instance, and spares wasm2js
  // the cold start of a new translation (its first calls run unoptimized, 5-10 ms each).
  // Broken means: the call trapped (a RuntimeError; js/build.mjs names the wasm2js traps so
  // too), or, once it returned or threw, the stack pointer is not back where it started or
  // allocations are live. Its caller gets an INTERNAL_ERROR, the original as `cause`.
  // verify's lookup runs inside verifyRequest and may sign: a nested call must not reset the
  // instance the outer call is still running on, and the checks only hold with no call
  // running, so a nested call only records a trap and the outermost call acts on it.
  // After a call that broke nothing, the stack it used is zeroed (the allocator zeroes the
  // heap when it starts over: src/bindings/alloc.rs), so no secret stays in linear memory.
  // An instance that grew past MAX_RETAINED_BYTES is dropped (wasm memory never shrinks) and
  // the next call instantiates a fresh one from the same compiled module.
  let depth = 0; // calls into the binary in progress (more than one: re-entered from lookup)
  let unchecked = false; // an outermost call is running, or ended before its checks ran
  let nestedTrap = false; // a call nested in the running outermost call trapped
  let fresh; // the instance (exports) the three below describe
  let stackBase; // its stack pointer between calls
  let pristine; // its memory from stackBase to its initial size (the static data), as instantiated

  function trapped(error) {
    return error !== null && typeof error === 'object' && error.name === 'RuntimeError';
  }

  function recovered(error) {
    if (error instanceof SigV4Error && error.code === 'INTERNAL_ERROR') return error; // from a nested call
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const internal = SigV4Error('INTERNAL_ERROR',
      `sigv4-wasm: the signer failed internally (${what}); it has recovered, and later calls work as usual`);
    internal.cause = error;
    return internal;
  }

  /** Zeroes the STACK_WIPE_BYTES below `top`. */
  function wipeStack(exports, top) {
    const from = Math.max(0, top - STACK_WIPE_BYTES);
    new Uint8Array(exports.memory.buffer, from, top - from).fill(0);
  }

  /** Puts the instance a call broke back in the state it was instantiated in (above). */
  function restore(exports) {
    const memory = new Uint8Array(exports.memory.buffer);
    const stackPointer = exports.__wbindgen_add_to_stack_pointer(0);
    memory.fill(0, Math.max(0, Math.min(stackPointer, stackBase) - STACK_WIPE_BYTES), stackBase);
    memory.set(pristine, stackBase);
    memory.fill(0, stackBase + pristine.length);
    exports.__wbindgen_add_to_stack_pointer(stackBase - stackPointer);
    instance.rebind();
  }

  function call(fn) {
    const outermost = depth === 0;
    if (outermost && unchecked) {
      // The last call ended before its checks ran (the JavaScript stack ran out).
      if (fresh) restore(fresh);
      unchecked = false;
    }
    const exports = instance.exports();
    if (outermost && exports !== fresh) {
      // The first call into this instance: note its state as instantiated.
      fresh = exports;
      stackBase = exports.__wbindgen_add_to_stack_pointer(0);
      pristine = new Uint8Array(exports.memory.buffer).slice(stackBase);
    }
    const top = outermost ? stackBase : exports.__wbindgen_add_to_stack_pointer(0);
    unchecked = unchecked || outermost;
    let result;
    let failed = false;
    let error;
    let trap = false;
    depth++;
    try {
      result = fn();
    } catch (thrown) {
      failed = true;
      error = thrown;
      trap = trapped(thrown); // still nested: a getter this runs is a nested call
    } finally {
      depth--;
    }
    if (!outermost) {
      if (trap) nestedTrap = true;
      else wipeStack(exports, top);
      if (failed) throw trap ? recovered(error) : fromCoreError(error);
      return result;
    }
    const broken = trap || nestedTrap ||
      exports.__wbindgen_add_to_stack_pointer(0) !== stackBase || exports.sigv4_heap_live() !== 0;
    nestedTrap = false;
    if (exports.memory.buffer.byteLength > MAX_RETAINED_BYTES) {
      fresh = pristine = undefined;
      instance.discard();
    } else if (broken) {
      restore(exports);
    } else {
      wipeStack(exports, stackBase);
    }
    unchecked = false;
    if (failed) throw broken ? recovered(error) : fromCoreError(error);
    return result;
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
        instance.exports();
      });
    }
    return loadAsync(input);
  }

  return { sign, presign, verify, signingKeyDerivation, inferScope, AwsClient, SigV4Error, init };
}
