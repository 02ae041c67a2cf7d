// The runtime's own SHA-256, where it has one. api.js uses it for bodies large enough that the
// call beats hashing in wasm, and the servers' binding for long canonical requests. The entries for runtimes that may have node:crypto pass it to
// createEntry; the Postman script does not (its sandbox has no `process`, and the script must
// not name it).

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

/** `text.split('\0')` by indexOf and slice: V8 runs this in under half the time of split on a
 * signRequest result of 1-2 KB (Node 20: 0.7 against 1.9 µs on the STS POST's), Hermes in 2.5x
 * the time of its split. api.js takes it from here, where only the servers' entries (V8,
 * JavaScriptCore) find it, so that no other bundle carries it. */
nodeCryptoCanonicalSha256.fields = (text) => {
  const fields = [];
  let at = 0;
  for (;;) {
    const end = text.indexOf('\0', at);
    if (end === -1) break;
    fields.push(text.slice(at, end));
    at = end + 1;
  }
  fields.push(text.slice(at));
  return fields;
};

/** The header names a signature adds, and the usual ones a request brings, as the constants
 * of this file. */
const HEADER_NAMES = ['authorization', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256',
  'content-type', 'content-length'];

/** api.js's headerObject (the header pairs of a signRequest result from `start` on, as an
 * object; a repeated name's values joined with ','), naming each header whose name is one of
 * HEADER_NAMES with this file's constant. A name sliced from the result is a new string,
 * which V8 hashes and looks up in its string table each time it names a property; a constant
 * is looked up once. 3-5 % of a signature's time in Node 20. */
nodeCryptoCanonicalSha256.headerObject = (fields, start) => {
  const headers = {};
  for (let i = start; i + 1 < fields.length; i += 2) {
    let name = fields[i];
    for (let k = 0; k < HEADER_NAMES.length; k++) {
      if (name === HEADER_NAMES[k]) {
        name = HEADER_NAMES[k];
        break;
      }
    }
    const had = headers[name];
    headers[name] = had === undefined ? fields[i + 1] : `${had},${fields[i + 1]}`;
  }
  return headers;
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
