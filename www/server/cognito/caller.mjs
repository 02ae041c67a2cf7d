// Who called, as the Lambda proxy behind API Gateway is told: `requestContext.identity` for
// AWS_IAM methods (the IAM user, or the assumed role of a Cognito identity with its identity
// id and provider) and `requestContext.authorizer.claims` for methods behind the
// COGNITO_USER_POOLS authorizer. Also that authorizer itself, with API Gateway's answers.

import { createHash } from 'node:crypto';
import { gatewayError } from '../auth.mjs';

/** The resources this module adds to the API: /me (the token's user) and /whoami (the signer). */
export const CALLER_RESOURCES = [
  { path: '/me', methods: ['GET'], segments: ['me'] },
  { path: '/whoami', methods: ['GET'], segments: ['whoami'] },
];

/** A match (as petstore.mjs's matchResource gives) for /me or /whoami, or null. */
export function matchCallerResource(path) {
  const resource = CALLER_RESOURCES.find((r) => r.path === path);
  return resource ? { resource, params: {}, path } : null;
}

const UNAUTHORIZED = gatewayError(401, 'UnauthorizedException', 'Unauthorized');
const EXPIRED = gatewayError(401, 'UnauthorizedException', 'The incoming token has expired');

/**
 * The COGNITO_USER_POOLS authorizer, as API Gateway applies it to a method: without OAuth
 * scopes the token in `Authorization` (raw, as the token source takes it, or after `Bearer `)
 * must be an ID token of the pool; with scopes, an access token carrying one of them.
 * `{ ok: true, claims }`, or API Gateway's answer: 401 "The incoming token has expired" for an
 * expired token, 401 Unauthorized for anything else (missing, malformed, tampered, another
 * pool's, the other kind of token, no matching scope).
 */
export function authorizeToken(userPool, header, scopes = []) {
  if (typeof header !== 'string' || header.trim() === '') return { ok: false, ...UNAUTHORIZED };
  const token = header.trim().replace(/^Bearer\s+/i, '');
  const outcome = userPool.verifyToken(token, scopes.length ? 'access' : 'id');
  if (outcome.error === 'expired') return { ok: false, ...EXPIRED };
  if (outcome.error) return { ok: false, ...UNAUTHORIZED };
  if (scopes.length) {
    const granted = String(outcome.claims.scope || '').split(' ');
    if (!scopes.some((s) => granted.includes(s))) return { ok: false, ...UNAUTHORIZED };
  }
  return { ok: true, claims: outcome.claims };
}

/** A stable, AWS-shaped unique id (AIDA… for users, AROA… for roles) for an ARN. */
function principalId(prefix, arn) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(arn).digest();
  let id = prefix;
  for (let i = 0; i < 17; i++) id += alphabet[digest[i] & 31];
  return id;
}

/** `requestContext.identity` for a request signed with `key` (a config key or an identity pool's). */
export function iamIdentity(key, sourceIp) {
  const role = /:assumed-role\/([^/]+)\/(.+)$/.exec(key.arn);
  const caller = role ? `${principalId('AROA', key.arn.replace(/\/[^/]+$/, ''))}:${role[2]}` : principalId('AIDA', key.arn);
  const id = key.identity || {};
  return {
    accountId: key.arn.split(':')[4],
    accessKey: key.accessKeyId,
    caller,
    user: caller,
    userArn: key.arn,
    cognitoIdentityId: id.cognitoIdentityId || null,
    cognitoIdentityPoolId: id.cognitoIdentityPoolId || null,
    cognitoAuthenticationType: id.cognitoAuthenticationType || null,
    cognitoAuthenticationProvider: id.cognitoAuthenticationProvider || null,
    sourceIp,
  };
}

/** `requestContext.authorizer.claims` as API Gateway passes them: every claim as a string. */
export function authorizerClaims(claims) {
  const out = {};
  for (const [name, value] of Object.entries(claims)) out[name] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : String(value);
  return out;
}

/** Who called, in one line (the X-Local-Caller header): an ARN, or the token's user or client. */
export function callerName({ key, claims }) {
  if (key) return key.arn;
  return claims['cognito:username'] || claims.username || `client ${claims.client_id}`;
}

/** The answer of GET /me and GET /whoami: the parts of the Lambda proxy event that say who called. */
export function callerAnswer(config, req, match, { key, claims }) {
  const requestContext = {
    accountId: config.accountId,
    apiId: config.apiId,
    stage: config.stage,
    httpMethod: req.method,
    resourcePath: match.resource.path,
    identity: key ? iamIdentity(key, req.socket.remoteAddress) : { sourceIp: req.socket.remoteAddress, userArn: null, cognitoIdentityId: null },
  };
  if (claims) requestContext.authorizer = { claims: authorizerClaims(claims) };
  return { status: 200, body: { message: key ? `Signed by ${key.arn}` : `Signed in as ${callerName({ claims })}`, requestContext } };
}
