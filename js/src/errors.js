// SigV4Error: every error the signer raises for bad input or a failed verification.
// Written without `class` so that Hermes 0.12 and old sandboxes can load it.

/**
 * @param {string} code a stable machine code, e.g. 'INVALID_URL'
 * @param {string} message what happened and what to fix
 * @param {{canonicalRequest?: string, stringToSign?: string}} [details]
 */
export function SigV4Error(code, message, details) {
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

/** The error thrown inside wasm (an Error named SigV4Error with a code) as a SigV4Error. */
export function fromCoreError(error) {
  if (error && error.name === 'SigV4Error' && typeof error.code === 'string') {
    return SigV4Error(error.code, error.message, error);
  }
  return error;
}
