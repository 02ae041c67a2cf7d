// The protocol between js/src/api.js and src/bindings.rs: the names of the fields of each
// call and result, in their order. src/bindings.rs declares the same tables (`fields!`), and
// tests/bindings.rs checks that the two agree.
//
// A call is one string: its fields separated by NUL, then the request's header names and
// values. A field is text as given, or '' for an option not set; a choice is the option's
// word ('single'), a flag 'true' or 'false', seconds decimal digits, and a list of header
// names the names joined with ',' and closed by a ',' (',' is a list given empty).

export const SEP = '\0';

export const SIGN_REQUEST = [
  'method', 'url', 'query', 'accessKeyId', 'secretAccessKey', 'sessionToken', 'region', 'service', 'datetime',
  'presign', 'expiresIn', 'payload', 'payloadHash', 's3', 'pathEncoding', 'normalizePath', 'pathInput', 'queryPlus',
  'appendSessionToken', 'contentSha256', 'hostOverride', 'signHeaders', 'unsignedHeaders',
];

/** The position of SIGN_REQUEST's payload, which its payload hash follows: where api.js puts
 * a hash it took (tests/bindings.rs checks it). */
export const SIGN_PAYLOAD = 11;

/** The rules of signing and verifying (api.js's rulesOf), in both tables in this order. */
export const RULES = ['s3', 'pathEncoding', 'normalizePath', 'pathInput', 'queryPlus', 'appendSessionToken', 'contentSha256'];

/** Then the header names and values to send. */
export const SIGNED = [
  'method', 'url', 'canonicalRequest', 'stringToSign', 'credentialScope', 'signedHeaders', 'payloadHash', 'signature',
  'authorization', 'expiresIn', 'region', 'service', 'datetime', 's3',
];

/** How many fields SIGNED has: where the headers start (tests/bindings.rs checks it). */
export const SIGNED_LENGTH = 14;

/** The header names the servers' signRequest result names by a letter, 'a' for the first
 * (src/bindings.rs, write_for_servers; js/src/native-hash.js reads it). */
export const HEADER_NAMES = [
  'authorization', 'host', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256', 'content-type', 'content-length',
];

export const VERIFY_REQUEST = [
  'method', 'url', 'now', 'region', 'service', 's3', 'pathEncoding', 'normalizePath', 'pathInput', 'queryPlus',
  'appendSessionToken', 'contentSha256', 'maxClockSkew', 'allowUnsignedPayload', 'requireSignedHeaders', 'bodySha256',
];

export const VERIFIED = ['accessKeyId', 'credentialScope', 'signedHeaders', 'signedAt', 'expiresIn', 'canonicalRequest'];

/** verifyChunkedRequest: VERIFIED's fields, then the state of the body's verifier. */
export const VERIFIED_CHUNKED = [
  'accessKeyId', 'credentialScope', 'signedHeaders', 'signedAt', 'expiresIn', 'canonicalRequest', 'state',
];

/** verifyChunks; the body's next bytes are its second argument. */
export const VERIFY_CHUNKS = ['secretAccessKey', 'state', 'end'];

/** The verifier's next state, and the events: '<start>-<end>' (data held until verified), 'v'
 * (the chunk verified: release it), 'e' (the body ended well), joined with ','. */
export const CHUNKS_VERIFIED = ['state', 'events'];

export const KEY_DERIVATION = ['kDate', 'kRegion', 'kService', 'kSigning'];

export const SCOPE = ['region', 'service'];

// S3's chunked uploads and POST policies: src/bindings/uploads.rs.

/** Then the request's header names and values. */
export const CHUNKED_UPLOAD = ['payloadHash', 'decodedLength', 'chunkSize', 'checksum'];

/** Then the header names and values the seed request adds. */
export const CHUNKED_UPLOAD_RESULT = ['payloadHash', 'encodedLength', 'chunkSize', 'checksum'];

export const ENCODE_CHUNK = [
  'secretAccessKey', 'datetime', 'region', 'service', 'payloadHash', 'decodedLength', 'chunkSize', 'checksum',
  'written', 'last', 'previousSignature', 'checksumState',
];

export const ENCODED_CHUNK = ['head', 'tail', 'signature', 'checksumState'];

/** Then pairs: 'meta:<name>', 'field:<name>', 'starts-with:<name>' or 'equals:<name>', and the value. */
export const PRESIGN_POST = [
  'accessKeyId', 'secretAccessKey', 'sessionToken', 'region', 'service', 'datetime', 'bucket', 'key', 'expiresIn',
  'contentLengthMin', 'contentLengthMax', 'contentType', 'successActionStatus', 'url',
];

/** Then the form's field names and values. */
export const PRESIGNED_POST = ['url', 'policy', 'stringToSign', 'credentialScope', 'signature', 'expiration'];

/** Each name of `table` and its position: `at(SIGN_REQUEST).url` is 1. */
export function at(table) {
  const positions = {};
  for (let i = 0; i < table.length; i++) positions[table[i]] = i;
  return Object.freeze(positions);
}

/** A call: `fields` (an array with every position of `table` set to a string), then
 * `headers` (names and values, already joined with NUL; '' for none). */
export function encode(table, fields, headers) {
  for (let i = 0; i < table.length; i++) {
    if (typeof fields[i] !== 'string') throw new Error(`sigv4-wasm: protocol field ${table[i]} is missing`);
  }
  const text = fields.join(SEP);
  return headers ? text + SEP + headers : text;
}
