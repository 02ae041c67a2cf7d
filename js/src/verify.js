// verify, for the entries whose binary has the verifier (the cargo feature `verify`): the
// servers' build and the sigv4-wasm/verify subpath. Browser, React Native and Postman builds
// of the signer never import this file.

import { SEP, VERIFIED, VERIFY_REQUEST, at, encode } from './protocol.js';
import { EMPTY, bodyOf, datetimeOf, flag, headersOf, listOf, methodOf, optionalString, optionsOf, putRules, requestOf,
  typeError, urlOf } from './api.js';

const VERIFY_FIELD = at(VERIFY_REQUEST);
const VERIFIED_FIELD = at(VERIFIED);

/** verify over `glue.verifyRequest`, calling into the binary through api.js's `call`. */
export function createVerify(glue, call) {
  /** Verifies a signed request as a service does; throws SigV4Error when it does not verify. */
  function verify(request, options) {
    requestOf(request);
    optionsOf(options);
    if (typeof options.lookup !== 'function') throw typeError('verify needs lookup(accessKeyId) => { secretAccessKey, sessionToken? } | null');
    const region = optionalString(options.region, 'region', 'INVALID_REGION');
    const service = optionalString(options.service, 'service', 'INVALID_SERVICE');
    if (!region || !service) throw typeError('verify needs the region and service of the endpoint it protects');
    const fields = new Array(VERIFY_REQUEST.length);
    putRules(fields, VERIFY_FIELD, options);
    if (options.maxClockSkew !== undefined && typeof options.maxClockSkew !== 'number') throw typeError('maxClockSkew must be a number of seconds');
    if (options.presignedPayload !== undefined) throw typeError('presignedPayload is gone; use allowUnsignedPayload (true applies S3\'s payload rules)');
    if (options.allowUnsignedPayload !== undefined && typeof options.allowUnsignedPayload !== 'boolean') throw typeError('allowUnsignedPayload must be a boolean');
    const lookup = (accessKeyId) => {
      const key = options.lookup(accessKeyId);
      if (key === undefined || key === null) return null;
      const token = key && key.sessionToken;
      if (typeof key !== 'object' || typeof key.secretAccessKey !== 'string' ||
        (token !== undefined && token !== null && typeof token !== 'string')) {
        throw typeError('lookup must return { secretAccessKey: string, sessionToken?: string } or null');
      }
      return key;
    };
    const headers = headersOf(request.headers);
    fields[VERIFY_FIELD.method] = methodOf(request.method);
    fields[VERIFY_FIELD.url] = urlOf(request.url);
    fields[VERIFY_FIELD.now] = datetimeOf(options.now, 'now');
    fields[VERIFY_FIELD.region] = region;
    fields[VERIFY_FIELD.service] = service;
    fields[VERIFY_FIELD.maxClockSkew] = options.maxClockSkew === undefined ? '' : String(options.maxClockSkew);
    fields[VERIFY_FIELD.allowUnsignedPayload] = flag(options.allowUnsignedPayload);
    fields[VERIFY_FIELD.requireSignedHeaders] = listOf(options.requireSignedHeaders, 'requireSignedHeaders');
    // The SHA-256 of the body, computed by the server as the body streamed in.
    const bodySha256 = optionalString(request.bodySha256, 'bodySha256', 'INVALID_PAYLOAD_HASH');
    fields[VERIFY_FIELD.bodySha256] = bodySha256;
    if (bodySha256 && request.body !== undefined && request.body !== null) throw typeError('pass the body or its bodySha256, not both');
    const body = bodySha256 ? EMPTY : bodyOf(request.body);
    const out = call(() => glue.verifyRequest(encode(VERIFY_REQUEST, fields, headers), body, lookup)).split(SEP);
    const result = {
      accessKeyId: out[VERIFIED_FIELD.accessKeyId],
      credentialScope: out[VERIFIED_FIELD.credentialScope],
      signedHeaders: out[VERIFIED_FIELD.signedHeaders].split(';'),
      signedAt: out[VERIFIED_FIELD.signedAt],
      canonicalRequest: out[VERIFIED_FIELD.canonicalRequest],
    };
    if (out[VERIFIED_FIELD.expiresIn]) result.expiresIn = Number(out[VERIFIED_FIELD.expiresIn]);
    return result;
  }
  return verify;
}
