// The public JavaScript API over the Rust core. Every entry point (js/src/entries/) builds this
// same API around its way of loading its binary; verify.js adds verify where the binary has it.
//
// This file converts JavaScript values into the named fields of src/bindings.rs
// (js/src/protocol.js) and the fields of each result back into objects, with one call into
// the binary per sign, presign or verify. It decides nothing about signing: the region and
// service, the S3 rules, the payload of a presigned URL and every default are the core's
// (src/options.rs). What lives here is JavaScript's side of the contract: accepted argument
// types, fetch's method normalization, the current time, and hashing large bodies with the
// runtime's own SHA-256.

import { SigV4Error, fromCoreError } from './errors.js';
import { KEY_DERIVATION, SCOPE, SEP, SIGNED_LENGTH, SIGN_PAYLOAD, at } from './protocol.js';
import { Utf8Encoder } from './utf8.js';

const encoder = new Utf8Encoder();
export const EMPTY = new Uint8Array(0);
/** Where a call's fields (and a small body) are encoded as UTF-8 before they are copied into
 * wasm memory: one native encodeInto instead of the glue's loop over the characters. It holds
 * the secret access key, so it is zeroed right after each call, and whole when replaced. (The
 * size-built binaries' signRequest takes its fields as a string, which the glue encodes into
 * wasm memory, zeroed after the call by the allocator, and a small body as its bytes: only
 * the servers' calls use this buffer.) */
let scratch = /* @__PURE__ */ new Uint8Array(4096);
/** A scratch buffer grown past this for one large call is dropped after it. */
const SCRATCH_RETAINED_BYTES = 64 * 1024;
/** fetch() uppercases these methods case-insensitively (Fetch standard, "normalize"). */
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
/** Bodies from this size on are hashed by the runtime's own SHA-256 where it has one. Measured
 * with sign() in Node: 1 KiB takes ~25 µs instead of ~30; below 512 B the call into
 * node:crypto costs about what it saves. */
const NATIVE_HASH_MIN_BYTES = 1024;
/** signAsync hashes bodies from this size on with WebCrypto, whose digest() costs a promise
 * round trip (tens of µs): below it, hashing in wasm is as fast. */
const WEBCRYPTO_MIN_BYTES = 16 * 1024;
/** With the size-built binaries, a body shorter than this (string or Uint8Array) that no hasher
 * takes goes with the call: asked for later, it takes a second call, which cost a 1 KiB POST a
 * tenth of its signatures per second in Hermes. */
const INLINE_MAX_BYTES = 16 * 1024;
const HEX = '0123456789abcdef';
// signRequest takes a body() to call back and the runtime's SHA-256 where js/build.mjs
// defines __SIGV4_BODY_CALLBACK__ true (the servers' entries, whose binary has the feature
// `speed`); the size-built binaries' is given the body with the call (src/bindings.rs). (The
// define is tested where it is used, so that a bundler drops the other branch; undefined, as
// in the sources run unbundled, the calls' bodyCallback decides.)
// The position of each field of the protocol's calls and results, by name.
const KEY_FIELD = /* @__PURE__ */ at(KEY_DERIVATION);
const SCOPE_FIELD = /* @__PURE__ */ at(SCOPE);

export function typeError(message) {
  return new TypeError(`sigv4-wasm: ${message}`);
}

/** A string option ('' when absent). NUL separates the fields passed to the core, so a NUL
 * inside one is refused, with the error code of that field where there is one. */
export function optionalString(value, name, code) {
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

export function methodOf(method) {
  if (method === undefined || method === null) return 'GET';
  if (typeof method !== 'string') throw typeError(`method must be a string, not ${typeof method}`);
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.indexOf(upper) !== -1 ? upper : noNul(method, 'INVALID_METHOD', 'the method');
}

export function urlOf(url) {
  if (typeof url === 'string') return noNul(url, 'INVALID_URL', 'the URL');
  if (url && typeof url === 'object' && typeof url.href === 'string') return url.href; // URL
  throw typeError('url must be a string or a URL');
}

/** Adds a header's name and value to `parts`, checked (`headersOf`); a value undefined or
 * null is no header. (A function of its own, not a closure made for every call.) */
function addHeader(parts, name, value) {
  if (typeof name !== 'string') throw typeError(`header names must be strings, not ${typeof name}`);
  if (value === undefined || value === null) return;
  if (typeof value === 'number') {
    if (!isFinite(value)) throw SigV4Error('INVALID_HEADER_VALUE', `the value of header '${name}' is ${value}; pass a string or a finite number`);
    value = String(value);
  }
  if (typeof value !== 'string') throw typeError(`the value of header '${name}' must be a string, not ${typeof value}`);
  // (The messages are made only for a NUL: this runs for every header of every call.)
  if (name.indexOf(SEP) !== -1) throw SigV4Error('INVALID_HEADER_NAME', `header name '${name}' contains a NUL character; remove it`);
  if (value.indexOf(SEP) !== -1) throw SigV4Error('INVALID_HEADER_VALUE', `the value of header '${name}' contains a NUL character; remove it`);
  parts.push(name, value);
}

/** Headers as `name\0value\0...`, from a plain object, a Headers instance or [name, value] pairs. */
export function headersOf(headers) {
  return headerParts(headers, []).join(SEP);
}

/** The names and values of `headers` (as headersOf takes them) pushed onto `parts`, which is
 * returned. */
function headerParts(headers, parts) {
  if (headers === undefined || headers === null) return parts;
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i];
      if (!Array.isArray(pair) || pair.length !== 2) throw typeError('header pairs must be [name, value] arrays');
      addHeader(parts, pair[0], pair[1]);
    }
  } else if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    headers.forEach((value, name) => addHeader(parts, name, value)); // a Headers instance
  } else if (typeof headers === 'object') {
    const names = Object.keys(headers);
    for (let i = 0; i < names.length; i++) {
      const value = headers[names[i]];
      if (Array.isArray(value)) for (let j = 0; j < value.length; j++) addHeader(parts, names[i], value[j]);
      else addHeader(parts, names[i], value);
    }
  } else {
    throw typeError('headers must be an object, a Headers instance or an array of [name, value] pairs');
  }
  return parts;
}

/** Makes the scratch buffer hold at least `end` bytes, keeping its first `keep`. */
function room(end, keep) {
  if (end <= scratch.length) return;
  const grown = new Uint8Array(Math.max(end, 2 * scratch.length));
  grown.set(scratch.subarray(0, keep));
  scratch.fill(0);
  scratch = grown;
}

/** Writes `text` as UTF-8 into the scratch buffer at `at` (UTF-8 takes at most 3 bytes per
 * UTF-16 unit); returns where it ends. */
function put(text, at) {
  room(at + 3 * text.length, at);
  return at + encoder.encodeInto(text, at === 0 ? scratch : scratch.subarray(at)).written;
}

/** `use(input, fieldsEnd)`'s result, where `input` holds `text` (the fields) then `body` (a
 * string, as UTF-8, or bytes; nothing when undefined) and `fieldsEnd` is where the fields end:
 * written into the scratch buffer, which is zeroed after. */
function withInput(text, body, use) {
  const fieldsEnd = put(text, 0);
  let end = fieldsEnd;
  if (typeof body === 'string') end = put(body, end);
  else if (body) {
    room(end + body.length, end);
    scratch.set(body, end);
    end += body.length;
  }
  try {
    return use(scratch.subarray(0, end), fieldsEnd);
  } finally {
    wipeScratch(end);
  }
}

/** What a call of the size-built binaries returns: its result, or an error of the core (it
 * starts with a NUL, as src/bindings.rs writes it), thrown for call() to make a SigV4Error of. */
function returned(text) {
  if (text.charCodeAt(0) === 0) throw text;
  return text;
}

/** Zeroes the first `end` bytes of the scratch buffer, and drops it when a large call grew it. */
function wipeScratch(end) {
  if (scratch.length > SCRATCH_RETAINED_BYTES) {
    scratch.fill(0);
    scratch = new Uint8Array(4096);
  } else {
    scratch.fill(0, 0, end);
  }
}

/** The body as bytes; `undefined` and `null` are no body. */
export function bodyOf(body) {
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

/** `YYYYMMDDTHHMMSSZ` from a Date, a string the core reads, or milliseconds since the epoch as
 * their decimal digits (the core refuses a number that can only be seconds). */
export function datetimeOf(value, name) {
  if (value === undefined || value === null) value = new Date();
  if (typeof value === 'number') {
    if (!isFinite(value)) throw SigV4Error('INVALID_DATE', `${name} is ${value}; pass milliseconds since 1970 (Date.now()) or a Date`);
    return String(Math.trunc(value));
  }
  if (typeof value === 'string') return optionalString(value, name, 'INVALID_DATE');
  if (value instanceof Date) {
    if (isNaN(value.getTime())) throw SigV4Error('INVALID_DATE', `${name} is an invalid Date`);
    return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  throw typeError(`${name} must be a Date, a string such as '20150830T123600Z', or milliseconds since 1970`);
}

/** A list of header names: '' when not given; null is a list given empty. */
export function listOf(value, name) {
  if (value === undefined) return '';
  if (value === null) return ',';
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw typeError(`${name} must be an array of header names`);
  return optionalString(value.join(',') + ',', name, 'INVALID_HEADER_NAME');
}

/** A choice: '' when not given, else one of the words the option's type allows. */
function oneOf(value, name, allowed) {
  if (value === undefined) return '';
  if (allowed.indexOf(value) === -1) throw typeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value;
}

/** A flag: '' when not given, else whether the value is truthy. */
export function flag(value) {
  return value === undefined ? '' : value ? 'true' : 'false';
}

/** The rules sign and verify take (index.d.ts: s3, pathEncoding, ...), as the fields of
 * protocol.js's RULES, in its order. */
export function rulesOf(options) {
  return [
    flag(options.s3),
    oneOf(options.pathEncoding, 'pathEncoding', ['double', 'single']),
    flag(options.normalizePath),
    oneOf(options.pathInput, 'pathInput', ['encoded', 'unencoded']),
    oneOf(options.queryPlus, 'queryPlus', ['literal', 'space']),
    flag(options.appendSessionToken),
    flag(options.contentSha256),
  ];
}

export function requestOf(request) {
  if (!request || typeof request !== 'object') throw typeError('the request must be an object with at least a url');
  return request;
}

export function optionsOf(options) {
  if (!options || typeof options !== 'object') throw typeError('the options must be an object with the credentials');
  return options;
}

/** The first value of header `name` (lowercase) in `name\0value\0...`, or undefined. */
function headerValue(headers, name) {
  if (headers.toLowerCase().indexOf(name) === -1) return undefined; // the usual case, at once
  const fields = headers.split(SEP);
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i].toLowerCase() === name) return fields[i + 1];
  return undefined;
}

/** Whether the core's content-length check (src/checks.rs, check_content_length) is sure to
 * pass: no content-length header, or one whose value is exactly the body's length in UTF-8
 * bytes. Only then may the body be hashed outside the core; any other value (spaces, a sign,
 * two headers, another length) goes to the core with the bytes, which decides. */
function lengthCheckPasses(headers, body) {
  if (headers.toLowerCase().indexOf('content-length') === -1) return true;
  const fields = headers.split(SEP);
  let value;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i].toLowerCase() !== 'content-length') continue;
    if (value !== undefined) return false;
    value = fields[i + 1];
  }
  return value === undefined || value === String(typeof body === 'string' ? utf8Length(body) : body.length);
}

/** The length of a string's UTF-8 encoding (a lone surrogate counts as U+FFFD, 3 bytes, as
 * the encoders write it), without encoding it. */
function utf8Length(text) {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) { length += 1; continue; }
    length += 2;
    if (c < 0xdc00 && c >= 0xd800 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return length;
}

/** A SHA-256 as 64 lowercase hex digits, from the hex string, bytes or ArrayBuffer a hash
 * function returned; `what` names that function in the error. */
function hexDigest(digest, what) {
  if (typeof digest === 'string' && /^[0-9a-fA-F]{64}$/.test(digest)) return digest.toLowerCase();
  const bytes = digest instanceof ArrayBuffer ? new Uint8Array(digest) : digest;
  if (!(bytes instanceof Uint8Array) || bytes.length !== 32) {
    throw typeError(`${what || 'the hash function'} must return the SHA-256 as 64 hex digits or 32 bytes`);
  }
  let hex = '';
  for (let i = 0; i < 32; i++) hex += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return hex;
}

/** Whether a request's body goes with the signRequest call: a string or Uint8Array shorter
 * than `max`. */
function inlined(body, max) {
  return (typeof body === 'string' || (body !== null && typeof body === 'object' &&
    Object.getPrototypeOf(body) === Uint8Array.prototype)) && body.length < max;
}

/** A signRequest result (SIGNED's fields, then the header names and values) as SIGNED's
 * fields, then the headers as a plain object: a repeated name's values are joined with ',',
 * which the service canonicalizes exactly like separate lines. */
function signedOf(text) {
  const fields = text.split(SEP);
  const headers = {};
  for (let i = SIGNED_LENGTH; i + 1 < fields.length; i += 2) {
    const name = fields[i];
    headers[name] = headers[name] === undefined ? fields[i + 1] : `${headers[name]},${fields[i + 1]}`;
  }
  fields[SIGNED_LENGTH] = headers;
  return fields;
}

/** What sign or presign returns, from a signRequest result read into SIGNED's fields then the
 * headers (signedOf, or the servers' native-hash.js). */
function resultOf(out, presigning) {
  const [method, url, canonicalRequest, stringToSign, credentialScope, signedHeaders, payloadHash, signature,
    authorization, expiresIn, region, service, datetime, s3, headers] = out; // SIGNED's order
  const result = {
    method, url, headers, canonicalRequest, stringToSign, credentialScope, signedHeaders, payloadHash, signature,
    region, service, datetime, s3: s3 === 'true',
  };
  if (presigning) result.expiresIn = Number(expiresIn);
  else result.authorization = authorization;
  return result;
}

/** After a call, an instance whose memory has grown past this is dropped, and the next call
 * gets a fresh one: wasm memory never shrinks. The instance starts at 1.06 MiB and a request
 * signs in under 2 MiB; growing past 8 MiB takes some 7 MiB of input, at least 50 ms of
 * hashing in wasm, against 0.2 ms (wasm2js: 0.45 ms, and 5-10 ms more in its first calls,
 * which run unoptimized) to instantiate anew: at most a few % of such calls, which is what it
 * costs to hold no more than this for good. */
export const MAX_RETAINED_BYTES = 8 * 1024 * 1024;
/** The stack zeroed below where a call started, once it returns: 2.7x the deepest call
 * measured (5.9 KiB in the size build: a verify whose lookup signs with a key not cached; a
 * sign alone takes 4.3 KiB, and 3.7 KiB in the speed build; tests/js/robustness.test.mjs keeps
 * it at least 2x). A call nested in verify's lookup zeroes below where it started too. About
 * 0.2 µs a call (32 KiB took 0.5 µs, when the first sign built the empty signing-key cache on
 * the stack and went 10.4 KiB deep). */
export const STACK_WIPE_BYTES = 16 * 1024;

/**
 * The calls into a backend: `instance` is its live instance (load.js: `exports()` loads the
 * backend on first use, or throws, and instantiates a fresh instance after `discard()`;
 * `rebind()` resets the glue's own state); `nativeSha256()`, where given, returns the
 * runtime's SHA-256 (bytes, or a string as UTF-8, to hex) or null, and `canonicalSha256()`,
 * where given (the servers' entries), the SHA-256 signRequest hashes long canonical requests
 * with (native-hash.js) or null. Returns `call`, through which every call into the binary
 * goes, and what createSign needs besides: `hasherFor`, `bodyReader`, `nativeCanonical`,
 * `signedFields` and `upFront`. The functions of the API are made apart from
 * it (createSign and the others below, each called by the entries with a /* @__PURE__ *\/
 * annotation), so that a bundler leaves out those an app does not use.
 */
export function createCalls(instance, nativeSha256, canonicalSha256) {
  const nativeHasher = nativeSha256 || (() => null);
  /** A signRequest result as SIGNED's fields then the headers (signedOf), given the call's
   * session token; the servers' binding writes it their way (native-hash.js). */
  const signedFields = (canonicalSha256 && canonicalSha256.signed) || signedOf;
  /** The servers' SHA-256 of a body taken before the call, or '' (native-hash.js). */
  const upFront = canonicalSha256 && canonicalSha256.upFront;

  // postman/build.mjs defines __SIGV4_NO_NATIVE_HASH__ as true (js/build.mjs as false): Postman's
  // sandbox has no native SHA-256, and its library leaves out the code that hands bodies to one.
  /** The SHA-256 (bytes to hex) to hash a body of `length` bytes with instead of wasm: the
   * caller's `nativeHash` function, or the runtime's own; null to hash in wasm. */
  function hasherFor(options, length) {
    if (typeof __SIGV4_NO_NATIVE_HASH__ !== 'undefined' && __SIGV4_NO_NATIVE_HASH__) return null;
    const chosen = options.nativeHash;
    if (chosen === false || length < NATIVE_HASH_MIN_BYTES) return null;
    if (typeof chosen === 'function') return (body) => hexDigest(chosen(body), 'nativeHash');
    if (chosen !== undefined && chosen !== true) throw typeError('nativeHash must be a boolean or a function (bytes) => SHA-256');
    return nativeHasher();
  }

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
  // verify's lookup runs inside verifyRequest, and sign's body() inside signRequest, and either
  // may sign: a nested call must not reset the instance the outer call is still running on,
  // and the checks only hold with no call running, so a nested call only records a trap and
  // the outermost call acts on it.
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

  let memoryView; // a view of the whole memory of `fresh` (replaced when the memory grows)

  /** Zeroes the STACK_WIPE_BYTES below `top` in `buffer`, the memory of `fresh`. */
  function wipeStack(buffer, top) {
    if (memoryView === undefined || memoryView.buffer !== buffer) memoryView = new Uint8Array(buffer);
    memoryView.fill(0, Math.max(0, top - STACK_WIPE_BYTES), top);
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
      else wipeStack(exports.memory.buffer, top);
      if (failed) throw trap ? recovered(error) : fromCoreError(error);
      return result;
    }
    const broken = trap || nestedTrap ||
      exports.__wbindgen_add_to_stack_pointer(0) !== stackBase || exports.sigv4_heap_live() !== 0;
    nestedTrap = false;
    const buffer = exports.memory.buffer; // (a getter into the engine: read once)
    if (buffer.byteLength > MAX_RETAINED_BYTES) {
      fresh = pristine = memoryView = undefined;
      instance.discard();
    } else if (broken) {
      restore(exports);
    } else {
      wipeStack(buffer, stackBase);
    }
    unchecked = false;
    if (failed) throw broken ? recovered(error) : fromCoreError(error);
    return result;
  }

  /** The runtime's SHA-256 for signRequest to hash a long canonical request with
   * (native-hash.js: `sha256(data, hex)`). Only the servers' entries give one (their binary has
   * the feature `speed`, whose binding uses it); undefined with `nativeHash: false`. */
  function nativeCanonical(options) {
    if (typeof __SIGV4_NO_NATIVE_HASH__ !== 'undefined' && __SIGV4_NO_NATIVE_HASH__) return undefined;
    return canonicalSha256 && options.nativeHash !== false ? canonicalSha256() || undefined : undefined;
  }

  /** The body as `body()` for signRequest, called only when the core's rules hash the body
   * (the servers' binding calls it; with the others, signWith does when the binding asks):
   * its bytes, or, where the runtime hashes faster than wasm, its SHA-256 (of a string, of its
   * UTF-8 bytes, without encoding it here first). The servers' binary (only their entries pass
   * canonicalSha256) takes the hash then the body's length in bytes, and checks a
   * content-length or x-amz-content-sha256 header against them as against the bytes
   * (src/bindings.rs, Body::payload). The others take the hash alone, as the payload hash,
   * which it is only when the request has no x-amz-content-sha256 header and its
   * content-length check is sure to pass (lengthCheckPasses): else the core gets the bytes,
   * and checks them. */
  function bodyReader(given, options, headers) {
    if (typeof __SIGV4_NO_NATIVE_HASH__ !== 'undefined' && __SIGV4_NO_NATIVE_HASH__) return () => bodyOf(given);
    return () => {
      const length = typeof given === 'string' ? given.length : (given = bodyOf(given)).length;
      const hasher = hasherFor(options, length);
      // The runtime's hasher takes a string as its UTF-8; a `nativeHash` function takes bytes.
      if (hasher && typeof given === 'string' && typeof options.nativeHash === 'function') given = bodyOf(given);
      if (hasher && (typeof __SIGV4_BODY_CALLBACK__ === 'undefined' || __SIGV4_BODY_CALLBACK__) && canonicalSha256) {
        return hasher(given) + (typeof given !== 'string' ? given.length : hasher.utf8Length ? hasher.utf8Length(given) : utf8Length(given));
      }
      if (hasher && headerValue(headers, 'x-amz-content-sha256') === undefined && lengthCheckPasses(headers, given)) {
        return hasher(given);
      }
      return typeof given === 'string' ? bodyOf(given) : given;
    };
  }

  /** Whether signRequest takes body() and the runtime's SHA-256 (above signWith): where the
   * build defines nothing (the sources run as they are, in tests), the servers' binding is the
   * one their entries give canonicalSha256 to. */
  const bodyCallback = !!canonicalSha256;

  /** Whether a body of 1 KiB or more could be hashed outside the binary, as hasherFor decides
   * when the body is read (which also refuses a `nativeHash` neither boolean nor function):
   * any `nativeHash` but false, or, when not given, the runtime's own SHA-256. */
  function hashable(options) {
    if (typeof __SIGV4_NO_NATIVE_HASH__ !== 'undefined' && __SIGV4_NO_NATIVE_HASH__) return false;
    const chosen = options.nativeHash;
    return chosen !== false && (chosen !== undefined || !!nativeSha256);
  }

  return { call, hasherFor, bodyReader, nativeCanonical, signedFields, upFront, bodyCallback, hashable };
}

/** Signs (`presigning` false) or presigns a request, over `calls` (createCalls) and the
 * binding's signRequest: what createSign and createPresign make their function of. */
function createSignWith(calls, signRequest) {
  const { call, bodyReader, nativeCanonical, signedFields, upFront, bodyCallback, hashable } = calls;

  return function signWith(request, options, presigning) {
    requestOf(request);
    optionsOf(options);
    // Each input checked in this order: the first bad one is the one reported.
    const url = urlOf(request.url);
    const headers = headerParts(request.headers, []);
    const hostOverride = optionalString(options.hostOverride, 'hostOverride', 'INVALID_HEADER_VALUE');
    const region = optionalString(options.region, 'region', 'INVALID_REGION');
    const service = optionalString(options.service, 'service', 'INVALID_SERVICE');
    const [s3, pathEncoding, normalizePath, pathInput, queryPlus, appendSessionToken, contentSha256] = rulesOf(options);
    const payloadHash = optionalString(options.payloadHash, 'payloadHash', 'INVALID_PAYLOAD_HASH');
    const payload = options.unsignedPayload ? 'unsigned' : payloadHash ? 'hash' : 'body';
    const expiresIn = presigning && options.expiresIn !== undefined ? String(options.expiresIn) : '';
    const method = methodOf(request.method);
    const accessKeyId = optionalString(options.accessKeyId, 'accessKeyId', 'INVALID_ACCESS_KEY_ID');
    const secretAccessKey = optionalString(options.secretAccessKey, 'secretAccessKey');
    const sessionToken = optionalString(options.sessionToken, 'sessionToken', 'INVALID_SESSION_TOKEN');
    const datetime = datetimeOf(options.datetime, 'datetime');
    const signHeaders = listOf(options.signHeaders, 'signHeaders');
    const unsignedHeaders = listOf(options.unsignedHeaders, 'unsignedHeaders');
    const query = optionalString(request.query, 'query', 'INVALID_URL');
    // The call: the fields in the order of protocol.js's SIGN_REQUEST, then the header names
    // and values. (Packed, which V8 joins faster; by position, not by name: 0.2 KB gzipped
    // less in a browser app.)
    const fields = [
      method, url, query, accessKeyId, secretAccessKey, sessionToken, region, service, datetime, flag(presigning),
      expiresIn, payload, payloadHash, s3, pathEncoding, normalizePath, pathInput, queryPlus, appendSessionToken,
      contentSha256, hostOverride, signHeaders, unsignedHeaders,
    ];
    for (let i = 0; i < headers.length; i++) fields.push(headers[i]);
    const given = request.body;
    const absent = given === undefined || given === null;
    let signed;
    // The servers' binding (feature `speed`) or the others' (__SIGV4_BODY_CALLBACK__, above;
    // tested where it is used, as a bundler folds it there and not through a variable).
    if (typeof __SIGV4_BODY_CALLBACK__ !== 'undefined' ? __SIGV4_BODY_CALLBACK__ : bodyCallback) {
      // The servers hash a large body before the call where that signs as the core's reading of
      // it would (native-hash.js, upFront), which spares the call back for it: 5-10 % of a 1 KiB
      // POST. A body smaller than what the runtime hashes goes with the fields (it costs less to
      // copy it than to call back for it); any other is read by body() when the core hashes it.
      const hashed = upFront && upFront(request, options, payload, presigning, NATIVE_HASH_MIN_BYTES);
      if (hashed) {
        fields[SIGN_PAYLOAD] = 'hash';
        fields[SIGN_PAYLOAD + 1] = hashed;
      }
      const inline = inlined(given, NATIVE_HASH_MIN_BYTES);
      const body = hashed || inline || absent ? undefined : bodyReader(given, options, headers.join(SEP));
      const text = fields.join(SEP);
      signed = call(() => withInput(text, inline ? given : undefined, (input, fieldsEnd) =>
        signRequest(input, fieldsEnd, body, nativeCanonical(options))));
    } else {
      // The others' takes the fields as a string and the body apart (a small one's bytes at
      // once), and returns '' when the core hashes a body not given (src/bindings.rs): it is
      // read then, and given with a second call, or, hashed here, given as the payload hash.
      // Where no hasher could take it, a body up to INLINE_MAX_BYTES goes with the fields: a
      // copy costs less than the second call that reading it takes.
      const inline = inlined(given, hashable(options) ? NATIVE_HASH_MIN_BYTES : INLINE_MAX_BYTES);
      const text = fields.join(SEP);
      signed = call(() => returned(signRequest(text, inline ? bodyOf(given) : EMPTY, inline || absent)));
      if (signed === '') {
        const read = bodyReader(given, options, headers.join(SEP))();
        if (typeof read === 'string') {
          fields[SIGN_PAYLOAD] = 'hash';
          fields[SIGN_PAYLOAD + 1] = read;
        }
        const again = fields.join(SEP);
        signed = call(() => returned(signRequest(again, typeof read === 'string' ? EMPTY : read, true)));
      }
    }
    const out = (typeof __SIGV4_BODY_CALLBACK__ !== 'undefined' ? __SIGV4_BODY_CALLBACK__ : bodyCallback) ? signedFields(signed, sessionToken) : signedOf(signed);
    return resultOf(out, presigning);
  };
}

/** sign over `calls` (createCalls) and the binding's signRequest. */
export function createSign(calls, signRequest) {
  const signWith = createSignWith(calls, signRequest);

  /** Signs a request with the Authorization header. */
  return function sign(request, options) {
    return signWith(request, options, false);
  };
}

/** presign over `calls` (createCalls) and the binding's signRequest. */
export function createPresign(calls, signRequest) {
  const signWith = createSignWith(calls, signRequest);

  /** Presigns a request: the signature goes into the URL's query string. */
  return function presign(request, options) {
    optionsOf(options);
    if (options.expiresIn !== undefined && typeof options.expiresIn !== 'number') {
      throw typeError(`expiresIn must be a number of seconds, not ${typeof options.expiresIn}`);
    }
    return signWith(request, options, true);
  };
}

/** signingKeyDerivation over `calls` and the binding's function of that name (`derive`). */
export function createSigningKeyDerivation({ call }, derive) {
  /** Every step of the signing-key derivation, as hex. */
  function signingKeyDerivation(options) {
    optionsOf(options);
    const date = optionalString(options.date, 'date');
    const out = call(() =>
      derive(
        optionalString(options.secretAccessKey, 'secretAccessKey'),
        date,
        optionalString(options.region, 'region'),
        optionalString(options.service, 'service'),
      )).split(SEP);
    return { kDate: out[KEY_FIELD.kDate], kRegion: out[KEY_FIELD.kRegion], kService: out[KEY_FIELD.kService], kSigning: out[KEY_FIELD.kSigning] };
  }

  return signingKeyDerivation;
}

/** inferScope over `calls` and the binding's function of that name (`infer`). */
export function createInferScope({ call }, infer) {
  /** The region and service a host names; each undefined when it names none. */
  function inferScope(host) {
    const out = call(() => infer(optionalString(host, 'host'))).split(SEP);
    return { region: out[SCOPE_FIELD.region] || undefined, service: out[SCOPE_FIELD.service] || undefined };
  }

  return inferScope;
}

/** The signer's API over `calls` and `glue` (the binding), whole: for the entries that export
 * it as one object (the browsers' entry makes each function apart, for tree shaking). */
export function createApi(calls, glue) {
  return {
    sign: createSign(calls, glue.signRequest),
    presign: createPresign(calls, glue.signRequest),
    signingKeyDerivation: createSigningKeyDerivation(calls, glue.signingKeyDerivation),
    inferScope: createInferScope(calls, glue.inferScope),
    SigV4Error,
  };
}

// signAsync is built apart from the rest (and AwsClient in aws-client.js), each by a function
// that the entries call with a /* @__PURE__ */ annotation, so that a bundler drops them from an
// app that does not use them (an app that imports only sign).

/** signAsync over an entry's sign and the `hasherFor` of its calls (createCalls). */
export function createSignAsync(sign, { hasherFor }) {
  /**
   * sign, resolving with the same result, for bodies too large to hash synchronously in good
   * time: where no synchronous native hash applies (browsers, Deno without node:crypto,
   * workerd, React Native without a `nativeHash` function), a body of 16 KiB or more is hashed
   * by WebCrypto and signed with that hash. A Blob body is read here too.
   */
  function signAsync(request, options) {
    return Promise.resolve().then(() => {
      requestOf(request);
      optionsOf(options);
      const body = request.body;
      if (body === undefined || body === null || options.payloadHash !== undefined || options.unsignedPayload) return sign(request, options);
      if (typeof body.arrayBuffer === 'function' && typeof body.size === 'number' && !(body instanceof Uint8Array)) {
        return body.arrayBuffer().then((bytes) => signAsync(Object.assign({}, request, { body: new Uint8Array(bytes) }), options));
      }
      const bytes = bodyOf(body);
      const subtle = typeof crypto === 'object' && crypto && crypto.subtle;
      const headers = headersOf(request.headers);
      if (!subtle || options.nativeHash === false || bytes.length < WEBCRYPTO_MIN_BYTES || hasherFor(options, bytes.length) ||
        headerValue(headers, 'x-amz-content-sha256') !== undefined || !lengthCheckPasses(headers, bytes)) {
        return sign(request, options);
      }
      return subtle.digest('SHA-256', bytes).then((digest) => {
        const signed = sign(Object.assign({}, request, { body: undefined }), Object.assign({}, options, { payloadHash: hexDigest(digest) }));
        return signed;
      });
    });
  }

  return signAsync;
}
