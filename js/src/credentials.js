// Credentials as a value or a provider: what AwsClient signs with when the keys are temporary
// (an identity pool's, STS's) and must be fetched again before they expire.
//
// A provider is a function, synchronous or async, returning { accessKeyId, secretAccessKey,
// sessionToken?, expiration? }. cacheCredentials wraps one: the credentials it returned are
// reused until REFRESH_MARGIN_MS before their expiration (credentials that live less than that
// are used once, then fetched again), callers that arrive during a refresh share it, and a
// refresh that fails (or returns credentials already expired) rejects with a SigV4Error CREDENTIALS_REFRESH_FAILED and
// leaves nothing cached, so the next call tries again. Written without `class` or async
// functions, as the rest of the package (Hermes 0.12, old sandboxes).

import { SigV4Error } from './errors.js';

/** Credentials are refreshed this long before they expire: 5 minutes, as the AWS SDKs do. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

const CACHED = typeof Symbol === 'function' ? Symbol.for('sigv4-wasm.cachedCredentials') : '__sigv4WasmCachedCredentials';

function refreshFailed(message, cause) {
  const error = SigV4Error('CREDENTIALS_REFRESH_FAILED', `sigv4-wasm: ${message}`);
  if (cause !== undefined) error.cause = cause;
  return error;
}

/** `expiration` as milliseconds since 1970: a Date, a number of ms, or an ISO 8601 string. */
function expiryOf(expiration) {
  if (expiration === undefined || expiration === null) return Infinity;
  let ms = NaN;
  if (expiration instanceof Date) ms = expiration.getTime();
  else if (typeof expiration === 'number') ms = expiration;
  else if (typeof expiration === 'string') ms = Date.parse(expiration);
  if (typeof ms !== 'number' || isNaN(ms)) {
    throw refreshFailed('the credentials provider returned an expiration that is not a Date, milliseconds since 1970 or an ISO 8601 string');
  }
  return ms;
}

/** The credentials a provider returned, checked and copied: { accessKeyId, secretAccessKey, sessionToken, expiration }. */
function checked(value) {
  if (!value || typeof value !== 'object') {
    throw refreshFailed('the credentials provider must return (or resolve to) an object { accessKeyId, secretAccessKey, sessionToken?, expiration? }');
  }
  if (typeof value.accessKeyId !== 'string' || value.accessKeyId === '') {
    throw refreshFailed('the credentials provider returned no accessKeyId (a non-empty string)');
  }
  if (typeof value.secretAccessKey !== 'string' || value.secretAccessKey === '') {
    throw refreshFailed('the credentials provider returned no secretAccessKey (a non-empty string)');
  }
  if (value.sessionToken !== undefined && value.sessionToken !== null && typeof value.sessionToken !== 'string') {
    throw refreshFailed('the credentials provider returned a sessionToken that is not a string');
  }
  const expiresAt = expiryOf(value.expiration);
  const credentials = { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey };
  if (typeof value.sessionToken === 'string') credentials.sessionToken = value.sessionToken;
  if (expiresAt !== Infinity) credentials.expiration = new Date(expiresAt);
  return { credentials, expiresAt };
}

/**
 * A provider that caches `provider`'s credentials: `() => Promise<Credentials>`.
 * Options: `marginMs` (default REFRESH_MARGIN_MS), `now` (the clock, default Date.now).
 * Credentials without an expiration are kept until `refresh()` or `invalidate()`.
 * A provider already cached is returned as it is.
 */
export function cacheCredentials(provider, options) {
  if (typeof provider !== 'function') throw new TypeError('sigv4-wasm: cacheCredentials takes a function returning credentials');
  if (provider[CACHED]) return provider;
  options = options || {};
  const marginMs = options.marginMs === undefined ? REFRESH_MARGIN_MS : options.marginMs;
  if (typeof marginMs !== 'number' || !(marginMs >= 0) || marginMs === Infinity) {
    throw new TypeError(`sigv4-wasm: marginMs must be a number of milliseconds, 0 or more, not ${String(marginMs)}`);
  }
  const now = options.now || Date.now;
  if (typeof now !== 'function') throw new TypeError('sigv4-wasm: now must be a function returning milliseconds since 1970');
  let current = null; // { credentials, expiresAt }
  let pending = null; // the refresh under way, shared by every caller

  function refresh() {
    if (pending) return pending;
    current = null;
    const started = Promise.resolve()
      .then(() => provider())
      .then(
        (value) => {
          const fresh = checked(value);
          // Credentials that live less than the margin are used, and fetched again next time.
          if (fresh.expiresAt <= now()) {
            throw refreshFailed(`the credentials provider returned credentials that expired at ${new Date(fresh.expiresAt).toISOString()}; ` +
              'return fresh ones (is the clock right?)');
          }
          return fresh;
        },
        (error) => {
          const said = error && error.message ? `: ${error.message}` : '';
          throw refreshFailed(`the credentials provider failed${said} (the cause is the error it threw)`, error);
        },
      );
    pending = started.then(
      (fresh) => {
        pending = null;
        current = fresh;
        return fresh.credentials;
      },
      (error) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  }

  function cached() {
    if (current && current.expiresAt - marginMs > now()) return Promise.resolve(current.credentials);
    return refresh();
  }
  /** Fetches new credentials now, whatever the cache holds (an API answered that they expired). */
  cached.refresh = refresh;
  /** Drops the cached credentials; the next call fetches new ones. */
  cached.invalidate = function () {
    current = null;
  };
  /** The cached credentials if still fresh, else undefined: for synchronous callers. */
  cached.peek = function () {
    return current && current.expiresAt - marginMs > now() ? current.credentials : undefined;
  };
  Object.defineProperty(cached, CACHED, { value: true });
  return cached;
}
