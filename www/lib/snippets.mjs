// The signed request as code to copy: curl, fetch() and a Postman pre-request script.
// Snippets carry the signature, never the secret key; a session token sent as a header is
// referenced (an environment variable, a Postman variable) rather than written out. A
// presigned URL is copied whole: the URL is the credential, session token included.

const TOKEN_HEADER = 'x-amz-security-token';

function isTokenHeader(name) {
  return name.toLowerCase() === TOKEN_HEADER;
}

/** A shell word in single quotes. */
export function shellQuote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

/** A JavaScript string literal. */
function jsString(text) {
  return `'${String(text).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}

/**
 * `request`: `{ method, url, headers: [[name, value]], body }` as it is sent (without host,
 * which the client sets from the URL).
 */
export function curlSnippet(request) {
  const lines = [];
  const hasToken = request.headers.some(([name]) => isTokenHeader(name));
  if (hasToken) lines.push('# The session token you signed with: export AWS_SESSION_TOKEN=...');
  const method = request.method.toUpperCase();
  let first = 'curl';
  if (method === 'HEAD') first += ' --head';
  else if (method !== 'GET' || request.body) first += ` -X ${method}`;
  first += ` ${shellQuote(request.url)}`;
  const parts = [first];
  for (const [name, value] of request.headers) {
    parts.push(isTokenHeader(name) ? `-H "${name}: $AWS_SESSION_TOKEN"` : `-H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.body) parts.push(`--data-binary ${shellQuote(request.body)}`);
  lines.push(parts.join(' \\\n  '));
  return lines.join('\n');
}

export function fetchSnippet(request) {
  const hasToken = request.headers.some(([name]) => isTokenHeader(name));
  const lines = [];
  if (hasToken) lines.push("const AWS_SESSION_TOKEN = '...'; // the session token you signed with");
  lines.push(`const response = await fetch(${jsString(request.url)}, {`);
  lines.push(`  method: ${jsString(request.method)},`);
  if (request.headers.length) {
    lines.push('  headers: {');
    for (const [name, value] of request.headers) lines.push(`    ${jsString(name)}: ${isTokenHeader(name) ? 'AWS_SESSION_TOKEN' : jsString(value)},`);
    lines.push('  },');
  }
  if (request.body) lines.push(`  body: ${jsString(request.body)},`);
  lines.push('});');
  lines.push('console.log(response.status, await response.text());');
  return lines.join('\n');
}

/**
 * A Postman pre-request script that sets this signature on the request. It is valid for
 * this method, URL, signed headers and body only, and only while the service accepts the
 * signing time (15 minutes for a header signature; the expiry for a presigned URL).
 */
export function postmanSnippet(request, { presigned = false, datetime = '' } = {}) {
  const lines = [
    `// Signed by the sigv4-wasm playground at ${datetime} for ${request.method} ${presigned ? 'the presigned URL below' : request.url}.`,
    '// Valid only for this method, URL, signed headers and body, and only while the signing time is accepted.',
    '// In Postman: Authorization "No Auth"; set the method and body to match.',
  ];
  if (presigned) lines.push(`pm.request.url.update(${jsString(request.url)});`);
  for (const [name, value] of request.headers) {
    const valueCode = isTokenHeader(name) ? "pm.variables.get('AWS_SESSION_TOKEN')" : jsString(value);
    lines.push(`pm.request.headers.upsert({ key: ${jsString(name)}, value: ${valueCode} });`);
  }
  if (request.headers.some(([name]) => isTokenHeader(name))) lines.push('// Set the variable AWS_SESSION_TOKEN to the session token you signed with.');
  return lines.join('\n');
}
