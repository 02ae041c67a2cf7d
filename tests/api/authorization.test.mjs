// The local API answers every authorization outcome as API Gateway does: status,
// x-amzn-ErrorType and message, for signed, presigned, unsigned and malformed requests.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { sign } from 'sigv4-wasm';
import { startServer } from '../../www/server/server.mjs';
import { presignedRequest, rawRequest, requestBytes, send, signedRequest, SCOPE, timeFromNow } from './helpers.mjs';

const require = createRequire(import.meta.url);
const ARN = 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5';
const MASKED = 'arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5';
const READER = { accessKeyId: 'AKIAREADER0000000001', secretAccessKey: 'reader-secret' };
const NO_POST = { accessKeyId: 'AKIANOPOST0000000001', secretAccessKey: 'no-post-secret' };
const TEMPORARY = { accessKeyId: 'ASIATEMPORARY0000001', secretAccessKey: 'temporary-secret', sessionToken: 'FwoGZXIvYXdzEXAMPLE/TOKEN+abc=' };
const EXPIRED = { accessKeyId: 'ASIAEXPIRED000000001', secretAccessKey: 'expired-secret', sessionToken: 'OLDTOKEN' };
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

const config = {
  keys: [
    { user: 'reader', ...READER, policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: `${ARN}/test/GET/*` }] } },
    {
      user: 'no-posting',
      ...NO_POST,
      policy: { Statement: [{ Effect: 'Allow', Action: 'execute-api:*', Resource: '*' }, { Effect: 'Deny', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:*:*:*/*/POST/*' }] },
    },
    { arn: 'arn:aws:sts::123456789012:assumed-role/PetReader/session-1', ...TEMPORARY },
    { user: 'expired', ...EXPIRED, expiration: '2020-01-01T00:00:00Z' },
  ],
};

let server;
let demo;
let pets;
const logLines = [];
before(async () => {
  server = await startServer({ port: 0, config, log: (line) => logLines.push(line), env: {} });
  demo = server.credentials;
  pets = `${server.url}/test/pets`;
});
after(() => server.close());

/** Status, error type and message of an answer. */
function outcome(response) {
  return { status: response.status, type: response.headers['x-amzn-errortype'], message: response.json && (response.json.message ?? response.json.Message) };
}

describe('allowed requests', () => {
  test('the demo key gets the pets, filtered by type and paged', async () => {
    const all = await signedRequest(pets, demo);
    assert.equal(all.status, 200, all.body);
    assert.equal(all.headers['content-type'], 'application/json');
    assert.equal(all.headers['x-amzn-errortype'], undefined);
    assert.match(all.headers['x-amzn-requestid'], /^[0-9a-f-]{36}$/);
    assert.equal(all.json.length, 3);
    const dogs = await signedRequest(`${pets}?type=dog&page=1`, demo);
    assert.ok(dogs.json.length > 0 && dogs.json.every((p) => p.type === 'dog'), dogs.body);
    const page2 = await signedRequest(`${pets}?page=2`, demo);
    assert.notDeepEqual(page2.json, all.json);
    const badPage = await signedRequest(`${pets}?page=zero`, demo);
    assert.equal(badPage.status, 400);
  });

  test('GET /pets/{petId}, POST /pets, and the new pet can be read back', async () => {
    const one = await signedRequest(`${pets}/2`, demo);
    assert.deepEqual(one.json, { id: 2, type: 'cat', price: 124.99 });
    const body = JSON.stringify({ type: 'bird', price: 12.5 });
    const added = await signedRequest(pets, demo, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(added.status, 200, added.body);
    assert.equal(added.json.message, 'success');
    const back = await signedRequest(`${pets}/${added.json.pet.id}`, demo);
    assert.deepEqual(back.json, { id: added.json.pet.id, type: 'bird', price: 12.5 });
    const missing = await signedRequest(`${pets}/99999`, demo);
    assert.equal(missing.status, 404);
    const invalid = await signedRequest(pets, demo, { method: 'POST', body: '{"type":"dragon","price":1}' });
    assert.equal(invalid.status, 400);
    assert.match(invalid.json.message, /type must be one of/);
  });

  test('a presigned URL is accepted', async () => {
    const response = await presignedRequest(`${pets}?type=cat`, demo, { expiresIn: 60 });
    assert.equal(response.status, 200, response.body);
    assert.ok(response.json.every((p) => p.type === 'cat'));
  });

  test('temporary credentials with their session token, in the header and in a presigned URL', async () => {
    assert.equal((await signedRequest(pets, TEMPORARY)).status, 200);
    const presigned = await presignedRequest(pets, TEMPORARY);
    assert.equal(presigned.status, 200, presigned.body);
  });

  test('requests signed by other signers (the AWS SDK\'s @smithy/signature-v4, and aws4) are accepted', async () => {
    const { SignatureV4 } = require('@smithy/signature-v4');
    const { Sha256 } = require('@aws-crypto/sha256-js');
    const signer = new SignatureV4({ credentials: { accessKeyId: demo.accessKeyId, secretAccessKey: demo.secretAccessKey }, ...SCOPE, sha256: Sha256 });
    const url = new URL(`${pets}?type=dog`);
    const body = JSON.stringify({ type: 'fish', price: 3 });
    const signed = await signer.sign({
      method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname,
      query: { type: 'dog' }, headers: { host: url.host, 'content-type': 'application/json' }, body,
    });
    const response = await send(`${pets}?type=dog`, { method: 'POST', headers: Object.entries(signed.headers).filter(([n]) => n !== 'host'), body });
    assert.equal(response.status, 200, response.body);

    const aws4 = require('aws4');
    const options = aws4.sign({ host: url.host, path: '/test/pets/3', ...SCOPE, headers: {} }, { accessKeyId: demo.accessKeyId, secretAccessKey: demo.secretAccessKey });
    const viaAws4 = await send(`${server.url}/test/pets/3`, { headers: Object.entries(options.headers).filter(([n]) => n.toLowerCase() !== 'host') });
    assert.equal(viaAws4.status, 200, viaAws4.body);
  });
});

describe('the package\'s fetch wrapper', () => {
  test('AwsClient.fetch signs and sends: GET, POST with a body, presigned, and a wrong secret', async () => {
    const { AwsClient } = await import('sigv4-wasm');
    const client = new AwsClient({ ...demo, region: 'us-east-1', service: 'execute-api' });
    const list = await client.fetch(pets);
    assert.equal(list.status, 200, await list.clone().text());
    assert.equal((await list.json()).length, 3);
    const created = await client.fetch(pets, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'fish', price: 1.5 }),
    });
    assert.equal(created.status, 200, await created.clone().text());
    assert.equal((await created.json()).message, 'success');
    const presigned = await client.fetch(`${pets}?type=cat`, { aws: { signQuery: true, expiresIn: 30 } });
    assert.equal(presigned.status, 200, await presigned.clone().text());
    const wrong = new AwsClient({ ...demo, secretAccessKey: 'not-the-secret', region: 'us-east-1', service: 'execute-api' });
    const denied = await wrong.fetch(pets);
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
  });
});

describe('authorization failures, as API Gateway answers them', () => {
  test('no signature: 403 Missing Authentication Token', async () => {
    const response = await send(pets);
    assert.deepEqual(outcome(response), { status: 403, type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
    assert.deepEqual(response.json, { message: 'Missing Authentication Token' });
    assert.equal(response.headers['access-control-allow-origin'], '*');
  });

  test('a resource or method the API does not have: Missing Authentication Token, even when signed', async () => {
    for (const [method, path] of [['GET', '/test/nothing'], ['DELETE', '/test/pets'], ['GET', '/prod/pets']]) {
      const response = await signedRequest(`${server.url}${path}`, demo, { method });
      assert.equal(response.status, path.startsWith('/prod') ? 404 : 403, `${method} ${path}`);
      if (response.status === 403) assert.deepEqual(outcome(response).message, 'Missing Authentication Token');
    }
  });

  test('a wrong secret: the signature mismatch, with the canonical request and string to sign the server computed', async () => {
    const response = await signedRequest(`${pets}?type=dog`, { ...demo, secretAccessKey: 'wrong' });
    const { status, type, message } = outcome(response);
    assert.equal(status, 403);
    assert.equal(type, 'InvalidSignatureException');
    const expected = `${MISMATCH}\n\nThe Canonical String for this request should have been\n'${response.signed.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${response.signed.stringToSign}'\n`;
    assert.equal(message, expected);
  });

  test('a request changed after signing: the server shows what it received', async () => {
    const signed = sign({ url: `${pets}?type=dog`, headers: { 'x-demo': 'one' } }, { ...SCOPE, ...demo });
    const headers = Object.entries(signed.headers).filter(([n]) => n !== 'host').map(([n, v]) => [n, n === 'x-demo' ? 'two' : v]);
    const response = await send(signed.url, { headers });
    assert.equal(outcome(response).type, 'InvalidSignatureException');
    assert.match(response.json.message, /\nx-demo:two\n/);
    assert.ok(!response.json.message.includes(signed.canonicalRequest));
  });

  test('an unknown access key: The security token included in the request is invalid.', async () => {
    const response = await signedRequest(pets, { accessKeyId: 'AKIAUNKNOWN000000001', secretAccessKey: 'x' });
    assert.deepEqual(outcome(response), { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
  });

  test('a key that requires a session token: without it, or with another, it is refused', async () => {
    const withoutToken = await signedRequest(pets, { accessKeyId: TEMPORARY.accessKeyId, secretAccessKey: TEMPORARY.secretAccessKey });
    assert.deepEqual(outcome(withoutToken), { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' });
    const wrongToken = await signedRequest(pets, { ...TEMPORARY, sessionToken: 'another' });
    assert.equal(outcome(wrongToken).type, 'UnrecognizedClientException');
    const tokenNotNeeded = await signedRequest(pets, { ...demo, sessionToken: 'unexpected' });
    assert.equal(outcome(tokenNotNeeded).type, 'UnrecognizedClientException');
  });

  test('expired temporary credentials: The security token included in the request is expired', async () => {
    const response = await signedRequest(pets, EXPIRED);
    assert.deepEqual(outcome(response), { status: 403, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' });
  });

  test('an expired presigned URL', async () => {
    const response = await presignedRequest(pets, demo, { expiresIn: 60, options: { datetime: timeFromNow(-120) } });
    const { status, type, message } = outcome(response);
    assert.equal(status, 403);
    assert.equal(type, 'InvalidSignatureException');
    assert.match(message, /^Request has expired: signed at \d{8}T\d{6}Z, valid for 60 seconds until \d{8}T\d{6}Z, and it is now \d{8}T\d{6}Z\.$/);
  });

  test('outside the 15-minute clock-skew window, either way', async () => {
    const late = outcome(await signedRequest(pets, demo, { options: { datetime: timeFromNow(-20 * 60) } }));
    assert.equal(late.status, 403);
    assert.equal(late.type, 'InvalidSignatureException');
    assert.match(late.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    const early = outcome(await signedRequest(pets, demo, { options: { datetime: timeFromNow(20 * 60) } }));
    assert.equal(early.type, 'InvalidSignatureException');
    assert.match(early.message, /^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 15 min\.\)$/);
    const within = await signedRequest(pets, demo, { options: { datetime: timeFromNow(-10 * 60) } });
    assert.equal(within.status, 200);
  });

  test('host not signed', async () => {
    const signed = sign({ url: pets }, { ...SCOPE, ...demo });
    const authorization = signed.authorization.replace('SignedHeaders=host;x-amz-date', 'SignedHeaders=x-amz-date');
    const response = await send(pets, { headers: [['x-amz-date', signed.headers['x-amz-date']], ['authorization', authorization]] });
    assert.deepEqual(outcome(response), { status: 403, type: 'InvalidSignatureException', message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization." });
  });

  test('the wrong region or service in the credential scope', async () => {
    const region = outcome(await signedRequest(pets, demo, { options: { region: 'eu-west-1' } }));
    assert.equal(region.type, 'InvalidSignatureException');
    assert.equal(region.message, "Credential should be scoped to a valid region, not 'eu-west-1'. (This endpoint is in 'us-east-1'.)");
    const service = outcome(await signedRequest(pets, demo, { options: { service: 's3', s3: false } }));
    assert.equal(service.message, "Credential should be scoped to correct service: 'execute-api'.");
  });

  test('denied by the key\'s policy: AccessDeniedException naming the user and the resource', async () => {
    assert.equal((await signedRequest(`${pets}/1`, READER)).status, 200);
    const denied = await signedRequest(pets, READER, { method: 'POST', body: '{"type":"dog","price":1}' });
    assert.deepEqual(outcome(denied), {
      status: 403,
      type: 'AccessDeniedException',
      message: `User: arn:aws:iam::123456789012:user/reader is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/test/POST/pets because no identity-based policy allows the execute-api:Invoke action`,
    });
    assert.deepEqual(Object.keys(denied.json), ['Message']);
    const explicit = await signedRequest(pets, NO_POST, { method: 'POST', body: '{"type":"dog","price":1}' });
    assert.equal(outcome(explicit).message, `User: arn:aws:iam::123456789012:user/no-posting is not authorized to perform: execute-api:Invoke on resource: ${MASKED}/test/POST/pets with an explicit deny in an identity-based policy`);
    assert.equal((await signedRequest(pets, NO_POST)).status, 200);
  });
});

describe('bad input: a clear error, never a crash', () => {
  test('a malformed Authorization header', async () => {
    const incomplete = outcome(await send(pets, { headers: [['authorization', 'AWS4-HMAC-SHA256 garbage']] }));
    assert.equal(incomplete.status, 403);
    assert.equal(incomplete.type, 'IncompleteSignatureException');
    assert.match(incomplete.message, /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. /);
    const other = outcome(await send(pets, { headers: [['authorization', 'Bearer abc.def']] }));
    assert.equal(other.type, 'IncompleteSignatureException');
    assert.match(other.message, /Unsupported Authorization Type: 'Bearer'/);
    const badCredential = outcome(await send(pets, { headers: [['x-amz-date', '20261123T101500Z'], ['authorization', 'AWS4-HMAC-SHA256 Credential=AKID, SignedHeaders=host;x-amz-date, Signature=00']] }));
    assert.equal(badCredential.type, 'IncompleteSignatureException');
    assert.match(badCredential.message, /Credential 'AKID' is not of the form/);
    const twoSchemes = await presignedRequest(pets, demo);
    const both = outcome(await send(twoSchemes.signed.url, { headers: [['authorization', 'AWS4-HMAC-SHA256 Credential=x']] }));
    assert.match(both.message, /Only one auth mechanism allowed/);
  });

  test('a duplicate X-Amz-Date header', async () => {
    const signed = sign({ url: pets }, { ...SCOPE, ...demo });
    const bytes = requestBytes('GET', '/test/pets', [
      ['Host', signed.headers.host], ['X-Amz-Date', signed.headers['x-amz-date']], ['X-Amz-Date', signed.headers['x-amz-date']], ['Authorization', signed.authorization],
    ]);
    const response = await rawRequest(server.port, bytes);
    assert.equal(response.status, 403);
    assert.equal(response.headers['x-amzn-errortype'], 'IncompleteSignatureException');
    assert.match(response.json.message, /more than one X-Amz-Date header/);
  });

  test('non-UTF-8 bytes in the URL, in a signed header, and in the body', async () => {
    const inPath = await rawRequest(server.port, requestBytes('GET', Buffer.from([0x2f, 0x74, 0x65, 0x73, 0x74, 0x2f, 0xff, 0xfe]).toString('latin1'), [['Host', 'x']]));
    assert.equal(inPath.status, 400);
    assert.equal(inPath.headers['x-amzn-errortype'], 'BadRequestException');
    assert.match(inPath.json.message, /^The request could not be read: .*url/i);

    const signed = sign({ url: pets, headers: { 'x-demo': 'ok' } }, { ...SCOPE, ...demo });
    const inHeader = await rawRequest(server.port, requestBytes('GET', '/test/pets', [
      ['Host', signed.headers.host], ['X-Amz-Date', signed.headers['x-amz-date']], ['X-Demo', Buffer.from([0x6f, 0xff, 0xc3, 0x28])], ['Authorization', signed.authorization],
    ]));
    // Node reads header bytes as Latin-1; a signed header that is not ASCII cannot be what a
    // client signed, and the answer names the header and the character.
    assert.equal(inHeader.status, 400, inHeader.body);
    assert.equal(inHeader.headers['x-amzn-errortype'], 'BadRequestException');
    assert.match(inHeader.json.message, /header 'X-Demo' contains a non-ASCII character \(U\+00FF\)/);

    const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const inBody = await signedRequest(pets, demo, { method: 'POST', body });
    assert.equal(inBody.status, 400, inBody.body);
    assert.equal(inBody.json.message, 'Could not parse request body into json: the body is not UTF-8 text');

    const inQuery = await signedRequest(`${pets}?type=%FF%FE`, demo);
    assert.equal(inQuery.status, 200, inQuery.body);
    assert.deepEqual(inQuery.json, []);
  });

  test('a malformed percent-encoding in the path', async () => {
    const response = await signedRequest(`${pets}/%zz`, demo);
    // It resolves to no route: API Gateway's answer for a path it does not have.
    assert.equal(response.status, 403, response.body);
    assert.equal(response.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    assert.deepEqual(response.json, { message: 'Missing Authentication Token' });
  });

  test('a 10 MB body is accepted; one byte more gets 413 Request Too Long', async () => {
    const limit = 10 * 1024 * 1024;
    const atLimit = new Uint8Array(limit).fill(0x61);
    const accepted = await signedRequest(pets, demo, { method: 'POST', body: atLimit });
    assert.equal(accepted.status, 400, 'verified, then refused as a pet');
    assert.match(accepted.json.message, /^Could not parse request body into json/);

    const over = new Uint8Array(limit + 1).fill(0x61);
    const refused = await signedRequest(pets, demo, { method: 'POST', body: over });
    assert.equal(refused.status, 413);
    assert.match(refused.json.message, /^Request Too Long: the body is 10485761 bytes; API Gateway accepts at most 10485760 bytes \(10 MB\)$/);
    // Declared too large: 413 whatever the signature. Chunked, the size is unknown until read,
    // and a request without a signature is refused before its body is read.
    const unsigned = await send(pets, { method: 'POST', headers: [['content-length', String(over.length)]], body: over });
    assert.equal(unsigned.status, 413);
    const chunked = await send(pets, { method: 'POST', headers: [['transfer-encoding', 'chunked']], body: over });
    assert.equal(chunked.status, 403);
    assert.equal(chunked.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    // Still serving.
    assert.equal((await signedRequest(pets, demo)).status, 200);
  });

  test('a body declared far larger than the limit is refused without reading it', async () => {
    const bytes = Buffer.from('POST /test/pets HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n{');
    const response = await rawRequest(server.port, bytes);
    assert.equal(response.status, 413);
    assert.match(response.json.message, /^Request Too Long/);
  });
});

describe('CORS, the demo endpoints and the page', () => {
  test('preflights are answered like an API Gateway with CORS enabled', async () => {
    const response = await send(pets, { method: 'OPTIONS', headers: [['origin', 'http://elsewhere.example'], ['access-control-request-method', 'POST'], ['access-control-request-headers', 'authorization,x-amz-date,content-type']] });
    assert.equal(response.status, 200);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['access-control-allow-methods'], 'GET,POST,OPTIONS');
    for (const name of ['Content-Type', 'X-Amz-Date', 'Authorization', 'X-Api-Key', 'X-Amz-Security-Token']) {
      assert.ok(response.headers['access-control-allow-headers'].split(',').includes(name), name);
    }
    const unknown = await send(`${server.url}/test/nothing`, { method: 'OPTIONS' });
    assert.equal(unknown.status, 403);
  });

  test('/demo/credentials gives the keys to loopback pages only', async () => {
    const response = await send(`${server.url}/demo/credentials`);
    assert.equal(response.status, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal(response.json.keys[0].accessKeyId, demo.accessKeyId);
    assert.equal(response.json.keys[0].secretAccessKey, demo.secretAccessKey);
    assert.equal(response.json.region, 'us-east-1');
    assert.equal(response.json.endpoint, `${server.url}/test/pets`);
    const rebound = await send(`${server.url}/demo/credentials`, { headers: [['host', 'attacker.example:8080']] });
    assert.equal(rebound.status, 403);
    assert.ok(!rebound.body.includes(demo.secretAccessKey));
    const crossSite = await send(`${server.url}/demo/credentials`, { headers: [['sec-fetch-site', 'cross-site']] });
    assert.equal(crossSite.status, 403);
  });

  test('/demo/api describes the API without secrets', async () => {
    const response = await send(`${server.url}/demo/api`);
    assert.equal(response.status, 200);
    assert.equal(response.json.invokeUrl, `${server.url}/test`);
    assert.equal(response.json.authorizationType, 'AWS_IAM');
    for (const secret of [demo.secretAccessKey, READER.secretAccessKey, TEMPORARY.secretAccessKey, TEMPORARY.sessionToken]) assert.ok(!response.body.includes(secret));
  });

  test('the page, the package and nothing else', async () => {
    const page = await send(`${server.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /^text\/html/);
    assert.match(page.headers['content-security-policy'], /script-src 'self' 'wasm-unsafe-eval'/);
    assert.equal((await send(`${server.url}/sigv4-wasm/browser.mjs`)).headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal((await send(`${server.url}/sigv4-wasm/sigv4-signer.wasm`)).headers['content-type'], 'application/wasm');
    for (const path of ['/server/server.mjs', '/server/example-config.json', '/sigv4-wasm/gen/signer/glue.js', '/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/README.md', '/lib/../server/auth.mjs']) {
      assert.equal((await send(`${server.url}${path}`)).status, 404, path);
    }
  });

  test('no secret, session token or signature appears in the request log', () => {
    assert.ok(logLines.length > 20);
    const all = logLines.join('\n');
    for (const secret of [demo.secretAccessKey, READER.secretAccessKey, TEMPORARY.secretAccessKey, TEMPORARY.sessionToken, encodeURIComponent(TEMPORARY.sessionToken), EXPIRED.sessionToken]) {
      assert.ok(!all.includes(secret), `log leaks ${secret.slice(0, 4)}…`);
    }
    assert.ok(!/X-Amz-Signature|Signature=/.test(all));
  });
});
