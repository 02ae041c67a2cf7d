// RS256 JSON Web Tokens as a Cognito user pool issues them: a key pair made at start
// (node:crypto), its public half served as a JWKS, tokens signed with its kid in the header,
// and verification (signature, kid, alg, exp) for the identity pool and the API's
// COGNITO_USER_POOLS authorizer.

import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';

/** A fresh RSA key pair for one server run: `{ kid, privateKey, publicKey, jwk }`. */
export function createSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(24).toString('base64');
  const jwk = { ...publicKey.export({ format: 'jwk' }), alg: 'RS256', kid, use: 'sig' };
  return { kid, privateKey, publicKey, jwk: { alg: jwk.alg, e: jwk.e, kid, kty: jwk.kty, n: jwk.n, use: jwk.use } };
}

const encode = (value) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** A signed token: header `{ kid, alg: RS256 }` as Cognito's, then the claims. */
export function signJwt(key, claims) {
  const head = `${encode({ kid: key.kid, alg: 'RS256' })}.${encode(claims)}`;
  return `${head}.${sign('sha256', Buffer.from(head, 'ascii'), key.privateKey).toString('base64url')}`;
}

/** The most a token may be: Cognito's are about 1-2 KB. */
const MAX_TOKEN_LENGTH = 8192;
const B64URL = /^[A-Za-z0-9_-]+$/;

/**
 * The claims of a token this key signed, or `{ error }`: 'malformed' (not three base64url
 * parts of JSON, or too long), 'signature' (another key, another algorithm, or changed),
 * 'expired' (exp at or before now). `nowMs` defaults to now.
 */
export function verifyJwt(key, token, nowMs = Date.now()) {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { error: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => B64URL.test(p))) return { error: 'malformed' };
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    return { error: 'malformed' };
  }
  if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || Array.isArray(claims)) return { error: 'malformed' };
  if (header.alg !== 'RS256' || header.kid !== key.kid) return { error: 'signature' };
  const ok = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), key.publicKey, Buffer.from(parts[2], 'base64url'));
  if (!ok) return { error: 'signature' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return { error: 'expired', claims };
  return { claims };
}

/** The public key of a JWK (for tests that verify tokens the way a client would, from the JWKS). */
export function publicKeyOf(jwk) {
  return createPublicKey({ key: jwk, format: 'jwk' });
}
