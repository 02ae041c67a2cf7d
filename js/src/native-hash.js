// The runtime's own SHA-256, where it has one. api.js uses it for bodies large enough that the
// call beats hashing in wasm, and the servers' binding for long canonical requests. The entries for runtimes that may have node:crypto pass it to
// createEntry; the Postman script does not (its sandbox has no `process`, and the script must
// not name it).

import { HEADER_NAMES, SIGNED } from './protocol.js';

let found;

/** SHA-256 as hex, of bytes or of a string's UTF-8 (lone surrogates as U+FFFD, as TextEncoder
 * writes them), from node:crypto (Node 20.16+, Deno, Bun, workerd with nodejs_compat), found
 * through process.getBuiltinModule so that no bundler sees an import; null elsewhere. Its
 * `utf8Length(text)`, where node:buffer has one, is the length of a string's UTF-8. */
export function nodeCryptoSha256() {
  if (found !== undefined) return found;
  found = null;
  try {
    const crypto = typeof process === 'object' && process && typeof process.getBuiltinModule === 'function'
      ? process.getBuiltinModule('node:crypto') : null;
    if (crypto && typeof crypto.hash === 'function') {
      // One call, no Hash object (Node 20.12+): about half the cost of createHash for a few KiB.
      found = (bytes) => crypto.hash('sha256', bytes, 'hex');
    } else if (crypto && typeof crypto.createHash === 'function') {
      found = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');
    }
    // The length of a string's UTF-8, which api.js sends with its hash (lone surrogates count
    // as U+FFFD, as the hash encodes them): node:buffer's, native, is 5x faster on 1 KiB than a
    // loop over the characters.
    const buffer = found && process.getBuiltinModule('node:buffer');
    if (buffer && buffer.Buffer && typeof buffer.Buffer.byteLength === 'function') {
      const byteLength = buffer.Buffer.byteLength;
      found.utf8Length = (text) => byteLength(text, 'utf8');
    }
  } catch (ignored) {
    // No usable node:crypto: the core hashes every body.
  }
  return found;
}

let canonical;

/** node:crypto's SHA-256 as the servers' binding (src/bindings.rs, NativeSha256) calls it for a
 * long canonical request: `sha256(data, hex)` writes the 64 hex digits of the hash of `data`
 * into `hex` (both views of wasm memory); null where there is no node:crypto. Only the
 * servers' entries pass it to createEntry, so no other bundle carries it. */
export function nodeCryptoCanonicalSha256() {
  if (canonical !== undefined) return canonical;
  const hasher = nodeCryptoSha256();
  // (Where there is node:crypto there is TextEncoder.)
  const encoder = hasher ? new TextEncoder() : null;
  canonical = hasher ? { sha256: (data, hex) => { encoder.encodeInto(hasher(data), hex); } } : null;
  return canonical;
}

/** The positions of the result's fields that a header's value may be tied to
 * (src/bindings.rs, write_for_servers), and the number of its fields. */
const AUTHORIZATION = /* @__PURE__ */ SIGNED.indexOf('authorization');
const DATETIME = /* @__PURE__ */ SIGNED.indexOf('datetime');
const TIED_AUTHORIZATION = /* @__PURE__ */ HEADER_NAMES.indexOf('authorization');
const TIED_DATE = /* @__PURE__ */ HEADER_NAMES.indexOf('x-amz-date');
const FIELDS = SIGNED.length;
/** SIGNED's fields and the headers, empty. */
const NO_FIELDS = /* @__PURE__ */ SIGNED.concat('').fill('');

/** The servers' signRequest result (src/bindings.rs, write_for_servers: SIGNED's fields, one
 * letter per header, then the header names and values the letters do not stand for), as
 * api.js's createSignWith takes it: SIGNED's fields, then the headers as an object (a
 * repeated name's values joined with ','). `sessionToken` is the one the call was given,
 * which a tied X-Amz-Security-Token header is. Each header name of HEADER_NAMES is its
 * constant from protocol.js: a name sliced from the result is a new string, which V8 hashes
 * and looks up in its string table each time it names a property, where a constant is looked
 * up once. The fields are sliced by indexOf, which V8 runs in under half the time of split
 * (Hermes, in 2.5x: only the servers' entries, V8 and JavaScriptCore, find this). */
nodeCryptoCanonicalSha256.signed = (text, sessionToken) => {
  const out = NO_FIELDS.slice(); // packed, as long as it will be
  let at = 0;
  for (let i = 0; i <= FIELDS; i++) {
    let end = text.indexOf('\0', at);
    if (end === -1) end = text.length;
    out[i] = text.slice(at, end);
    at = end + 1;
  }
  const letters = out[FIELDS];
  const headers = {};
  for (let i = 0; i < letters.length; i++) {
    const letter = letters.charCodeAt(i);
    let name;
    let value;
    if (letter >= 97) { // 'a'...: a name of HEADER_NAMES, and its value
      name = HEADER_NAMES[letter - 97];
    } else if (letter >= 65) { // 'A'...: the same, its value tied to a field or the token
      const k = letter - 65;
      name = HEADER_NAMES[k];
      value = k === TIED_AUTHORIZATION ? out[AUTHORIZATION] : k === TIED_DATE ? out[DATETIME] : sessionToken;
    } else { // '.': the name, then the value
      const end = text.indexOf('\0', at);
      name = text.slice(at, end);
      at = end + 1;
    }
    if (value === undefined) {
      let end = text.indexOf('\0', at);
      if (end === -1) end = text.length;
      value = text.slice(at, end);
      at = end + 1;
    }
    const had = headers[name];
    headers[name] = had === undefined ? value : `${had},${value}`;
  }
  out[FIELDS] = headers;
  return out;
};

/** A request body's SHA-256 for api.js to sign as its payload hash, hashed before the call
 * (a string as its UTF-8), where that signs exactly as the core's own reading of the body: the
 * core checks a body it reads against the request's x-amz-content-sha256 and content-length
 * headers (src/sign.rs, Additions::decide) and not a payload hash against them. So only for
 * headers given as a plain object with no x-amz-content-sha256 (of any case) and at most one
 * content-length whose value is exactly the body's length in bytes, as a string or a number;
 * '' for any other, whose body the core then reads and checks (tests/js/suite.mjs compares
 * both ways for each shape of header). */
nodeCryptoCanonicalSha256.upFront = (request, options, payload, presigning, minBytes) => {
  const hasher = nodeCryptoSha256();
  const { body, headers } = request;
  const nativeHash = options.nativeHash;
  // Only for a body the core would read (`payload` is api.js's field, 'body' when neither a
  // payload hash nor an unsigned payload is asked for; a presigned S3 URL never hashes one),
  // only with the runtime's hasher (a `nativeHash` function is called when the core reads the
  // body), only for the bodies api.js hashes with it, and only for types bodyOf takes as they
  // are (it throws for others when the core reads them).
  if (presigning || payload !== 'body' || !hasher || !hasher.utf8Length || (nativeHash !== undefined && nativeHash !== true)) return '';
  if (typeof body !== 'string' && !(body !== null && typeof body === 'object' && Object.getPrototypeOf(body) === Uint8Array.prototype)) return '';
  if (body.length < minBytes) return '';
  if (headers !== undefined && headers !== null) {
    if (typeof headers !== 'object' || Array.isArray(headers) || typeof headers.forEach === 'function') return '';
    const length = typeof body === 'string' ? hasher.utf8Length(body) : body.length;
    const names = Object.keys(headers);
    let lengths = 0;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      // (Of the characters toLowerCase maps to ASCII, only the ASCII capitals can spell
      // these names: the Kelvin sign lowers to k, and İ to two characters.)
      if (name.length === 20 && name.toLowerCase() === 'x-amz-content-sha256') return '';
      if (name.length !== 14 || name.toLowerCase() !== 'content-length') continue;
      const value = headers[name];
      if (value === undefined || value === null) continue;
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value) !== String(length) || ++lengths > 1) return '';
    }
  }
  return hasher(body);
};
