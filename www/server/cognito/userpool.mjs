// A Cognito user pool in memory: users and app clients from the config, RS256 tokens, the
// OAuth 2.0 code (PKCE S256 only), refresh and client-credentials grants, and the cognito-idp
// JSON 1.1 calls InitiateAuth (USER_PASSWORD_AUTH, USER_SRP_AUTH, REFRESH_TOKEN_AUTH) and
// RespondToAuthChallenge (PASSWORD_VERIFIER). Answers and error messages are Cognito's. No
// HTTP here: routes.mjs turns requests into these calls.

import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createSigningKey, signJwt, verifyJwt } from './jwt.mjs';
import { expectedClaim, parseSrpA, parseTimestamp, serverB, verifier } from './srp.mjs';
import { awsError, BoundedStore, isObject, safeEqual } from './util.mjs';
import { SERVER_PLACEHOLDER } from './config.mjs';

/** An authorization code lives 5 minutes and is used once (Cognito's rule). */
const CODE_TTL_MS = 5 * 60 * 1000;
/** An SRP session (between InitiateAuth and RespondToAuthChallenge): 3 minutes, once. */
const SESSION_TTL_MS = 3 * 60 * 1000;
/** How far the client's TIMESTAMP may be from the server's clock. */
const TIMESTAMP_SKEW_MS = 5 * 60 * 1000;
const MAX_CODES = 1000;
const MAX_SESSIONS = 1000;
const MAX_REFRESH_TOKENS = 10000;
const ALL_FLOWS = ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH'];
const INCORRECT = 'Incorrect username or password.';

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

/** `pool` is the validated config's userPool; `issuer` its iss (set with setIssuer once the server has a URL). */
export function createUserPool(pool) {
  const key = createSigningKey();
  const clients = new Map(pool.clients.map((c) => [c.clientId, { ...c, callbackUrls: c.callbackUrls.slice() }]));
  const users = pool.users.map((u) => ({ ...u }));
  const byName = new Map();
  for (const user of users) {
    byName.set(user.username.toLowerCase(), user);
    if (user.email) byName.set(user.email.toLowerCase(), user);
  }
  const codes = new BoundedStore(MAX_CODES, CODE_TTL_MS);
  const sessions = new BoundedStore(MAX_SESSIONS, SESSION_TTL_MS);
  const refreshTokens = new BoundedStore(MAX_REFRESH_TOKENS, pool.refreshTokenLifetimeSeconds * 1000);
  const state = { issuer: `https://cognito-idp.${pool.id.split('_')[0]}.amazonaws.com/${pool.id}`, now: () => Date.now() };

  /** The user a sign-in name names: the user name or the email, either case. */
  const findUser = (name) => (typeof name === 'string' ? byName.get(name.toLowerCase()) : undefined);

  /** The stored verifier of a user: salt and v = g^x, made once. */
  function srpRecord(user) {
    if (!user.srp) {
      const salt = randomBytes(16);
      user.srp = { salt, v: verifier(pool.id, user.username, user.password, salt) };
    }
    return user.srp;
  }

  // -------------------------------------------------------------------------------------------
  // Tokens

  /** ID token (with openid), access token and, when asked, a refresh token, for `user` signed in through `client`. */
  function issueTokens(user, client, { scopes, authTime, refresh, nonce }) {
    const now = Math.floor(state.now() / 1000);
    const exp = now + pool.tokenLifetimeSeconds;
    const originJti = randomUUID();
    const common = { sub: user.sub, iss: state.issuer, origin_jti: originJti, event_id: randomUUID(), auth_time: authTime, exp, iat: now };
    const result = { expiresIn: pool.tokenLifetimeSeconds };
    result.accessToken = signJwt(key, {
      ...common,
      token_use: 'access',
      scope: scopes.join(' '),
      jti: randomUUID(),
      client_id: client.clientId,
      username: user.username,
    });
    if (scopes.includes('openid')) {
      const claims = { ...common, 'cognito:username': user.username, aud: client.clientId, token_use: 'id', jti: randomUUID() };
      if (user.email && (scopes.includes('email') || !scopes.some((s) => ['email', 'profile', 'phone'].includes(s)) || scopes.includes('aws.cognito.signin.user.admin'))) {
        claims.email = user.email;
        claims.email_verified = true;
      }
      if (nonce) claims.nonce = nonce;
      result.idToken = signJwt(key, claims);
    }
    if (refresh) {
      const token = randomBytes(96).toString('base64url');
      refreshTokens.set(sha256(token), { username: user.username, clientId: client.clientId, scopes, authTime });
      result.refreshToken = token;
    }
    return result;
  }

  /** A machine's access token (client_credentials): sub and client_id are the client's id. */
  function issueClientToken(client, scopes) {
    const now = Math.floor(state.now() / 1000);
    const accessToken = signJwt(key, {
      sub: client.clientId,
      token_use: 'access',
      scope: scopes.join(' '),
      auth_time: now,
      iss: state.issuer,
      exp: now + pool.tokenLifetimeSeconds,
      iat: now,
      version: 2,
      jti: randomUUID(),
      client_id: client.clientId,
    });
    return { accessToken, expiresIn: pool.tokenLifetimeSeconds };
  }

  /**
   * The claims of a token of this pool, or `{ error: 'malformed' | 'signature' | 'expired' |
   * 'issuer' | 'audience' | 'use' }`. `use` is 'id', 'access' or undefined (either).
   */
  function verifyToken(token, use) {
    const outcome = verifyJwt(key, token, state.now());
    if (outcome.error) return outcome;
    const { claims } = outcome;
    if (claims.iss !== state.issuer) return { error: 'issuer', claims };
    if (claims.token_use !== 'id' && claims.token_use !== 'access') return { error: 'use', claims };
    if (use && claims.token_use !== use) return { error: 'use', claims };
    const audience = claims.token_use === 'id' ? claims.aud : claims.client_id;
    if (!clients.has(audience)) return { error: 'audience', claims };
    return { claims };
  }

  // -------------------------------------------------------------------------------------------
  // The hosted UI's OAuth 2.0 endpoints

  /**
   * Checks an authorize (or login) request's parameters, as a URLSearchParams. Resolves to
   * `{ page: { status, title, message } }` when nothing may be redirected to (an unknown
   * client, a redirect_uri it does not list: never redirect there), `{ redirect: url }` with
   * `error=...` for the other mistakes, or `{ ok: { client, redirectUri, scopes, state,
   * codeChallenge, nonce } }`.
   */
  function checkAuthorize(params) {
    const clientId = params.get('client_id');
    const client = clientId ? clients.get(clientId) : undefined;
    if (!client) return { page: { status: 400, title: 'Invalid client', message: clientId ? `There is no app client ${clientId} in this user pool.` : 'The request has no client_id.' } };
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri || !client.callbackUrls.includes(redirectUri)) {
      return { page: { status: 400, title: 'redirect_mismatch', message: redirectUri ? 'The redirect_uri is not one of the app client\'s callback URLs (they must match exactly).' : 'The request has no redirect_uri.' } };
    }
    const back = (error, description) => {
      const query = new URLSearchParams({ error, error_description: description });
      if (params.get('state') !== null) query.set('state', params.get('state'));
      return { redirect: `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}` };
    };
    const responseType = params.get('response_type');
    if (!responseType) return back('invalid_request', 'response_type is required');
    if (responseType !== 'code') return back('unsupported_response_type', 'only the authorization code grant (response_type=code) is offered here');
    if (!client.allowedOAuthFlows.includes('code')) return back('unauthorized_client', 'the app client does not allow the code grant');
    const requested = (params.get('scope') || '').split(' ').filter(Boolean);
    const scopes = requested.length ? [...new Set(requested)] : client.allowedOAuthScopes.slice();
    if (scopes.some((s) => !client.allowedOAuthScopes.includes(s))) return back('invalid_scope', 'a requested scope is not allowed for the app client');
    if (scopes.some((s) => ['email', 'profile', 'phone'].includes(s)) && !scopes.includes('openid')) return back('invalid_scope', 'email, phone and profile need openid');
    const challenge = params.get('code_challenge');
    const method = params.get('code_challenge_method');
    if (!challenge) return back('invalid_request', 'code_challenge is required: PKCE (S256) is mandatory here');
    if (method !== 'S256') return back('invalid_request', 'code_challenge_method must be S256');
    if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return back('invalid_request', 'code_challenge must be the 43-character base64url SHA-256 of the code_verifier');
    const nonce = params.get('nonce');
    if (nonce !== null && nonce.length > 512) return back('invalid_request', 'nonce is too long');
    const stateParam = params.get('state');
    if (stateParam !== null && stateParam.length > 2048) return { page: { status: 400, title: 'invalid_request', message: 'state is longer than 2048 characters.' } };
    return { ok: { client, redirectUri, scopes, state: stateParam, codeChallenge: challenge, nonce } };
  }

  /** The login form's check: the user and password. `{ user }` or `{ error }`. */
  function checkPassword(username, password) {
    const user = findUser(username);
    // Compare even for an unknown user, so the time says nothing about who exists.
    const ok = safeEqual(user ? user.password : `unknown:${randomUUID()}`, typeof password === 'string' ? password : '');
    return user && ok ? { user } : { error: INCORRECT };
  }

  /** A single-use code for a signed-in user, bound to the client, redirect_uri, scopes and PKCE challenge. */
  function issueCode(request, user) {
    const code = randomUUID();
    codes.set(code, { clientId: request.client.clientId, redirectUri: request.redirectUri, scopes: request.scopes, codeChallenge: request.codeChallenge, nonce: request.nonce, username: user.username, authTime: Math.floor(state.now() / 1000) });
    return code;
  }

  /**
   * POST /oauth2/token. `form` is the body's URLSearchParams, `basic` the Authorization
   * header's `{ id, secret }` or null. Returns `{ status, body }`: the tokens, or
   * `{ error }` with Cognito's error codes.
   */
  function token(form, basic) {
    const fail = (error, status = 400) => ({ status, body: { error } });
    const grant = form.get('grant_type');
    if (!grant) return fail('invalid_request');
    if (!['authorization_code', 'refresh_token', 'client_credentials'].includes(grant)) return fail('unsupported_grant_type');
    // Client authentication: Basic, or client_id (+ client_secret) in the body.
    const bodyId = form.get('client_id');
    const bodySecret = form.get('client_secret');
    if (basic && bodySecret !== null) return fail('invalid_request');
    if (basic === false) return fail('invalid_client');
    const clientId = basic ? basic.id : bodyId;
    if (!clientId) return fail('invalid_request');
    if (basic && bodyId !== null && bodyId !== basic.id) return fail('invalid_client');
    const client = clients.get(clientId);
    if (!client) return fail('invalid_client');
    const secret = basic ? basic.secret : bodySecret;
    if (client.clientSecret !== undefined ? !safeEqual(client.clientSecret, secret === null ? '' : secret) : secret !== null && secret !== '') return fail('invalid_client');

    if (grant === 'client_credentials') {
      if (!client.allowedOAuthFlows.includes('client_credentials')) return fail('unauthorized_client');
      const requested = (form.get('scope') || '').split(' ').filter(Boolean);
      const scopes = requested.length ? [...new Set(requested)] : client.allowedOAuthScopes.slice();
      if (scopes.some((s) => !client.allowedOAuthScopes.includes(s))) return fail('invalid_scope');
      const t = issueClientToken(client, scopes);
      return { status: 200, body: { access_token: t.accessToken, expires_in: t.expiresIn, token_type: 'Bearer' } };
    }
    if (!client.allowedOAuthFlows.includes('code')) return fail('unauthorized_client');

    if (grant === 'authorization_code') {
      const code = form.get('code');
      const redirectUri = form.get('redirect_uri');
      const codeVerifier = form.get('code_verifier');
      if (!code || !redirectUri) return fail('invalid_request');
      const issued = codes.take(code); // used once, whatever happens next
      if (!issued || issued.clientId !== client.clientId || issued.redirectUri !== redirectUri) return fail('invalid_grant');
      if (!codeVerifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(codeVerifier)) return fail('invalid_grant');
      const challenge = createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
      if (!safeEqual(challenge, issued.codeChallenge)) return fail('invalid_grant');
      const user = findUser(issued.username);
      if (!user) return fail('invalid_grant');
      const t = issueTokens(user, client, { scopes: issued.scopes, authTime: issued.authTime, refresh: true, nonce: issued.nonce });
      return { status: 200, body: tokenBody(t) };
    }
    // refresh_token
    const refresh = form.get('refresh_token');
    if (!refresh) return fail('invalid_request');
    const stored = refreshTokens.get(sha256(refresh));
    if (!stored || stored.clientId !== client.clientId) return fail('invalid_grant');
    const user = findUser(stored.username);
    if (!user) return fail('invalid_grant');
    const t = issueTokens(user, client, { scopes: stored.scopes, authTime: stored.authTime, refresh: false });
    return { status: 200, body: tokenBody(t) };
  }

  // -------------------------------------------------------------------------------------------
  // The cognito-idp JSON 1.1 API

  function clientOf(body) {
    if (typeof body.ClientId !== 'string') return { error: awsError('InvalidParameterException', "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null") };
    const client = clients.get(body.ClientId);
    if (!client) return { error: awsError('ResourceNotFoundException', `User pool client ${body.ClientId.slice(0, 128)} does not exist.`) };
    return { client };
  }

  /** null when the SECRET_HASH is right (or the client has no secret); else Cognito's answer. */
  function checkSecretHash(client, usernames, given) {
    if (client.clientSecret === undefined) return null;
    if (given === undefined || given === null || given === '') return awsError('NotAuthorizedException', `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`);
    const ok = usernames.some((name) => typeof name === 'string' && safeEqual(createHmac('sha256', client.clientSecret).update(name + client.clientId, 'utf8').digest('base64'), String(given)));
    return ok ? null : awsError('NotAuthorizedException', `Unable to verify secret hash for client ${client.clientId}`);
  }

  function authenticationResult(t) {
    const result = { AccessToken: t.accessToken, ExpiresIn: t.expiresIn, TokenType: 'Bearer' };
    if (t.idToken) result.IdToken = t.idToken;
    if (t.refreshToken) result.RefreshToken = t.refreshToken;
    return { status: 200, body: { AuthenticationResult: result, ChallengeParameters: {} } };
  }

  /** Scopes of tokens from the JSON API: Cognito gives openid, email, profile... and aws.cognito.signin.user.admin. */
  const apiScopes = ['aws.cognito.signin.user.admin', 'openid', 'email', 'profile'];

  function initiateAuth(body) {
    const { client, error } = clientOf(body);
    if (error) return error;
    const flow = body.AuthFlow;
    if (typeof flow !== 'string' || !ALL_FLOWS.includes(flow)) {
      return awsError('InvalidParameterException', `1 validation error detected: Value '${String(flow).slice(0, 64)}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${ALL_FLOWS.join(', ')}]`);
    }
    const normalized = flow === 'REFRESH_TOKEN' ? 'REFRESH_TOKEN_AUTH' : flow;
    if (!client.explicitAuthFlows.includes(normalized)) return awsError('InvalidParameterException', `${normalized} flow not enabled for this client`);
    const p = isObject(body.AuthParameters) ? body.AuthParameters : {};
    const authTime = Math.floor(state.now() / 1000);

    if (normalized === 'REFRESH_TOKEN_AUTH') {
      if (typeof p.REFRESH_TOKEN !== 'string') return awsError('InvalidParameterException', 'Missing required parameter REFRESH_TOKEN');
      const stored = refreshTokens.get(sha256(p.REFRESH_TOKEN));
      const user = stored && stored.clientId === client.clientId ? findUser(stored.username) : undefined;
      if (!user) return awsError('NotAuthorizedException', 'Invalid Refresh Token');
      // SECRET_HASH over the internal user name (or the sub), not what the user typed.
      const refused = checkSecretHash(client, [user.username, user.sub], p.SECRET_HASH);
      if (refused) return refused;
      return authenticationResult(issueTokens(user, client, { scopes: stored.scopes, authTime: stored.authTime, refresh: false }));
    }

    if (typeof p.USERNAME !== 'string' || p.USERNAME === '') return awsError('InvalidParameterException', 'Missing required parameter USERNAME');
    const refused = checkSecretHash(client, [p.USERNAME], p.SECRET_HASH);
    if (refused) return refused;
    const user = findUser(p.USERNAME);

    if (normalized === 'USER_PASSWORD_AUTH') {
      if (typeof p.PASSWORD !== 'string') return awsError('InvalidParameterException', 'Missing required parameter PASSWORD');
      if (!user) return awsError('UserNotFoundException', 'User does not exist.');
      if (!safeEqual(user.password, p.PASSWORD)) return awsError('NotAuthorizedException', INCORRECT);
      return authenticationResult(issueTokens(user, client, { scopes: apiScopes, authTime, refresh: true }));
    }

    // USER_SRP_AUTH: the PASSWORD_VERIFIER challenge.
    if (typeof p.SRP_A !== 'string') return awsError('InvalidParameterException', 'Missing required parameter SRP_A');
    const A = parseSrpA(p.SRP_A);
    if (A === null || A === 0n) return awsError('InvalidParameterException', 'SRP_A must be the client\'s public value in hexadecimal, not 0 mod N');
    if (!user) return awsError('UserNotFoundException', 'User does not exist.');
    const { salt, v } = srpRecord(user);
    const b = randomBytes(32);
    const B = serverB(v, b);
    const secretBlock = randomBytes(384).toString('base64');
    const session = randomBytes(96).toString('base64url');
    sessions.set(session, { clientId: client.clientId, username: user.username, A, B, b, secretBlock });
    return {
      status: 200,
      body: {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: { SALT: salt.toString('hex'), SECRET_BLOCK: secretBlock, SRP_B: B.toString(16), USERNAME: user.username, USER_ID_FOR_SRP: user.username },
        Session: session,
      },
    };
  }

  function respondToAuthChallenge(body) {
    const { client, error } = clientOf(body);
    if (error) return error;
    if (body.ChallengeName !== 'PASSWORD_VERIFIER') {
      return awsError('InvalidParameterException', `ChallengeName ${JSON.stringify(String(body.ChallengeName).slice(0, 64))} is not offered here: the only challenge is PASSWORD_VERIFIER (USER_SRP_AUTH)`);
    }
    const r = isObject(body.ChallengeResponses) ? body.ChallengeResponses : {};
    const session = typeof body.Session === 'string' ? sessions.take(body.Session) : undefined; // used once
    if (!session || session.clientId !== client.clientId) return awsError('NotAuthorizedException', 'Invalid session for the user.');
    if (typeof r.USERNAME !== 'string') return awsError('InvalidParameterException', 'Missing required parameter USERNAME');
    const refused = checkSecretHash(client, [r.USERNAME], r.SECRET_HASH);
    if (refused) return refused;
    for (const name of ['PASSWORD_CLAIM_SECRET_BLOCK', 'PASSWORD_CLAIM_SIGNATURE', 'TIMESTAMP']) {
      if (typeof r[name] !== 'string') return awsError('InvalidParameterException', `Missing required parameter ${name}`);
    }
    const time = parseTimestamp(r.TIMESTAMP);
    if (time === 'format') return awsError('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    const user = findUser(session.username);
    const sameUser = user && (r.USERNAME === user.username || (user.email && r.USERNAME.toLowerCase() === user.email.toLowerCase()));
    if (!sameUser || time === 'canonical' || Math.abs(time - state.now()) > TIMESTAMP_SKEW_MS || r.PASSWORD_CLAIM_SECRET_BLOCK !== session.secretBlock) {
      return awsError('NotAuthorizedException', INCORRECT);
    }
    const expected = expectedClaim({ userPoolId: pool.id, userId: user.username, v: srpRecord(user).v, A: session.A, B: session.B, b: session.b, secretBlock: session.secretBlock, timestamp: r.TIMESTAMP });
    if (!expected || !safeEqual(expected.signature, r.PASSWORD_CLAIM_SIGNATURE)) return awsError('NotAuthorizedException', INCORRECT);
    return authenticationResult(issueTokens(user, client, { scopes: apiScopes, authTime: Math.floor(state.now() / 1000), refresh: true }));
  }

  return {
    id: pool.id,
    pool,
    clients,
    key,
    get issuer() {
      return state.issuer;
    },
    /** Sets the issuer and fills `{server}` in callback URLs, once the server's URL is known. */
    setServerUrl(url) {
      state.issuer = `${url}/${pool.id}`;
      for (const client of clients.values()) client.callbackUrls = client.callbackUrls.map((u) => (u.startsWith(SERVER_PLACEHOLDER) ? url + u.slice(SERVER_PLACEHOLDER.length) : u));
    },
    /** For tests: the clock the pool reads (ms). */
    setClock(now) {
      state.now = now;
    },
    jwks: () => ({ keys: [key.jwk] }),
    verifyToken,
    checkAuthorize,
    checkPassword,
    issueCode,
    token,
    calls: { InitiateAuth: initiateAuth, RespondToAuthChallenge: respondToAuthChallenge },
    stores: { codes, sessions, refreshTokens },
  };
}

function tokenBody(t) {
  const body = { access_token: t.accessToken, expires_in: t.expiresIn, token_type: 'Bearer' };
  if (t.idToken) body.id_token = t.idToken;
  if (t.refreshToken) body.refresh_token = t.refreshToken;
  return body;
}
