// The wasm build's allocator (src/bindings/alloc.rs) frees the whole heap when no
// allocation is live, which holds only if nothing allocated survives a call. This test calls
// every export many times, on success and error paths, with small and large inputs, and
// checks that the wasm memory stops growing: a leak across calls would grow it every call.
// Both binaries: the signer's and the servers' (with the verifier).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromCoreError } from '../../js/src/errors.js';
import { SIGNED, SIGN_REQUEST, VERIFY_REQUEST, at, encode } from '../../js/src/protocol.js';
import { nodeCryptoCanonicalSha256 } from '../../js/src/native-hash.js';

/** `run`, its error as callers get it (the binding throws a core error as a string). */
const asCallersSee = (run) => () => {
  try {
    run();
  } catch (error) {
    throw fromCoreError(error);
  }
};

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const headers = ['content-type', 'application/json', 'x-custom', 'a  b', 'x-custom', 'c'].join('\0');

for (const binary of ['signer', 'server']) {
  const glue = await import(`../../js/dist/gen/${binary}/glue.js`);
  const wasm = glue.initSync({ module: readFileSync(new URL(`../../js/dist/sigv4-${binary}.wasm`, import.meta.url)) });
  const memory = () => wasm.memory.buffer.byteLength;

  /** A call's fields (js/src/protocol.js) from `given` by name, every other field ''. */
  function fields(table, given, sent) {
    const values = table.map((name) => given[name] || '');
    return encode(table, values, sent);
  }

  function sign(body, expires, url = 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets?type=dog&page=2') {
    const presign = expires !== undefined;
    const given = { method: 'POST', url, accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, datetime: '20150830T123600Z',
      presign: String(presign), expiresIn: presign ? String(expires) : '', payload: 'body' };
    const text = fields(SIGN_REQUEST, given, headers);
    if (binary === 'server') {
      const input = new TextEncoder().encode(text);
      return glue.signRequest(input, input.length, () => body);
    }
    // The size-built binding: the fields, the body, and that it is given (src/bindings.rs);
    // an error returned, which js/src/api.js throws.
    const out = glue.signRequest(text, body, true);
    if (out.charCodeAt(0) === 0) throw out;
    return out;
  }

  function verify(url, sent, body, lookup) {
    const given = { method: 'POST', url, now: '20150830T123600Z', region: 'us-east-1', service: 'execute-api' };
    return glue.verifyRequest(fields(VERIFY_REQUEST, given, sent), body, lookup);
  }

  /** A signRequest result's fields, then the header names and values joined: the servers'
   * binary writes its headers its own way (native-hash.js reads them). */
  function signedFields(text) {
    if (binary !== 'server') return text.split('\0');
    const out = nodeCryptoCanonicalSha256.signed(text, '');
    const headers = out.pop();
    return out.concat(...Object.keys(headers).map((name) => [name, headers[name]]));
  }

  function everyExport(body) {
    const signed = signedFields(sign(body));
    const sent = signed.slice(SIGNED.length).join('\0');
    const url = signed[at(SIGNED).url];
    const lookup = (id) => (id === 'AKIDEXAMPLE' ? { secretAccessKey: SECRET } : null);
    if (glue.verifyRequest) {
      verify(url, sent, body, lookup);
      assert.throws(asCallersSee(() => verify(url, sent, new Uint8Array([1]), lookup)), { code: 'SIGNATURE_MISMATCH' });
      assert.throws(asCallersSee(() => verify('/', 'host\0h', body, () => { throw new RangeError('lookup failed'); })), { code: 'MISSING_AUTHENTICATION' });
      assert.throws(() => verify(url, sent, body, () => { throw new RangeError('lookup failed'); }), RangeError);
    }
    assert.throws(asCallersSee(() => sign(body, 999999999)), { code: 'EXPIRES_OUT_OF_RANGE' });
    assert.throws(asCallersSee(() => sign(body, undefined, 'not a url')), { code: 'INVALID_URL' });
    sign(body, 3600);
    glue.signingKeyDerivation(SECRET, '20150830', 'us-east-1', 'iam');
    glue.inferScope('bucket.s3.us-west-2.amazonaws.com');
  }

  test(`memory stops growing after the first calls, whatever the calls do (${binary})`, () => {
    const small = new Uint8Array(1024).fill(120);
    const large = new Uint8Array(4 * 1024 * 1024).fill(121);
    for (let i = 0; i < 3; i++) everyExport(large); // the high-water mark: the largest call
    const settled = memory();
    for (let i = 0; i < 2000; i++) everyExport(i % 500 === 0 ? large : small);
    assert.equal(memory(), settled, `memory grew from ${settled} to ${memory()} bytes over 2000 rounds`);
    // A call peaks at about its own size: 4 MiB bodies need tens of MiB, not gigabytes.
    assert.ok(settled < 64 * 1024 * 1024, `memory after 4 MiB bodies: ${settled} bytes`);
  });
}
