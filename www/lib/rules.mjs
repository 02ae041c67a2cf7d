// The canonicalization rules of SigV4, each explained where it applies: beside the step it
// shapes, and under a cause of the mismatch debugger that it explains. Each rule names the
// AWS documentation that states it (the links were checked against AWS's pages).

/** AWS's pages, by what they cover. */
export const DOCS = {
  signing: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html',
  s3Header: 'https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html',
  s3Query: 'https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html',
};

/**
 * `{ id, title, text, links: [{ href, label }] }`. `text` may use `{s3}`-free plain words;
 * the S3 variants are separate rules, so each reads true where it is shown.
 */
export const RULES = [
  {
    id: 'path',
    title: 'Path: each segment URI-encoded twice, dot segments removed',
    text: 'Every service but S3 takes the path as sent (already percent-encoded once), removes "." and ".." segments and empty ones, then percent-encodes each segment again: a space sent as %20 is signed as %2520. Only A-Z, a-z, 0-9 and - _ . ~ stay as they are; "/" separates segments.',
    links: [{ href: DOCS.signing, label: 'IAM User Guide: create a signed request (CanonicalURI)' }],
  },
  {
    id: 'path-s3',
    title: "Path for S3: encoded once, kept as it is",
    text: 'S3 signs the object key encoded once (a space is %20, "+" is %2B) and keeps "//", "." and ".." segments: the key is data, not a path to normalize. Tick "S3 rules" for S3; "The path is an unencoded S3 key" encodes a raw key for you.',
    links: [{ href: DOCS.s3Header, label: 'Amazon S3 API: signature calculation for the Authorization header' }],
  },
  {
    id: 'query',
    title: 'Query: each name and value encoded, sorted by name',
    text: 'Each parameter name and value is percent-encoded (a space is %20, never "+"; "=" and "&" inside a value are encoded), then the pairs are sorted by encoded name (and value for repeated names) and joined with "&". A parameter without "=" gets an empty value. A presigned URL signs every parameter but X-Amz-Signature.',
    links: [{ href: DOCS.signing, label: 'IAM User Guide: CanonicalQueryString' }, { href: DOCS.s3Query, label: 'Amazon S3 API: presigned URLs (query parameters)' }],
  },
  {
    id: 'headers',
    title: 'Headers: lowercase names, values trimmed and folded, sorted',
    text: 'Each signed header is written as lowercase-name:value on its own line, sorted by name. The value loses its leading and trailing spaces, and each run of spaces inside it becomes one space; a header sent several times is one line, its values joined by commas in the order sent. host (and :authority in HTTP/2) is always signed, and so are the x-amz-* headers sent.',
    links: [{ href: DOCS.signing, label: 'IAM User Guide: CanonicalHeaders' }],
  },
  {
    id: 'signed-headers',
    title: 'Signed headers: the list, lowercase, sorted, joined by ";"',
    text: "The fifth line names the headers in the canonical headers, lowercase and sorted, joined by \";\". It is sent in the Authorization header (SignedHeaders=) or the X-Amz-SignedHeaders parameter, and the service rebuilds the canonical headers from exactly these names: a listed header that does not arrive, or arrives changed, breaks the signature; a header not listed may change freely.",
    links: [{ href: DOCS.signing, label: 'IAM User Guide: SignedHeaders' }],
  },
  {
    id: 'payload',
    title: 'Payload hash: SHA-256 of the body, in hex',
    text: "The last line is the lowercase hex SHA-256 of the body's exact bytes (of the empty string for no body: e3b0c442…b855). The body must be sent byte for byte as signed: re-serialized JSON, another charset or line endings change it.",
    links: [{ href: DOCS.signing, label: 'IAM User Guide: HashedPayload' }],
  },
  {
    id: 'payload-s3',
    title: 'Payload hash for S3: x-amz-content-sha256',
    text: 'S3 also needs the hash sent as the x-amz-content-sha256 header (signed), or the literal UNSIGNED-PAYLOAD there and in the canonical request; a presigned S3 URL always signs UNSIGNED-PAYLOAD.',
    links: [{ href: DOCS.s3Header, label: 'Amazon S3 API: signed and unsigned payload' }, { href: DOCS.s3Query, label: 'Amazon S3 API: presigned URLs' }],
  },
  {
    id: 'string-to-sign',
    title: 'String to sign: algorithm, time, scope, hash of the canonical request',
    text: 'AWS4-HMAC-SHA256, the X-Amz-Date (UTC, 20150830T123600Z), the credential scope date/region/service/aws4_request (the date is X-Amz-Date\'s), and the hex SHA-256 of the canonical request, one a line. The signing key is HMAC-SHA256 applied in turn to that date, region, service and "aws4_request", starting from "AWS4" + the secret.',
    links: [{ href: DOCS.signing, label: 'IAM User Guide: create a string to sign, derive the signing key' }],
  },
];

const BY_ID = new Map(RULES.map((rule) => [rule.id, rule]));

export function rule(id) {
  return BY_ID.get(id);
}

/**
 * The rules that shape each step for this signing (`s3`: S3's rules in use; `presigned`):
 * `{ 'canonical-request': [rules], 'string-to-sign': [rules] }`.
 */
export function rulesForSteps({ s3 = false } = {}) {
  return {
    'canonical-request': [s3 ? 'path-s3' : 'path', 'query', 'headers', 'signed-headers', s3 ? 'payload-s3' : 'payload'].map(rule),
    'string-to-sign': [rule('string-to-sign')],
  };
}

/** The rule that explains a cause of the mismatch debugger (mismatch.mjs diagnose), or undefined. */
export function ruleForCause(causeId, { s3 = false } = {}) {
  const id = {
    'path-encoding': s3 ? 'path-s3' : 'path',
    'path-normalization': s3 ? 'path-s3' : 'path',
    path: s3 ? 'path-s3' : 'path',
    query: 'query',
    'query-encoding': 'query',
    'header-changed': 'headers',
    'header-missing': 'signed-headers',
    host: 'headers',
    'signed-headers': 'signed-headers',
    'unsigned-header': 'signed-headers',
    'body-hash': s3 ? 'payload-s3' : 'payload',
    'payload-hash-header': 'payload-s3',
    'signing-time': 'string-to-sign',
    region: 'string-to-sign',
    service: 'string-to-sign',
    'scope-date': 'string-to-sign',
    invisible: 'headers',
  }[causeId];
  return id ? rule(id) : undefined;
}
