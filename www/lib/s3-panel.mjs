// The playground's S3 uploads part, the page side: a chunked upload of a picked file (its seed
// request's steps, the chunks as they are signed, the bytes as they are sent) and the POST
// form generator. sigv4-wasm/s3 is imported when first used: the page's own signer (the
// browser build) is without S3's upload forms, which cost 27 KB of wasm.
//
// A browser cannot stream a request body over HTTP/1.1 (Chromium streams fetch() bodies over
// HTTP/2 only), so the frames are collected into a Blob (which the browser may keep on disk)
// and sent with XMLHttpRequest, for its upload progress; the encoder itself holds one chunk.

import { bucketOf, chunkCount, formDataSnippet, frameLines, htmlFormSnippet, objectUrl, postPolicyOf, prettyPolicy, settableHeaders } from './s3-uploads.mjs';

const $ = (id) => document.getElementById(id);
const TOKEN_MASK = '** redacted **';
let s3Module;
let presigned;

function loadS3() {
  if (!s3Module) s3Module = import('/sigv4-wasm/s3.mjs');
  return s3Module;
}

/** The credentials of the Request form, and the part's region. */
function credentials() {
  const accessKeyId = $('f-accessKeyId').value.trim();
  const secretAccessKey = $('f-secretAccessKey').value;
  const sessionToken = $('f-sessionToken').value.trim();
  if (!accessKeyId || !secretAccessKey) throw new Error('Enter the access key id and secret access key in Request (1) first.');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), region: $('s3-region').value.trim() || 'us-east-1' };
}

const mask = (text, token) => (token ? text.split(token).join(TOKEN_MASK) : text);

function showError(id, error) {
  const node = $(id);
  node.textContent = error ? (error.code ? `${error.code}: ${error.message}` : error.message) : '';
  node.hidden = !error;
}

/** S3's <Code> and <Message> of an XML error answer, as one line. */
function s3Said(xml) {
  const code = /<Code>([^<]*)<\/Code>/.exec(xml);
  const message = /<Message>([^<]*)<\/Message>/.exec(xml);
  return code ? `${code[1]}${message ? `: ${message[1]}` : ''}` : xml.slice(0, 200);
}

/** PUTs `body` with `headers`, reporting the bytes sent; resolves to { status, text, etag }. */
function put(url, headers, body, onSent) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(settableHeaders(headers))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onSent(event.loaded);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText, etag: xhr.getResponseHeader('etag') });
    xhr.onerror = () => reject(new Error(`No answer from ${new URL(url).origin}: the network, or the bucket's CORS rules (they must allow PUT from this page's origin, with every header).`));
    xhr.send(body);
  });
}

async function chunkedUpload() {
  showError('s3-upload-error', null);
  const progress = $('s3-progress');
  const status = $('s3-chunk-status');
  progress.value = 0;
  try {
    const file = $('s3-file').files[0];
    if (!file) throw new Error('Pick a file first.');
    const creds = credentials();
    const key = $('s3-key').value.trim() || file.name;
    const url = objectUrl($('s3-bucket-url').value, key);
    const s3 = await loadS3();
    const upload = s3.signChunked({ method: 'PUT', url, headers: file.type ? { 'content-type': file.type } : undefined }, {
      ...creds, service: 's3', decodedLength: file.size, chunkSize: Number($('s3-chunk-size').value), checksum: $('s3-checksum').value || undefined,
    });
    $('s3-seed-canonical').textContent = mask(upload.canonicalRequest, creds.sessionToken);
    $('s3-seed-sts').textContent = upload.stringToSign;
    $('s3-seed-headers').textContent = mask(Object.entries(upload.headers).map(([name, value]) => `${name}: ${value}`).join('\n'), creds.sessionToken);
    $('s3-seed').hidden = false;
    // Half the bar for signing the chunks, half for sending them.
    const total = chunkCount(file.size, upload.chunkSize);
    const frames = [];
    const lines = [];
    let encoded = 0;
    $('s3-chunk-lines').textContent = '';
    $('s3-progress-label').textContent = 'Progress: signing the chunks';
    for await (const frame of upload.encode(file.stream())) {
      frames.push(frame);
      lines.push(...frameLines(frame));
      encoded += frame.length;
      progress.value = (50 * encoded) / upload.encodedLength;
      status.textContent = `${frames.length} of ${total} chunks signed (${upload.payloadHash}${upload.trailer ? `, trailer ${upload.trailer}` : ''}).`;
    }
    // The first chunks and the end: the final, empty chunk and the trailer.
    const shown = lines.length > 10 ? [...lines.slice(0, 4), `… ${lines.length - 8} more chunks …`, ...lines.slice(-4)] : lines;
    $('s3-chunk-lines').textContent = shown.join('\n');
    $('s3-progress-label').textContent = 'Progress: sending';
    const body = new Blob(frames);
    const answer = await put(upload.url, upload.headers, body, (sent) => {
      progress.value = 50 + (50 * sent) / body.size;
    });
    if (answer.status < 200 || answer.status >= 300) throw new Error(`S3 answered HTTP ${answer.status}: ${s3Said(answer.text)}`);
    progress.value = 100;
    $('s3-progress-label').textContent = 'Progress: stored';
    status.textContent = `Stored ${key}: ${file.size} bytes in ${total} chunks (${body.size} bytes encoded), HTTP ${answer.status}${answer.etag ? `, ETag ${answer.etag}` : ''}.`;
  } catch (error) {
    $('s3-progress-label').textContent = 'Progress';
    showError('s3-upload-error', error);
  }
}

async function generatePost() {
  showError('s3-post-error', null);
  try {
    const creds = credentials();
    const bucketUrl = $('s3-bucket-url').value.trim();
    const policy = postPolicyOf({
      bucket: bucketOf(bucketUrl),
      key: $('s3-post-key').value.trim(),
      expiresIn: $('s3-post-expires').value.trim(),
      min: $('s3-post-min').value.trim(),
      max: $('s3-post-max').value.trim(),
      contentType: $('s3-post-type').value.trim(),
      successActionStatus: $('s3-post-status').value,
      url: bucketUrl || undefined,
    });
    const s3 = await loadS3();
    presigned = s3.presignPost(policy, creds);
    $('s3-post-policy').textContent = prettyPolicy(presigned.policy);
    $('s3-post-base64').textContent = presigned.stringToSign;
    $('s3-post-signature').textContent = presigned.signature;
    $('s3-post-fields').textContent = mask(Object.entries(presigned.fields).map(([name, value]) => `${name}: ${value}`).join('\n'), creds.sessionToken);
    $('s3-post-html').textContent = htmlFormSnippet(presigned);
    $('s3-post-formdata').textContent = formDataSnippet(presigned);
    $('s3-post-output').hidden = false;
    $('s3-post-status-text').textContent = `Signed for ${presigned.credentialScope}; usable until ${presigned.expiration}.`;
  } catch (error) {
    showError('s3-post-error', error);
  }
}

async function postUpload() {
  const status = $('s3-post-status-text');
  try {
    const file = $('s3-post-file').files[0];
    if (!file) throw new Error('Pick a file first.');
    if (!presigned) throw new Error('Generate the form first.');
    const s3 = await loadS3();
    const result = await s3.uploadWithPost(presigned, file, {
      onProgress: (sent, total) => {
        status.textContent = `Sending: ${sent} of ${total} bytes.`;
      },
    });
    status.textContent = `Stored${result.key ? ` as ${result.key}` : ''}: HTTP ${result.status}${result.etag ? `, ETag ${result.etag}` : ''}.`;
  } catch (error) {
    status.textContent = error.code ? `${error.code}: ${error.message}` : error.message;
  }
}

/** Wires the part's buttons. */
export function wireS3Panel() {
  $('s3-upload-button').addEventListener('click', () => chunkedUpload());
  $('s3-post-button').addEventListener('click', () => generatePost());
  $('s3-post-upload-button').addEventListener('click', () => postUpload());
}
