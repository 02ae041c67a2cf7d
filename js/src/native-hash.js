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
