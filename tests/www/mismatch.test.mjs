// The mismatch debugger's parsing and diagnosis, on error bodies in the forms AWS returns
// them and on requests signed by the package itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'sigv4-wasm';
import { bytesToText, diagnose, parseAwsError, parseCanonicalRequest, parseStringToSign } from '../../www/lib/mismatch.mjs';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'execute-api', datetime: '20261123T101500Z' };

/** API Gateway's signature-mismatch body for what a server computed. */
function apiGatewayBody(canonicalRequest, stringToSign) {
  return JSON.stringify({
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
      `\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  });
}

function hex(text) {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

const causeIds = (result) => result.causes.map((c) => c.id);

test('reads API Gateway JSON: message, canonical request, string to sign', () => {
  const signed = sign({ url: 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets?type=dog' }, credentials);
  const parsed = parseAwsError(apiGatewayBody(signed.canonicalRequest, signed.stringToSign));
  assert.equal(parsed.format, 'api-gateway');
  assert.equal(parsed.canonicalRequest, signed.canonicalRequest);
  assert.equal(parsed.stringToSign, signed.stringToSign);
  assert.match(parsed.message, /^The request signature we calculated does not match/);
});

test('reads the message when pasted without JSON, with \\n escapes', () => {
  const signed = sign({ url: 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets' }, credentials);
  const body = JSON.parse(apiGatewayBody(signed.canonicalRequest, signed.stringToSign)).message.replace(/\n/g, '\\n');
  const parsed = parseAwsError(body);
  assert.equal(parsed.canonicalRequest, signed.canonicalRequest);
  assert.equal(parsed.stringToSign, signed.stringToSign);
});

test('reads the Selling Partner API form (an errors list)', () => {
  const signed = sign({ url: 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets' }, credentials);
  const message = JSON.parse(apiGatewayBody(signed.canonicalRequest, signed.stringToSign)).message;
  const parsed = parseAwsError(JSON.stringify({ errors: [{ message, code: 'InvalidSignature' }] }));
  assert.equal(parsed.code, 'InvalidSignature');
  assert.equal(parsed.canonicalRequest, signed.canonicalRequest);
});

test("reads S3's XML, preferring the exact *Bytes elements", () => {
  const signed = sign({ url: 'https://bucket.s3.us-east-1.amazonaws.com/a%20b.txt' }, { ...credentials, service: 's3' });
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>' +
    `<AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><StringToSign>${signed.stringToSign}</StringToSign><SignatureProvided>abc</SignatureProvided>` +
    `<StringToSignBytes>${hex(signed.stringToSign)}</StringToSignBytes><CanonicalRequest>garbled &amp; lossy</CanonicalRequest>` +
    `<CanonicalRequestBytes>${hex(signed.canonicalRequest)}</CanonicalRequestBytes><RequestId>X</RequestId><HostId>Y</HostId></Error>`;
  const parsed = parseAwsError(xml);
  assert.equal(parsed.format, 's3');
  assert.equal(parsed.code, 'SignatureDoesNotMatch');
  assert.equal(parsed.canonicalRequest, signed.canonicalRequest);
  assert.equal(parsed.stringToSign, signed.stringToSign);
  assert.equal(parsed.details.AWSAccessKeyId, 'AKIDEXAMPLE');
});

test('S3 XML without *Bytes: entities decoded from the text elements', () => {
  const parsed = parseAwsError('<Error><Code>SignatureDoesNotMatch</Code><Message>m</Message><CanonicalRequest>GET\n/a&amp;b\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD</CanonicalRequest></Error>');
  assert.equal(parsed.canonicalRequest, 'GET\n/a&b\n\nhost:h\n\nhost\nUNSIGNED-PAYLOAD');
  assert.equal(parsed.stringToSign, undefined);
});

test('bytesToText decodes hex bytes and refuses anything else', () => {
  assert.equal(bytesToText('47 45 54 0a 2f'), 'GET\n/');
  assert.equal(bytesToText('not hex'), undefined);
});

test('parseCanonicalRequest and parseStringToSign split the parts', () => {
  const cr = parseCanonicalRequest('POST\n/test/pets\na=1&b=2\ncontent-type:application/json\nhost:h\n\ncontent-type;host\nabc');
  assert.deepEqual(cr, {
    method: 'POST', path: '/test/pets', query: 'a=1&b=2',
    headers: [['content-type', 'application/json'], ['host', 'h']],
    signedHeaders: ['content-type', 'host'], payloadHash: 'abc',
  });
  assert.equal(parseCanonicalRequest('GET\n/'), null);
  const sts = parseStringToSign('AWS4-HMAC-SHA256\n20261123T101500Z\n20261123/eu-west-1/execute-api/aws4_request\nff');
  assert.equal(sts.region, 'eu-west-1');
  assert.equal(sts.service, 'execute-api');
});

/** What a server computed for the request that actually arrived, against what was signed. */
function compare(signedRequest, arrivedRequest, options = credentials) {
  const ours = sign(signedRequest, options);
  const server = sign(arrivedRequest, { ...options, datetime: arrivedRequest.datetime || options.datetime });
  return diagnose(parseAwsError(apiGatewayBody(server.canonicalRequest, server.stringToSign)), { canonicalRequest: ours.canonicalRequest, stringToSign: ours.stringToSign });
}

const URL_ = 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets';

test('names a header changed after signing, first', () => {
  const result = compare({ url: URL_, headers: { 'x-demo': 'one' } }, { url: URL_, headers: { 'x-demo': 'two' } });
  assert.equal(result.causes[0].id, 'header-changed');
  assert.match(result.causes[0].title, /x-demo/);
  assert.match(result.causes[0].detail, /'one'.*'two'/);
  assert.ok(result.canonicalRows.some((row) => row.kind === 'changed' && row.left === 'x-demo:two' && row.right === 'x-demo:one'));
});

test('names a signed header that did not arrive', () => {
  const ours = sign({ url: URL_, headers: { 'content-length': '5' }, body: 'hello' }, credentials);
  const serverCanonical = ours.canonicalRequest.replace('content-length:5', 'content-length:');
  const result = diagnose(parseAwsError(apiGatewayBody(serverCanonical, ours.stringToSign)), ours);
  assert.equal(result.causes[0].id, 'header-missing');
  assert.match(result.causes[0].title, /content-length/);
});

test('names path encoding: S3 rules against a service that encodes twice', () => {
  const url = 'https://abc.execute-api.us-east-1.amazonaws.com/test/a%20b';
  const result = compare({ url }, { url }, { ...credentials, s3: true });
  // Both signed with the S3 rules here: no difference. Now the server uses the default rules.
  assert.equal(result.identical, true);
  const ours = sign({ url }, { ...credentials, s3: true, contentSha256: false });
  const server = sign({ url }, credentials);
  const diagnosis = diagnose(parseAwsError(apiGatewayBody(server.canonicalRequest, server.stringToSign)), ours);
  assert.equal(diagnosis.causes[0].id, 'path-encoding');
  assert.match(diagnosis.causes[0].title, /twice/);
});

test('names a changed body', () => {
  const result = compare({ method: 'POST', url: URL_, body: '{"a":1}' }, { method: 'POST', url: URL_, body: '{"a": 1}' });
  assert.deepEqual(causeIds(result), ['body-hash']);
});

test('names the query: a parameter added after signing, and + against %20', () => {
  const added = compare({ url: `${URL_}?type=dog` }, { url: `${URL_}?type=dog&page=2` });
  assert.equal(added.causes[0].id, 'query');
  assert.match(added.causes[0].detail, /page/);
  const plus = compare({ url: `${URL_}?q=a+b` }, { url: `${URL_}?q=a%20b` });
  assert.equal(plus.causes[0].id, 'query-encoding');
});

test('names the host, the method and the path', () => {
  assert.equal(compare({ url: URL_ }, { url: 'https://abc.execute-api.us-east-1.amazonaws.com:8443/test/pets' }).causes[0].id, 'host');
  assert.equal(compare({ url: URL_ }, { method: 'POST', url: URL_ }).causes[0].id, 'method');
  assert.equal(compare({ url: URL_ }, { url: 'https://abc.execute-api.us-east-1.amazonaws.com/prod/pets' }).causes[0].id, 'path');
});

test('names region and service from the string to sign', () => {
  const region = compare({ url: URL_ }, { url: URL_ }, credentials);
  assert.equal(region.identical, true);
  // (A custom domain: a host that names its region takes no other, CONFLICTING_REGION.)
  const custom = 'https://api.example.com/test/pets';
  const ours = sign({ url: custom }, { ...credentials, region: 'eu-west-1' });
  const server = sign({ url: custom }, credentials);
  const result = diagnose(parseAwsError(apiGatewayBody(server.canonicalRequest, server.stringToSign)), ours);
  assert.ok(causeIds(result).includes('region'));
});

test('identical canonical request and string to sign: the secret key', () => {
  const result = compare({ url: URL_ }, { url: URL_ });
  assert.equal(result.identical, true);
  assert.deepEqual(causeIds(result), ['secret']);
});

test('a session token the server redacted matches ours', () => {
  const options = { ...credentials, sessionToken: 'TOKEN/with+chars=' };
  const ours = sign({ url: URL_ }, options);
  const redacted = ours.canonicalRequest.replace('x-amz-security-token:TOKEN/with+chars=', 'x-amz-security-token:** redacted **');
  const result = diagnose(parseAwsError(apiGatewayBody(redacted, ours.stringToSign)), ours);
  assert.deepEqual(causeIds(result), ['secret']);
});

test('messages without a canonical request: each AWS case is named', () => {
  const cases = [
    ['{"message":"Missing Authentication Token"}', 'not-signed'],
    ['{"message":"The security token included in the request is invalid."}', 'unknown-key'],
    ['{"message":"The security token included in the request is expired"}', 'expired-token'],
    ['{"Message":"User: arn:aws:iam::123456789012:user/reader is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5/test/POST/pets because no identity-based policy allows the execute-api:Invoke action"}', 'access-denied'],
    ['{"message":"\'Host\' or \':authority\' must be a \'SignedHeader\' in the AWS Authorization."}', 'host-not-signed'],
    ['{"message":"Signature expired: 20261123T100000Z is now earlier than 20261123T101500Z (20261123T103000Z - 15 min.)"}', 'clock-skew'],
    ['{"message":"Signature not yet current: 20261123T110000Z is still later than 20261123T104500Z (20261123T103000Z + 15 min.)"}', 'clock-skew'],
    ['{"message":"Request has expired: signed at 20261123T101500Z, valid for 1 seconds until 20261123T101501Z, and it is now 20261123T101503Z."}', 'expired'],
    ["{\"message\":\"Credential should be scoped to a valid region, not 'eu-west-1'. (This endpoint is in 'us-east-1'.)\"}", 'region'],
    ["{\"message\":\"Credential should be scoped to correct service: 'execute-api'.\"}", 'service'],
    ["{\"message\":\"Authorization header requires 'Credential' parameter. Authorization=AWS4-HMAC-SHA256 x\"}", 'malformed'],
    ['<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message><RequestTime>20261123T090000Z</RequestTime><ServerTime>2026-11-23T10:00:00Z</ServerTime></Error>', 'clock-skew'],
    ["<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message></Error>", 'region'],
  ];
  for (const [body, id] of cases) {
    const result = diagnose(parseAwsError(body), null);
    assert.equal(result.causes[0].id, id, body);
  }
});

test('clock skew says by how much', () => {
  const result = diagnose(parseAwsError('{"message":"Signature expired: 20261123T100000Z is now earlier than 20261123T101500Z (20261123T103000Z - 15 min.)"}'), null);
  assert.match(result.causes[0].detail, /30 minutes/);
  const s3 = diagnose(parseAwsError('<Error><Code>RequestTimeTooSkewed</Code><Message>m</Message><RequestTime>20261123T090000Z</RequestTime><ServerTime>2026-11-23T10:00:00Z</ServerTime></Error>'), null);
  assert.match(s3.causes[0].detail, /60 minutes behind/);
});

test('a canonical request without our signing asks to sign first; garbage gives a clear answer', () => {
  const signed = sign({ url: URL_ }, credentials);
  const result = diagnose(parseAwsError(apiGatewayBody(signed.canonicalRequest, signed.stringToSign)), null);
  assert.equal(result.causes.at(-1).id, 'sign-first');
  const unknown = diagnose(parseAwsError('something else entirely'), null);
  assert.deepEqual(causeIds(unknown), ['unknown']);
  assert.deepEqual(causeIds(diagnose(parseAwsError(''), null)), ['unknown']);
  assert.equal(parseAwsError('{not json').notes.length, 1);
});

test('a one-line canonical request (newlines lost) is reported', () => {
  const parsed = parseAwsError("The request signature we calculated does not match. The Canonical String for this request should have been 'GET / host:h host abc' The String-to-Sign should have been 'AWS4-HMAC-SHA256 x'");
  assert.equal(parsed.format, 'api-gateway');
  assert.match(parsed.notes[0], /line breaks/);
});
