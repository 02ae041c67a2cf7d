// AwsClient: aws4fetch's AwsClient (1.0.20) over this package's signer. It takes what
// aws4fetch takes (the same constructor options, `sign(input, init)` and `fetch(input, init)`
// with a string, URL or Request, the same `aws` option bag per request), `sign` resolves to a
// Request as aws4fetch's does, and `fetch` retries 5xx and 429 answers with exponential backoff
// and full jitter. Where it deliberately differs, the README says so ("AwsClient and aws4fetch").
//
// Its own module, so that a bundle that imports only sign/presign leaves it out. What it needs
// from the rest of the package is the signer API's `sign`, `signAsync` and `presign`
// (api.js), given to createAwsClient; it translates aws4fetch's options into their options and
// decides nothing about a signature.

import { cacheCredentials } from './credentials.js';
import { SigV4Error } from './errors.js';

function typeError(message) {
  return new TypeError(`sigv4-wasm: ${message}`);
}

/** Options of the constructor that configure the client, not the signature. */
const CLIENT_OPTIONS = ['fetch', 'sleep', 'random', 'retries', 'initRetryMs', 'cache', 'credentials', 'now'];
/** What AWS says when a signature's time is too far from its clock (S3, STS, API Gateway, DynamoDB...). */
const SKEWED = /RequestTimeTooSkewed|Signature expired|Signature not yet current/;
/** What AWS says when a session token has expired: the provider's credentials are fetched again. */
const EXPIRED_TOKEN = /ExpiredToken|security token included in the request is expired/;
/** Options of the `aws` bag that aws4fetch names and sign/presign do not. */
const AWS4FETCH_SIGNING_OPTIONS = ['signQuery', 'allHeaders', 'singleEncode', 'cache'];

/** The header names of a HeadersInit (object, Headers or [name, value] pairs). */
function headerNames(headers) {
  const names = [];
  if (headers === undefined || headers === null) return names;
  if (Array.isArray(headers)) headers.forEach((pair) => names.push(String(pair && pair[0]).toLowerCase()));
  else if (typeof headers.forEach === 'function' && typeof headers.get === 'function') headers.forEach((value, name) => names.push(name.toLowerCase()));
  else Object.keys(headers).forEach((name) => names.push(name.toLowerCase()));
  return names;
}

/** The first value of header `name` (lowercase) in a HeadersInit, or undefined. */
function headerOf(headers, name) {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers.get === 'function' && typeof headers.forEach === 'function') {
    const value = headers.get(name);
    return value === null ? undefined : value;
  }
  const pairs = Array.isArray(headers) ? headers : Object.keys(headers).map((key) => [key, headers[key]]);
  for (let i = 0; i < pairs.length; i++) if (String(pairs[i][0]).toLowerCase() === name) return pairs[i][1];
  return undefined;
}

/** Whether signAsync can hash `body` (sign, the synchronous one, all but the Blob). */
function hashable(body) {
  return body === undefined || body === null || typeof body === 'string' ||
    (typeof ArrayBuffer !== 'undefined' && (body instanceof ArrayBuffer || ArrayBuffer.isView(body))) ||
    (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) ||
    (typeof Blob !== 'undefined' && body instanceof Blob);
}

function isRequest(input) {
  return typeof Request === 'function' && input instanceof Request;
}

/** The URL of `input` as a string: a string, a URL, or anything with a toString (aws4fetch). */
function urlText(input) {
  if (typeof input === 'string') return input;
  if (input !== null && typeof input === 'object') return typeof input.href === 'string' ? input.href : String(input);
  throw typeError('the input must be a URL string, a URL or a Request');
}

/**
 * `url` without its X-Amz-Expires query parameter, and that parameter's value: aws4fetch
 * presigns with the expiry the URL carries, where presign takes it as `expiresIn`.
 */
function takeExpires(url) {
  const hash = url.indexOf('#');
  const end = hash === -1 ? url.length : hash;
  const start = url.indexOf('?');
  if (start === -1 || start > end) return { url, expires: undefined };
  let expires;
  const kept = url.slice(start + 1, end).split('&').filter((pair) => {
    if (pair.split('=')[0] !== 'X-Amz-Expires') return true;
    expires = pair.slice('X-Amz-Expires='.length);
    return false;
  });
  return { url: url.slice(0, start) + (kept.length ? `?${kept.join('&')}` : '') + url.slice(end), expires };
}

/** `new Request(url, init)`, with `duplex: 'half'` where a stream body needs it (aws4fetch). */
function requestOf(url, init) {
  if (typeof Request !== 'function') {
    throw typeError('this runtime has no Request; client.signSync(url, init) returns the { url, init } to pass to fetch');
  }
  try {
    return new Request(url, init);
  } catch (error) {
    if (error instanceof TypeError && init.duplex === undefined && init.body !== undefined && init.body !== null) {
      return new Request(url, Object.assign({ duplex: 'half' }, init));
    }
    throw error;
  }
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets the connection of an answer that will be retried go. */
function discard(response) {
  try {
    const body = response && response.body;
    if (body && typeof body.cancel === 'function') Promise.resolve(body.cancel()).catch(() => undefined);
  } catch (ignored) {
    // nothing to release
  }
}

/**
 * The AwsClient constructor over the signer API `signer`: `{ sign, signAsync, presign }` of
 * api.js (each `(request, options) => signed`, signAsync resolving to it).
 */
export function createAwsClient(signer) {
  /**
   * Holds the credentials and the default signing options (aws4fetch's, and any of sign's),
   * and signs and sends fetch calls.
   */
  function AwsClient(options) {
    if (!(this instanceof AwsClient)) return new AwsClient(options);
    if (!options || typeof options !== 'object') throw typeError('the options must be an object with the credentials');
    let provider;
    if (options.credentials !== undefined && options.credentials !== null) {
      if (options.accessKeyId !== undefined || options.secretAccessKey !== undefined || options.sessionToken !== undefined) {
        throw typeError('give either credentials (a value or a provider) or accessKeyId and secretAccessKey, not both');
      }
      if (typeof options.credentials === 'function') provider = options.credentials;
      else if (typeof options.credentials === 'object') options = Object.assign({}, options, credentialValues(options.credentials));
      else throw typeError('credentials must be an object { accessKeyId, secretAccessKey, sessionToken? } or a function returning one');
    }
    if (options.now !== undefined && typeof options.now !== 'function') throw typeError('now must be a function returning milliseconds since 1970');
    const now = options.now || Date.now;
    if (provider) {
      provider = cacheCredentials(provider, { now: () => now() + this.clockOffsetMs });
    } else if (options.accessKeyId === undefined || options.accessKeyId === null) {
      throw SigV4Error('MISSING_ACCESS_KEY_ID', 'accessKeyId is a required option of AwsClient (or credentials: a value or a provider)');
    } else if (options.secretAccessKey === undefined || options.secretAccessKey === null) {
      throw SigV4Error('MISSING_SECRET_ACCESS_KEY', 'secretAccessKey is a required option of AwsClient');
    }
    const retries = options.retries === undefined || options.retries === null ? 10 : options.retries;
    if (typeof retries !== 'number' || !(retries >= 0) || Math.floor(retries) !== retries) {
      throw typeError(`retries must be a whole number of retries, 0 or more (0: no retrying), not ${String(retries)}`);
    }
    const initRetryMs = options.initRetryMs || 50;
    if (typeof initRetryMs !== 'number' || !(initRetryMs >= 0) || initRetryMs === Infinity) {
      throw typeError(`initRetryMs must be a number of milliseconds, not ${String(initRetryMs)}`);
    }
    ['fetch', 'sleep', 'random'].forEach((name) => {
      if (options[name] !== undefined && typeof options[name] !== 'function') throw typeError(`${name} must be a function`);
    });
    // aws4fetch's public fields; the secret and the token are not enumerable, so that logging
    // the client does not print them, and neither is what only this client has.
    const signing = {};
    Object.keys(options).forEach((name) => {
      if (CLIENT_OPTIONS.indexOf(name) === -1) signing[name] = options[name];
    });
    this.accessKeyId = options.accessKeyId;
    this.service = options.service;
    this.region = options.region;
    this.cache = options.cache || new Map(); // accepted as aws4fetch's; the signer keeps its own key cache
    this.retries = retries;
    this.initRetryMs = initRetryMs;
    const hidden = { secretAccessKey: options.secretAccessKey, sessionToken: options.sessionToken, signing,
      fetchImpl: options.fetch, sleep: options.sleep || wait, random: options.random || Math.random,
      provider, now, timed: options.now !== undefined };
    Object.keys(hidden).forEach((name) => Object.defineProperty(this, name, { value: hidden[name], writable: true, configurable: true }));
    // What AWS's clock is ahead of ours (ms), learnt from an answer that said the signature's
    // time was off (fetch); later signatures are made at now() + clockOffsetMs.
    Object.defineProperty(this, 'clockOffsetMs', { value: 0, writable: true, configurable: true, enumerable: true });
  }

  /** The credentials of a value given to the constructor, as its options. */
  function credentialValues(value) {
    return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, sessionToken: value.sessionToken };
  }

  /** Resolves to the credentials to sign with: the client's values, or its provider's (cached). */
  function credentialsOf(client) {
    if (!client.provider) return Promise.resolve(credentialValues(client));
    return client.provider();
  }

  /** The credentials for signSync: values, or what the provider has cached and still fresh. */
  function credentialsNow(client) {
    if (!client.provider) return credentialValues(client);
    const cached = client.provider.peek();
    if (cached === undefined) {
      throw typeError('signSync signs with credentials as values; with a credentials provider, await client.sign, ' +
        'client.signDetails or client.fetch (they fetch and cache the credentials), or call signSync after one of them');
    }
    return cached;
  }

  /** The signing options of one call: the client's, then the `aws` bag, in sign's terms. */
  function optionsFor(client, init, headers, credentials) {
    const aws = init.aws === undefined || init.aws === null ? {} : init.aws;
    if (typeof aws !== 'object') throw typeError('init.aws must be an object of signing options');
    const options = Object.assign({}, client.signing, {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      service: client.service,
      region: client.region,
    });
    Object.keys(aws).forEach((name) => {
      if (AWS4FETCH_SIGNING_OPTIONS.indexOf(name) === -1) options[name] = aws[name];
    });
    // The client's clock, corrected by what AWS's answers taught it; a datetime given wins.
    if (options.datetime === undefined && (client.timed || client.clockOffsetMs !== 0)) {
      options.datetime = new Date(client.now() + client.clockOffsetMs);
    }
    if (aws.singleEncode && options.pathEncoding === undefined) options.pathEncoding = 'single';
    if (aws.allHeaders) options.signHeaders = (options.signHeaders || []).concat(headerNames(headers));
    return { options, presigning: !!aws.signQuery };
  }

  /**
   * What one call signs: the request and options for sign or presign, from `url` and `init`
   * (fetch's, its body readable).
   */
  function planOf(client, url, init, credentials) {
    const headers = init.headers;
    const body = init.body;
    const { options, presigning } = optionsFor(client, init, headers, credentials);
    // aws4fetch's default: POST when there is a body.
    const request = { method: init.method || (body ? 'POST' : 'GET'), url, headers, body };
    if (!hashable(body) && options.payloadHash === undefined && !options.unsignedPayload) {
      // A stream or FormData: signed with the hash its x-amz-content-sha256 header gives (aws4fetch).
      const given = headerOf(headers, 'x-amz-content-sha256');
      if (given !== undefined) {
        options.payloadHash = given;
        request.body = undefined;
      }
    }
    if (presigning) {
      const taken = takeExpires(url);
      if (taken.expires !== undefined && options.expiresIn === undefined) {
        request.url = taken.url;
        options.expiresIn = Number(taken.expires);
      }
    }
    return { request, options, presigning, init };
  }

  /** Signs a plan with presign, or with `signing` (sign or signAsync). */
  function signPlan(plan, signing) {
    return plan.presigning ? signer.presign(plan.request, plan.options) : signing(plan.request, plan.options);
  }

  /** `{ url, init, signed }` for fetch from a signed request and the caller's init. */
  function fetchArguments(signed, init, options) {
    const sent = {};
    // The runtime sends the Host header itself, and browsers refuse to set it.
    Object.keys(signed.headers).forEach((name) => {
      if (name.toLowerCase() !== 'host' || options.hostOverride) sent[name] = signed.headers[name];
    });
    const next = Object.assign({}, init, { method: signed.method, headers: sent });
    delete next.aws;
    return { url: signed.url, init: next, signed };
  }

  /** `init` over what a Request input gives: its method, headers and signal (aws4fetch: not the signal). */
  function fromRequest(request, init) {
    return Object.assign({ method: request.method, headers: request.headers, signal: request.signal }, init);
  }

  /** The URL and init of a call, a Request's body read: what aws4fetch's sign takes, resolved. */
  function callOf(input, init) {
    if (init !== undefined && init !== null && typeof init !== 'object') throw typeError('init must be an object');
    init = init || {};
    if (!isRequest(input)) return Promise.resolve({ url: urlText(input), init });
    const merged = fromRequest(input, init);
    if ((merged.body !== undefined && merged.body !== null) || input.body === null) {
      return Promise.resolve({ url: input.url, init: merged });
    }
    if (headerOf(input.headers, 'x-amz-content-sha256') !== undefined) {
      merged.body = input.body; // sent as the stream it is, signed with the header's hash
      return Promise.resolve({ url: input.url, init: merged });
    }
    return input.clone().arrayBuffer().then((bytes) => {
      merged.body = new Uint8Array(bytes);
      return { url: input.url, init: merged };
    });
  }

  /**
   * Resolves to the signed Request (aws4fetch's `sign`). A Request as `input` gives its
   * method, headers, body and signal; `init` overrides them.
   */
  AwsClient.prototype.sign = function (input, init) {
    return this.signDetails(input, init).then((call) => requestOf(call.url, call.init));
  };

  /**
   * Resolves to `{ url, init, signed }`: fetch's two arguments, and what was signed (the
   * canonical request, the signature...). Hashes a large body as signAsync does.
   */
  AwsClient.prototype.signDetails = function (input, init) {
    const client = this;
    return Promise.resolve()
      .then(() => callOf(input, init))
      .then((call) => credentialsOf(client).then((credentials) => ({ call, credentials })))
      .then(({ call, credentials }) => {
        const plan = planOf(client, call.url, call.init, credentials);
        return Promise.resolve(signPlan(plan, signer.signAsync)).then((signed) => fetchArguments(signed, plan.init, plan.options));
      });
  };

  /**
   * `{ url, init, signed }`, synchronously, for runtimes without Request or promises: the body
   * must be bytes, a string or URLSearchParams, and a Request input must have no body.
   */
  AwsClient.prototype.signSync = function (input, init) {
    if (init !== undefined && init !== null && typeof init !== 'object') throw typeError('init must be an object');
    init = init || {};
    let url = input;
    if (isRequest(input)) {
      if (input.body !== null && (init.body === undefined || init.body === null)) {
        throw typeError('signSync cannot read the body of a Request; use client.sign or client.signDetails');
      }
      url = input.url;
      init = fromRequest(input, init);
    }
    const plan = planOf(this, urlText(url), init, credentialsNow(this));
    return fetchArguments(signPlan(plan, signer.sign), plan.init, plan.options);
  };

  /**
   * What a rejected answer asks for, read from a copy of its body: 'skew' (the signature's time
   * is too far from AWS's, and its Date header says AWS's time) or 'expired' (the session token
   * has expired), else undefined.
   */
  function rejection(client, response) {
    if (response.status !== 400 && response.status !== 401 && response.status !== 403) return Promise.resolve(undefined);
    if (!response.headers || typeof response.clone !== 'function') return Promise.resolve(undefined);
    return response.clone().text().then(
      (text) => {
        const date = response.headers.get('date');
        if (SKEWED.test(text) && date && !isNaN(Date.parse(date))) return 'skew';
        if (EXPIRED_TOKEN.test(text) && client.provider) return 'expired';
        return undefined;
      },
      () => undefined,
    );
  }

  /**
   * Signs and sends (aws4fetch's `fetch`), resolving to the Response. An answer of 5xx or 429
   * is retried up to `retries` times, each after a random wait of up to initRetryMs * 2^n ms;
   * the last answer is returned whatever its status. An answer that says the signature's time
   * is off (RequestTimeTooSkewed, "Signature expired", "Signature not yet current") sets
   * clockOffsetMs from its Date header and is retried once at once, unless a datetime was given;
   * one that says the session token expired makes a provider fetch new credentials, once.
   */
  AwsClient.prototype.fetch = function (input, init) {
    const client = this;
    return Promise.resolve().then(() => {
      const send = client.fetchImpl || (typeof fetch === 'function' ? fetch : undefined);
      if (typeof send !== 'function') throw typeError('no fetch in this runtime; pass the fetch option to AwsClient');
      return callOf(input, init).then((call) => {
        const aws = call.init.aws || {};
        const dated = aws.datetime !== undefined || client.signing.datetime !== undefined;
        let attempt = 0;
        let corrected = false;
        let refreshed = false;
        const once = () =>
          client.signDetails(call.url, call.init).then((args) => {
            const sent = typeof Request === 'function' ? send(requestOf(args.url, args.init)) : send(args.url, args.init);
            return Promise.resolve(sent).then((response) => {
              if (response.status >= 500 || response.status === 429) {
                if (attempt >= client.retries) return response;
                discard(response);
                const delay = client.random() * client.initRetryMs * Math.pow(2, attempt);
                attempt++;
                return Promise.resolve(client.sleep(delay)).then(once);
              }
              if ((corrected || dated) && (refreshed || !client.provider)) return response;
              return rejection(client, response).then((reason) => {
                if (reason === 'skew' && !corrected && !dated) {
                  corrected = true;
                  client.clockOffsetMs = Date.parse(response.headers.get('date')) - client.now();
                  discard(response);
                  return once();
                }
                if (reason === 'expired' && !refreshed) {
                  refreshed = true;
                  discard(response);
                  return client.provider.refresh().then(once);
                }
                return response;
              });
            });
          });
        return once();
      });
    });
  };

  return AwsClient;
}
