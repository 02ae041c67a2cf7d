// What the Cognito stand-ins share: bounded stores, constant-time comparison, bounded bodies,
// and Cognito's JSON answers.

import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A Map with a size bound and a lifetime: entries older than `ttlMs` are gone, and adding one
 * past `max` evicts the oldest. Every entry is `{ value, expires }`; lookups are O(1), and
 * eviction walks from the oldest (Map keeps insertion order).
 */
export class BoundedStore {
  constructor(max, ttlMs) {
    this.max = max;
    this.ttlMs = ttlMs;
    this.map = new Map();
  }

  set(key, value, ttlMs = this.ttlMs) {
    this.map.delete(key);
    this.map.set(key, { value, expires: Date.now() + ttlMs });
    this.prune();
    return value;
  }

  /** The value, or undefined when absent or expired. */
  get(key) {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The value, removed: what single-use codes and sessions need. */
  take(key) {
    const value = this.get(key);
    this.map.delete(key);
    return value;
  }

  delete(key) {
    this.map.delete(key);
  }

  get size() {
    return this.map.size;
  }

  prune() {
    const now = Date.now();
    for (const [key, entry] of this.map) {
      if (this.map.size <= this.max && entry.expires > now) break;
      if (this.map.size > this.max || entry.expires <= now) this.map.delete(key);
    }
  }
}

/** Whether two strings are equal, in time that depends on neither (both are hashed first, so lengths leak nothing either). */
export function safeEqual(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** The most a Cognito request body may be: InitiateAuth with a 3072-bit SRP_A is under 2 KB. */
export const MAX_COGNITO_BODY = 64 * 1024;
/** How long a client may take to send it. */
export const BODY_TIMEOUT_MS = 10_000;

/**
 * Reads a body of at most `limit` bytes within `timeoutMs`: resolves to a Buffer, or to
 * `{ error: 'too-large' | 'timeout' }` (the caller answers and closes the connection).
 */
export function readLimited(req, limit = MAX_COGNITO_BODY, timeoutMs = BODY_TIMEOUT_MS) {
  if (Number(req.headers['content-length'] || 0) > limit) return Promise.resolve({ error: 'too-large' });
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      req.pause();
      finish({ error: 'timeout' });
    }, timeoutMs);
    req.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ error: 'too-large' });
      } else chunks.push(chunk);
    });
    req.on('end', () => finish(Buffer.concat(chunks, size)));
    // A connection that goes away mid-body (closed, or reset) settles too, and clears the timer.
    req.on('error', () => finish({ error: 'timeout' }));
    req.on('close', () => finish({ error: 'timeout' }));
  });
}

/** A Cognito JSON 1.1 error: HTTP 400, `{"__type": type, "message": ...}` and `x-amzn-ErrorType`. */
export function awsError(type, message, status = 400) {
  return { status, error: true, body: { __type: type, message } };
}

export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
