// OAuth 2.0 against a Cognito user pool's domain (issue 13): the hosted login's authorize URL
// with PKCE, and the token endpoint's grants (authorization code, refresh token, client
// credentials). The PKCE math is the core's (pkceVerifier, pkceChallenge: cognito.js passes
// them in); the randomness comes from crypto.getRandomValues here, at the edge, or the caller.
//
// The token endpoint takes a form-encoded POST; a confidential client authenticates with HTTP
// Basic (clientSecret; `clientAuth: 'body'` sends client_secret in the body instead), a public
// one sends client_id alone. A refusal rejects with a SigV4Error OAUTH_ERROR whose `oauthError`
// is the endpoint's `error` (invalid_grant...) and whose message says what to fix; the client
// secret, the code, the verifier and the tokens are never in a message. Written without `class`
// or async functions, as the rest of the package.

import { SigV4Error } from './errors.js';
import { typeError } from './api.js';
import { formEncode, text } from './sts.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Base64 of a string of printable ASCII (client ids and secrets are), without btoa (Hermes). */
function base64Ascii(value, name) {
  if (!/^[\x20-\x7e]*$/.test(value)) throw typeError(`${name} must be printable ASCII`);
  let out = '';
  for (let i = 0; i < value.length; i += 3) {
    const n = (value.charCodeAt(i) << 16) | ((value.charCodeAt(i + 1) || 0) << 8) | (value.charCodeAt(i + 2) || 0);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < value.length ? BASE64[(n >> 6) & 63] : '=') + (i + 2 < value.length ? BASE64[n & 63] : '=');
  }
  return out;
}

/** `https://<domain>` for a domain given with or without its scheme, without a trailing slash. */
function baseOf(domain) {
  const d = text(domain, 'domain').replace(/\/+$/, '');
  if (/^https?:\/\//.test(d)) return d;
  if (/[/?#\s]/.test(d)) throw typeError('domain must be the user pool domain, e.g. my-app.auth.us-east-1.amazoncognito.com or https://auth.example.com');
  return `https://${d}`;
}

/** What to do about a token endpoint's error. */
const ADVICE = {
  invalid_grant: 'the code or refresh token was refused: a code is good once and for 5 minutes, and only with the redirect_uri and code_verifier of its authorize request; a refresh token may have expired or been revoked: sign in again',
  invalid_client: 'check clientId and clientSecret (an app client with a secret must send it; one without must not)',
  unauthorized_client: 'the app client does not allow this grant (its allowed OAuth flows) or this redirect_uri',
  invalid_scope: 'ask only for scopes the app client allows (for client_credentials: the resource server\'s custom scopes)',
  unsupported_grant_type: 'grant_type must be authorization_code, refresh_token or client_credentials',
  invalid_request: 'a parameter is missing or malformed (redirect_uri, code_verifier, client_id)',
};

export function createOAuth(pkceVerifier, pkceChallenge, randomBytes) {
  /** `{ codeVerifier, codeChallenge, codeChallengeMethod: 'S256' }` from 32 random bytes (or those given). */
  function pkce(random) {
    const codeVerifier = pkceVerifier(random === undefined ? randomBytes(32) : random);
    return { codeVerifier, codeChallenge: pkceChallenge(codeVerifier), codeChallengeMethod: 'S256' };
  }

  /** The hosted login's URL: `<domain>/oauth2/authorize?response_type=code&...` with PKCE S256. */
  function authorizeUrl(o) {
    o = o || {};
    const params = {
      response_type: o.responseType === undefined ? 'code' : text(o.responseType, 'responseType'),
      client_id: text(o.clientId, 'clientId'),
      redirect_uri: text(o.redirectUri, 'redirectUri'),
    };
    if (o.scope !== undefined) params.scope = Array.isArray(o.scope) ? o.scope.join(' ') : text(o.scope, 'scope');
    params.state = text(o.state, 'state (a random value to check on return, against CSRF)');
    if (o.codeChallenge !== undefined) {
      params.code_challenge = text(o.codeChallenge, 'codeChallenge');
      params.code_challenge_method = 'S256';
    }
    if (o.identityProvider !== undefined) params.identity_provider = text(o.identityProvider, 'identityProvider');
    if (o.nonce !== undefined) params.nonce = text(o.nonce, 'nonce');
    return `${baseOf(o.domain)}/oauth2/authorize?${formEncode(params)}`;
  }

  /** POSTs a grant to the token endpoint; resolves to { accessToken, idToken?, refreshToken?, tokenType, expiresIn }. */
  function token(o, grant, params) {
    const send = o.fetch || (typeof fetch === 'function' ? fetch : undefined);
    if (typeof send !== 'function') return Promise.reject(typeError('no fetch in this runtime; pass the fetch option'));
    return Promise.resolve().then(() => {
      const url = o.tokenEndpoint === undefined ? `${baseOf(o.domain)}/oauth2/token` : text(o.tokenEndpoint, 'tokenEndpoint');
      const clientId = text(o.clientId, 'clientId');
      const body = Object.assign({ grant_type: grant }, params);
      const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
      if (o.clientSecret === undefined) {
        body.client_id = clientId;
      } else if (o.clientAuth === undefined || o.clientAuth === 'basic') {
        headers.authorization = `Basic ${base64Ascii(`${clientId}:${text(o.clientSecret, 'clientSecret')}`, 'clientId and clientSecret')}`;
      } else if (o.clientAuth === 'body') {
        body.client_id = clientId;
        body.client_secret = text(o.clientSecret, 'clientSecret');
      } else {
        throw typeError("clientAuth must be 'basic' (HTTP Basic, the default) or 'body' (client_secret in the form)");
      }
      return send(url, { method: 'POST', headers, body: formEncode(body) });
    }).then((response) => response.text().then((answer) => {
      let json;
      try {
        json = JSON.parse(answer);
      } catch (ignored) {
        json = undefined;
      }
      const ok = response.status >= 200 && response.status < 300;
      if (ok && json && typeof json.access_token === 'string') {
        const out = { accessToken: json.access_token, tokenType: json.token_type, expiresIn: json.expires_in };
        if (json.id_token !== undefined) out.idToken = json.id_token;
        if (json.refresh_token !== undefined) out.refreshToken = json.refresh_token;
        if (json.scope !== undefined) out.scope = json.scope;
        return out;
      }
      const code = json && typeof json.error === 'string' ? json.error : undefined;
      const said = json && typeof json.error_description === 'string' ? `: ${json.error_description}` : '';
      const advice = code ? ADVICE[code] : ok ? 'the answer has no access_token' : 'the token endpoint did not answer with OAuth 2.0 JSON: check the domain or tokenEndpoint';
      const error = SigV4Error('OAUTH_ERROR', `sigv4-wasm: the token endpoint refused ${grant}: ${code || `HTTP ${response.status}`}${said}${advice ? ` (${advice})` : ''}`);
      error.oauthError = code;
      error.status = response.status;
      throw error;
    }));
  }

  /** The authorization code grant: the code the redirect brought, with the PKCE verifier. */
  function exchangeCode(o) {
    o = o || {};
    const params = { code: text(o.code, 'code'), redirect_uri: text(o.redirectUri, 'redirectUri') };
    if (o.codeVerifier !== undefined) params.code_verifier = text(o.codeVerifier, 'codeVerifier');
    return token(o, 'authorization_code', params);
  }

  /** The refresh token grant (Cognito answers without a new refresh token). */
  function refreshWithToken(o) {
    o = o || {};
    const params = { refresh_token: text(o.refreshToken, 'refreshToken') };
    if (o.scope !== undefined) params.scope = Array.isArray(o.scope) ? o.scope.join(' ') : text(o.scope, 'scope');
    return token(o, 'refresh_token', params);
  }

  /** The client credentials grant: a confidential client's access token for its custom scopes. */
  function clientCredentials(o) {
    o = o || {};
    text(o.clientSecret, 'clientSecret (the client credentials grant is for app clients with a secret)');
    const params = {};
    if (o.scope !== undefined) params.scope = Array.isArray(o.scope) ? o.scope.join(' ') : text(o.scope, 'scope');
    return token(o, 'client_credentials', params);
  }

  return { pkce, authorizeUrl, exchangeCode, refreshWithToken, clientCredentials };
}
