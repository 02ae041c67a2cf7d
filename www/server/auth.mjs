// AWS_IAM authorization as API Gateway answers it: the signature is checked by the core's
// `verify` (which words its failures as AWS does), the key's session token and expiry, then
// the key's IAM-style policy. Every failure becomes API Gateway's response: status,
// `x-amzn-ErrorType` and a JSON body.

import { verify } from 'sigv4-wasm/verify';
import { denialMessage, evaluatePolicy, INVOKE, resourceArn } from './policy.mjs';

/** API Gateway's error type (the `x-amzn-ErrorType` header) for each verification outcome of the core. */
const ERROR_TYPES = {
  MISSING_AUTHENTICATION: 'MissingAuthenticationTokenException',
  MALFORMED_AUTHORIZATION: 'IncompleteSignatureException',
  UNSUPPORTED_ALGORITHM: 'IncompleteSignatureException',
  INVALID_DATE: 'IncompleteSignatureException',
  HOST_NOT_SIGNED: 'InvalidSignatureException',
  HEADER_NOT_SIGNED: 'InvalidSignatureException',
  CREDENTIAL_SCOPE_MISMATCH: 'InvalidSignatureException',
  SIGNATURE_MISMATCH: 'InvalidSignatureException',
  SIGNATURE_EXPIRED: 'InvalidSignatureException',
  SIGNATURE_NOT_YET_CURRENT: 'InvalidSignatureException',
  REQUEST_EXPIRED: 'InvalidSignatureException',
  PAYLOAD_HASH_MISMATCH: 'InvalidSignatureException',
  INVALID_PAYLOAD_HASH: 'InvalidSignatureException',
  UNKNOWN_ACCESS_KEY: 'UnrecognizedClientException',
  INVALID_SECURITY_TOKEN: 'UnrecognizedClientException',
};

/** A failed request as API Gateway answers it. */
export function gatewayError(status, errorType, message, messageField = 'message') {
  return { status, errorType, body: { [messageField]: message } };
}

/** API Gateway's answer to a request for a resource or method the API does not have. */
export const MISSING_TOKEN = gatewayError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');

/**
 * The answer to a SigV4Error thrown by `verify`, with the message the core gives. A signature
 * mismatch carries, as API Gateway's does, the canonical request and string to sign the
 * server computed (session token redacted by the core).
 */
export function verificationError(error) {
  if (!error || error.name !== 'SigV4Error') throw error;
  const errorType = ERROR_TYPES[error.code];
  if (!errorType) {
    // The request could not be read at all (a header value that is not ASCII, a URL the
    // core refuses): the core's message says which part.
    return gatewayError(400, 'BadRequestException', `The request could not be read: ${error.message}`);
  }
  let message = error.message;
  if (error.code === 'SIGNATURE_MISMATCH' && error.canonicalRequest !== undefined) {
    message +=
      `\n\nThe Canonical String for this request should have been\n'${error.canonicalRequest}'\n\n` +
      `The String-to-Sign should have been\n'${error.stringToSign}'\n`;
  }
  return gatewayError(403, errorType, message);
}

/** The core's codes that depend on the body's bytes: verify reaches them only once every check of the headers has passed. */
const BODY_CODES = new Set(['PAYLOAD_HASH_MISMATCH', 'SIGNATURE_MISMATCH']);
/** The SHA-256 of no bytes, standing in for a body not read yet. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/**
 * The core's verdict on `request` with the config's keys: `{ key, verified }` or
 * `{ key, error }`, where `key` is the config's key the request names, when there is one.
 */
function check(request, config, now) {
  const keys = keyLookup(config);
  try {
    const verified = verify(request, { region: config.region, service: config.service, lookup: keys.lookup, now, maxClockSkew: config.maxClockSkewSeconds });
    return { key: keys.found(), verified };
  } catch (error) {
    return { key: keys.found(), error };
  }
}

/**
 * The verifier's `lookup` over the config's keys, then those an identity pool issued
 * (server.mjs sets config.issuedKeys); `found()` is the key the last lookup named, or null.
 */
export function keyLookup(config) {
  let key = null;
  return {
    lookup(accessKeyId) {
      key = config.keys.find((k) => k.accessKeyId === accessKeyId) || (config.issuedKeys && config.issuedKeys.get(accessKeyId)) || null;
      return key ? { secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken } : null;
    },
    found: () => key,
  };
}

/**
 * The answer to a request whose headers alone refuse it (no signature, a malformed one, an
 * unknown key, a wrong scope or time), before its body is read; null when only the body can
 * decide. `request` is `{ method, url, headers }`. The answer is the one authorize() gives
 * the whole request: verify checks everything else before the body's hash and the signature.
 */
export function refuseBeforeBody(request, config, now = undefined) {
  const { error } = check({ ...request, bodySha256: EMPTY_SHA256 }, config, now);
  if (!error || (error.name === 'SigV4Error' && BODY_CODES.has(error.code))) return null;
  return verificationError(error);
}

/**
 * Authorizes one request against the config. `request` is what arrived:
 * `{ method, url (as sent), headers: [[name, value], ...] (every header, repeats kept), bodySha256 }`;
 * `resourcePath` is the resource path the request resolved to (petstore.mjs). Resolves to
 * `{ ok: true, key, verified }` or `{ ok: false, status, errorType, body }`.
 */
export function authorize(request, resourcePath, config, now = undefined) {
  const { key, verified, error } = check(request, config, now);
  if (error) return refusal(key, error, now);
  const allowed = authorizeKey(key, request.method, resourcePath, config, now);
  return allowed.ok ? { ok: true, key, verified } : allowed;
}

/** The answer to a request verify refused, signed with `key` (null for an unknown key). */
export function refusal(key, error, now = undefined) {
  // Temporary credentials past their expiry: API Gateway's EXPIRED_TOKEN response.
  if (key && key.expiration && error.code === 'SIGNATURE_MISMATCH' && expired(key, now)) return expiredToken();
  return { ok: false, ...verificationError(error) };
}

/**
 * Whether `key`, whose signature verified, may invoke `method` on `resourcePath`: its expiry,
 * then its policy. `{ ok: true }` or `{ ok: false, status, errorType, body }`.
 */
export function authorizeKey(key, method, resourcePath, config, now = undefined) {
  if (key.expiration && expired(key, now)) return expiredToken();
  const resource = resourceArn(config, method, resourcePath);
  const outcome = evaluatePolicy(key.policy, INVOKE, resource);
  if (outcome !== 'allow') {
    // IAM's denials use a capitalized "Message", as API Gateway passes them on.
    return { ok: false, ...gatewayError(403, 'AccessDeniedException', denialMessage(key.arn, resource, outcome), 'Message') };
  }
  return { ok: true };
}

function expired(key, now) {
  const time = now === undefined ? Date.now() : new Date(now).getTime();
  return time >= key.expiration.getTime();
}

function expiredToken() {
  return { ok: false, ...gatewayError(403, 'ExpiredTokenException', 'The security token included in the request is expired') };
}
