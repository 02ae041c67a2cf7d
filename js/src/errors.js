// SigV4Error: every error the signer raises for bad input or a failed verification.
// Written without `class` so that Hermes 0.12 and old sandboxes can load it.

/**
 * @param {string} code a stable machine code, e.g. 'INVALID_URL'
 * @param {string} message what happened and what to fix
 * @param {{canonicalRequest?: string, stringToSign?: string}} [details]
 */
function defineSigV4Error() {
  function SigV4Error(code, message, details) {
    const error = new Error(message);
    Object.setPrototypeOf(error, SigV4Error.prototype);
    error.name = 'SigV4Error';
    error.code = code;
    if (details && details.canonicalRequest !== undefined) error.canonicalRequest = details.canonicalRequest;
    if (details && details.stringToSign !== undefined) error.stringToSign = details.stringToSign;
    return error;
  }
  SigV4Error.prototype = Object.create(Error.prototype, {
    constructor: { value: SigV4Error, writable: true, configurable: true },
    name: { value: 'SigV4Error', writable: true, configurable: true },
  });
  Object.setPrototypeOf(SigV4Error, Error);
  // Its name survives minification: Node prints an error's class by it ('PA [SigV4Error]' else).
  Object.defineProperty(SigV4Error, 'name', { value: 'SigV4Error', configurable: true });
  return SigV4Error;
}

// One SigV4Error for every build loaded in a realm: sigv4-wasm and sigv4-wasm/verify are
// separate bundles outside servers, each with a copy of this file, and `instanceof` must hold
// whichever of them threw. The first to load registers its class on the realm's Error, under a
// registered symbol (Error rather than the global object, which Postman's sandbox may lack).
const REGISTRY = typeof Symbol === 'function' ? Symbol.for('sigv4-wasm.SigV4Error') : '__sigv4WasmSigV4Error';
export const SigV4Error = Error[REGISTRY] || defineSigV4Error();
if (!Error[REGISTRY]) Object.defineProperty(Error, REGISTRY, { value: SigV4Error });

/** What the binding throws for an error of the core (src/bindings.rs, to_js_error): the
 * string `\0<code>\0<canonicalRequest>\0<stringToSign>\0<message>`, as a SigV4Error (a
 * TypeError for the code 'TypeError': a call the binding could not read); anything else (what
 * a `lookup` or `body()` threw) as it is. */
export function fromCoreError(error) {
  if (typeof error !== 'string' || error.charAt(0) !== '\0') return error;
  const codeEnd = error.indexOf('\0', 1);
  const canonicalEnd = error.indexOf('\0', codeEnd + 1);
  const stringToSignEnd = error.indexOf('\0', canonicalEnd + 1);
  const code = error.slice(1, codeEnd);
  const message = error.slice(stringToSignEnd + 1);
  if (code === 'TypeError') return new TypeError(message);
  return SigV4Error(code, message, canonicalEnd > codeEnd + 1
    ? { canonicalRequest: error.slice(codeEnd + 1, canonicalEnd), stringToSign: error.slice(canonicalEnd + 1, stringToSignEnd) }
    : undefined);
}
