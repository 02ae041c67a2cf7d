// The Cognito stand-ins' HTTP side, on the local API's server: the user pool's hosted UI
// (/oauth2/authorize, /login, /oauth2/token), its JWKS and OpenID configuration, and the JSON
// 1.1 APIs of cognito-idp and cognito-identity (POST /cognito-idp/, POST /cognito-identity/,
// or POST / with the X-Amz-Target, as AWS serves them). Every body is bounded in size and
// time; the login form carries a CSRF token; nothing secret is logged.

import { randomBytes, randomUUID } from 'node:crypto';
import { escapeHtml, MAX_COGNITO_BODY, readLimited, safeEqual } from './util.mjs';

const IDP_PREFIX = 'AWSCognitoIdentityProviderService.';
const IDENTITY_PREFIX = 'AWSCognitoIdentityService.';
const JSON_CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date',
};
const PREFLIGHT = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST,OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type,X-Amz-Target,X-Amz-User-Agent,Cache-Control,Authorization,X-Amz-Date,X-Amz-Security-Token',
  'Access-Control-Max-Age': '600',
  'Content-Length': '0',
};

/**
 * Answers the request when its path is one of the Cognito stand-ins'; resolves to true then,
 * false otherwise. `cognito` is `{ userPool, identityPool }` (either may be null).
 */
export async function handleCognito(cognito, req, res, path, log) {
  const { userPool, identityPool } = cognito;
  const target = String(req.headers['x-amz-target'] || '');
  if (path === '/cognito-idp/' || path === '/cognito-identity/' || (path === '/' && req.method !== 'GET' && req.method !== 'HEAD' && (target || req.method === 'OPTIONS'))) {
    if (req.method === 'OPTIONS') return preflight(res);
    const service = path === '/cognito-idp/' ? 'idp' : path === '/cognito-identity/' ? 'identity' : target.startsWith(IDENTITY_PREFIX) ? 'identity' : 'idp';
    await jsonApi(service, service === 'idp' ? userPool : identityPool, req, res, target, log);
    return true;
  }
  if (!userPool) return false;
  const poolPrefix = `/${userPool.id}`;
  if ((path === '/.well-known/jwks.json' || path === `${poolPrefix}/.well-known/jwks.json`) && isRead(req)) {
    sendJson(res, 200, userPool.jwks(), { ...JSON_CORS, 'Content-Type': 'application/json', 'Cache-Control': 'max-age=3600' });
    return true;
  }
  if (path === `${poolPrefix}/.well-known/openid-configuration` && isRead(req)) {
    const base = origin(req);
    sendJson(res, 200, {
      issuer: userPool.issuer,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `${base}${poolPrefix}/.well-known/jwks.json`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', 'email', 'phone', 'profile', 'aws.cognito.signin.user.admin'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    }, { ...JSON_CORS, 'Content-Type': 'application/json' });
    return true;
  }
  if (path === '/oauth2/authorize' && isRead(req)) {
    authorizeEndpoint(userPool, req, res, log);
    return true;
  }
  if (path === '/login' && (isRead(req) || req.method === 'POST')) {
    await loginEndpoint(userPool, req, res, log);
    return true;
  }
  if (path === '/oauth2/token') {
    if (req.method === 'OPTIONS') return preflight(res);
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'invalid_request' }, { Allow: 'POST', ...JSON_CORS });
      return true;
    }
    await tokenEndpoint(userPool, req, res, log);
    return true;
  }
  return false;
}

const isRead = (req) => req.method === 'GET' || req.method === 'HEAD';

function origin(req) {
  return `http://${req.headers.host}`;
}

function preflight(res) {
  res.writeHead(204, PREFLIGHT);
  res.end();
  return true;
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID(), ...headers });
  res.end(text);
}

/** A body that is too large or too slow: the answer, then the connection closed (the rest is never read). */
function refuseBody(res, outcome, json) {
  const message = outcome.error === 'too-large' ? `The request body is larger than ${MAX_COGNITO_BODY} bytes.` : 'The request body did not arrive in time.';
  const status = outcome.error === 'too-large' ? 413 : 408;
  if (json === 'oauth') sendJson(res, status, { error: 'invalid_request' }, { ...JSON_CORS, Connection: 'close' });
  else sendJson(res, status, { __type: 'SerializationException', message }, { ...JSON_CORS, 'x-amzn-ErrorType': 'SerializationException', Connection: 'close' });
}

// ---------------------------------------------------------------------------------------------
// JSON 1.1

async function jsonApi(service, pool, req, res, target, log) {
  const answer = (outcome) => {
    const headers = { ...JSON_CORS, 'Content-Type': 'application/x-amz-json-1.1' };
    if (outcome.body.__type) headers['x-amzn-ErrorType'] = `${outcome.body.__type}:`;
    sendJson(res, outcome.status, outcome.body, headers);
    log(`POST ${service === 'idp' ? 'cognito-idp' : 'cognito-identity'} ${target.slice(0, 80) || '(no X-Amz-Target)'} ${outcome.status}${outcome.body.__type ? ` ${outcome.body.__type}` : ''}`);
  };
  if (req.method !== 'POST') return answer({ status: 405, body: { __type: 'UnknownOperationException', message: 'Use POST.' } });
  const body = await readLimited(req);
  if (body.error) {
    refuseBody(res, body, 'aws');
    return undefined;
  }
  const prefix = service === 'idp' ? IDP_PREFIX : IDENTITY_PREFIX;
  const operation = target.startsWith(prefix) ? target.slice(prefix.length) : '';
  if (!pool) {
    return answer({ status: 400, body: { __type: 'ResourceNotFoundException', message: `This server has no ${service === 'idp' ? 'user pool' : 'identity pool'}: add cognito.${service === 'idp' ? 'userPool' : 'identityPool'} to its config.` } });
  }
  const call = Object.hasOwn(pool.calls, operation) ? pool.calls[operation] : null;
  if (!call) return answer({ status: 400, body: { __type: 'UnknownOperationException', message: operation ? `The local ${service === 'idp' ? 'user pool' : 'identity pool'} does not offer ${operation.slice(0, 64)}.` : undefined } });
  let json;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    json = undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return answer({ status: 400, body: { __type: 'SerializationException', message: 'The body must be a JSON object.' } });
  return answer(call(json));
}

// ---------------------------------------------------------------------------------------------
// The hosted UI

function sendPage(res, status, html, extra = {}) {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extra,
  });
  res.end(html);
}

function redirect(res, location, extra = {}) {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': '0', ...extra });
  res.end();
}

function errorPage(res, { status, title, message }) {
  sendPage(res, status, layout('Sign-in error', `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`));
}

function layout(title, main) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · local user pool</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #f4f5f7; }
  main { max-width: 22rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border: 1px solid #767676; border-radius: 6px; }
  h1 { font-size: 1.4rem; margin-top: 0; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; margin-top: .25rem; padding: .5rem; font: inherit; border: 1px solid #595959; border-radius: 4px; }
  input:focus, button:focus { outline: 3px solid #1a5fb4; outline-offset: 2px; }
  button { margin-top: 1.5rem; width: 100%; padding: .6rem; font: inherit; font-weight: 600; color: #fff; background: #1a5fb4; border: 0; border-radius: 4px; cursor: pointer; }
  .error { color: #a51d2d; font-weight: 600; }
  .note { color: #4d4d4d; font-size: .9rem; }
  @media (prefers-color-scheme: dark) {
    body { color: #eee; background: #1e1e1e; } main { background: #2a2a2a; border-color: #8a8a8a; }
    input { background: #1e1e1e; color: #eee; border-color: #9a9a9a; } .error { color: #ff8a8a; } .note { color: #c0c0c0; }
    input:focus, button:focus { outline-color: #78aeed; }
  }
</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>
`;
}

const FORWARDED = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method', 'nonce'];

function loginForm(pool, params, csrf, { error, username } = {}) {
  const hidden = FORWARDED.filter((name) => params.get(name) !== null)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name))}">`)
    .join('\n');
  return layout('Sign in', `<h1>Sign in</h1>
<p class="note">Local user pool <code>${escapeHtml(pool.id)}</code>, app client <code>${escapeHtml(params.get('client_id'))}</code>.</p>
${error ? `<p class="error" role="alert" id="login-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/login" novalidate>
${hidden}
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="username">Username or email</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${escapeHtml(username || '')}"${error ? ' aria-describedby="login-error" aria-invalid="true"' : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${error ? ' aria-describedby="login-error" aria-invalid="true"' : ''}>
<button type="submit">Sign in</button>
</form>`);
}

const CSRF_COOKIE = 'XSRF-TOKEN';

function csrfCookie(token) {
  return `${CSRF_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Lax; Max-Age=1800`;
}

function cookieValue(req, name) {
  const header = String(req.headers.cookie || '');
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function queryParams(req) {
  const at = req.url.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : req.url.slice(at + 1));
}

/** GET /oauth2/authorize: checks the request, then sends the browser to the login page with the same parameters, as Cognito does. */
function authorizeEndpoint(pool, req, res, log) {
  const params = queryParams(req);
  const checked = pool.checkAuthorize(params);
  if (checked.page) {
    errorPage(res, checked.page);
    log(`GET /oauth2/authorize ${checked.page.status} ${checked.page.title}`);
    return;
  }
  if (checked.redirect) {
    redirect(res, checked.redirect);
    log('GET /oauth2/authorize 302 (error to the client)');
    return;
  }
  const forward = new URLSearchParams();
  for (const name of FORWARDED) if (params.get(name) !== null) forward.set(name, params.get(name));
  redirect(res, `/login?${forward}`);
  log('GET /oauth2/authorize 302 /login');
}

/** GET /login shows the form; POST /login checks the password and sends the browser to redirect_uri with the code and state. */
async function loginEndpoint(pool, req, res, log) {
  if (req.method !== 'POST') {
    const params = queryParams(req);
    const checked = pool.checkAuthorize(params);
    if (checked.page) return errorPage(res, checked.page);
    if (checked.redirect) return redirect(res, checked.redirect);
    const csrf = randomBytes(24).toString('base64url');
    sendPage(res, 200, loginForm(pool, params, csrf), { 'Set-Cookie': csrfCookie(csrf) });
    log('GET /login 200');
    return undefined;
  }
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  const body = await readLimited(req, 16 * 1024);
  if (body.error) return refuseBody(res, body, 'oauth');
  if (type !== 'application/x-www-form-urlencoded') return errorPage(res, { status: 400, title: 'invalid_request', message: 'The sign-in form must be sent as application/x-www-form-urlencoded.' });
  const form = new URLSearchParams(body.toString('utf8'));
  const checked = pool.checkAuthorize(form);
  if (checked.page) return errorPage(res, checked.page);
  if (checked.redirect) return redirect(res, checked.redirect);
  const cookie = cookieValue(req, CSRF_COOKIE);
  const given = form.get('_csrf');
  const csrf = randomBytes(24).toString('base64url');
  if (!cookie || !given || !safeEqual(cookie, given)) {
    sendPage(res, 403, loginForm(pool, form, csrf, { error: 'This sign-in form has expired or came from another page. Sign in again.' }), { 'Set-Cookie': csrfCookie(csrf) });
    log('POST /login 403 (CSRF token missing or different)');
    return undefined;
  }
  const username = form.get('username') || '';
  const { user, error } = pool.checkPassword(username, form.get('password') || '');
  if (error) {
    sendPage(res, 200, loginForm(pool, form, csrf, { error, username }), { 'Set-Cookie': csrfCookie(csrf) });
    log('POST /login 200 (incorrect username or password)');
    return undefined;
  }
  const request = checked.ok;
  const code = pool.issueCode(request, user);
  const query = new URLSearchParams({ code });
  if (request.state !== null) query.set('state', request.state);
  redirect(res, `${request.redirectUri}${request.redirectUri.includes('?') ? '&' : '?'}${query}`, { 'Set-Cookie': `${CSRF_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0` });
  log('POST /login 302 (signed in; code to the client)');
  return undefined;
}

/** `{ id, secret }` from `Authorization: Basic ...`, null without one, false when it is not readable. */
function basicAuth(req) {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(String(header).trim());
  if (!m) return false;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return false;
  return { id: text.slice(0, colon), secret: text.slice(colon + 1) };
}

async function tokenEndpoint(pool, req, res, log) {
  const body = await readLimited(req, 16 * 1024);
  if (body.error) return refuseBody(res, body, 'oauth');
  const type = String(req.headers['content-type'] || '').split(';')[0].trim().toLowerCase();
  let outcome;
  if (type !== 'application/x-www-form-urlencoded') outcome = { status: 400, body: { error: 'invalid_request' } };
  else outcome = pool.token(new URLSearchParams(body.toString('utf8')), basicAuth(req));
  sendJson(res, outcome.status, outcome.body, { ...JSON_CORS, 'Content-Type': 'application/json;charset=UTF-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  log(`POST /oauth2/token ${outcome.status}${outcome.body.error ? ` ${outcome.body.error}` : ''}`);
  return undefined;
}
