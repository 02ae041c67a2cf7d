// The S3 uploads part of the playground, what is not the page: the object URL of a key, the
// chunk count of an upload, the headers a browser may set, the POST policy's form as an HTML
// <form> and as FormData code, and the policy read from the form's fields. Pure functions,
// tested in Node (tests/www/s3-uploads.test.mjs); the signing is sigv4-wasm/s3's.

/** The object's URL: the bucket URL (virtual-hosted or path-style) and the key, each segment encoded once. */
export function objectUrl(bucketUrl, key) {
  const base = String(bucketUrl || '').trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]/.test(base)) throw new Error('the bucket URL must start with http:// or https://, e.g. https://my-bucket.s3.us-east-1.amazonaws.com');
  if (!key) throw new Error('an object key is needed');
  return `${base}/${key.split('/').map((segment) => encodeURIComponent(segment)).join('/')}`;
}

/** How many chunk frames an upload of `length` bytes sends: its full chunks, the short last one, and the final empty chunk. */
export function chunkCount(length, chunkSize) {
  return Math.ceil(length / chunkSize) + 1;
}

/** The headers a page may set (a browser sets host and content-length itself, from the URL and the body). */
export function settableHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!['host', 'content-length'].includes(name.toLowerCase())) out[name] = value;
  }
  return out;
}

/** The form's policy options from the generator's inputs (strings); throws with what to fix. */
export function postPolicyOf({ bucket, key, expiresIn, min, max, contentType, successActionStatus, url }) {
  if (!bucket) throw new Error('the bucket name is needed (the last part of a path-style URL, the first of a virtual-hosted one)');
  const policy = { bucket, key: key || '${filename}' };
  if (expiresIn) policy.expiresIn = Number(expiresIn);
  if (min !== '' || max !== '') {
    if (min === '' || max === '') throw new Error('a content-length range needs both its smallest and largest size');
    policy.contentLengthRange = [Number(min), Number(max)];
  }
  if (contentType) policy.contentType = contentType;
  if (successActionStatus) policy.successActionStatus = successActionStatus;
  if (url) policy.url = url;
  return policy;
}

/** The bucket of a bucket URL: virtual-hosted (`bucket.s3.region.amazonaws.com`) or path-style (`host/bucket`). */
export function bucketOf(bucketUrl) {
  let url;
  try {
    url = new URL(String(bucketUrl || '').trim());
  } catch {
    return '';
  }
  const path = url.pathname.replace(/^\/+|\/+$/g, '');
  if (path) return path.split('/')[0];
  const virtual = /^(.+)\.s3[.-]/.exec(url.hostname);
  return virtual ? virtual[1] : '';
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** A ready HTML form: the fields hidden, in order, then the file input, last. */
export function htmlFormSnippet(presigned) {
  const lines = [`<form action="${escapeHtml(presigned.url)}" method="post" enctype="multipart/form-data">`];
  for (const [name, value] of Object.entries(presigned.fields)) {
    lines.push(`  <input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`);
  }
  lines.push('  <label>File <input type="file" name="file" required></label>');
  lines.push('  <button type="submit">Upload</button>');
  lines.push('</form>');
  return lines.join('\n');
}

/** The same upload from a page's script: FormData with the fields, then the file. */
export function formDataSnippet(presigned) {
  return [
    "// The fields in this order, then the file, last (S3 ignores fields after it).",
    `const fields = ${JSON.stringify(presigned.fields, null, 2)};`,
    'const form = new FormData();',
    'for (const [name, value] of Object.entries(fields)) form.append(name, value);',
    "form.append('file', file); // a File from <input type=\"file\">",
    `const response = await fetch(${JSON.stringify(presigned.url)}, { method: 'POST', body: form });`,
    "// Or, with sigv4-wasm/s3: await uploadWithPost(presigned, file, { onProgress }) (S3's refusal: an S3_ERROR).",
  ].join('\n');
}

/** The policy document, indented. */
export function prettyPolicy(policy) {
  try {
    return JSON.stringify(JSON.parse(policy), null, 2);
  } catch {
    return policy;
  }
}

/**
 * The chunk headers (`size;chunk-signature=...`) and trailer lines of one encoded frame, in
 * order: what chains each chunk to the one before. Frames are ASCII around the data; the data
 * itself is skipped by its declared size, never searched.
 */
export function frameLines(frame) {
  const lines = [];
  const ascii = (from, to) => String.fromCharCode(...frame.subarray(from, to));
  let at = 0;
  while (at < frame.length) {
    let end = at;
    while (end + 1 < frame.length && !(frame[end] === 13 && frame[end + 1] === 10)) end++;
    if (end + 1 >= frame.length || end - at > 256) break; // no header or trailer line is longer
    const line = ascii(at, end);
    at = end + 2;
    if (line === '') continue;
    lines.push(line);
    const chunk = /^([0-9a-f]+);chunk-signature=/.exec(line);
    if (chunk && parseInt(chunk[1], 16) > 0) at += parseInt(chunk[1], 16) + 2; // the data and its CRLF (the final chunk has none: the trailer follows)
  }
  return lines;
}
