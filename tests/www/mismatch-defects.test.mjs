// The mismatch debugger on the errors of issue 15 that it used to get wrong: the bare
// "signature does not match" message, STS/IAM <ErrorResponse> XML, the region message
// without its tail, Missing Authentication Token for a signed request, an unreadable
// canonical request, plain API errors, and advice naming options the page does not have.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sign } from 'sigv4-wasm';
import { diagnose, parseAwsError, signatureChecklist } from '../../www/lib/mismatch.mjs';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'execute-api', datetime: '20261123T101500Z' };
const URL_ = 'https://abc.execute-api.us-east-1.amazonaws.com/test/pets';
const BARE = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const ids = (result) => result.causes.map((c) => c.id);

function apiGatewayBody(canonicalRequest, stringToSign) {
  return JSON.stringify({ message: `${BARE}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n` });
}

test('the bare "signature does not match" message is named, in JSON, as text and in S3 XML', () => {
  for (const body of [
    JSON.stringify({ message: BARE }),
    BARE,
    `InvalidSignatureException: ${BARE}`,
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message><RequestId>X</RequestId></Error>',
  ]) {
    const result = diagnose(parseAwsError(body), null);
    assert.equal(result.causes[0].id, 'signature-mismatch', body);
    assert.doesNotMatch(result.causes[0].title, /No known cause/);
  }
});

test('STS and IAM <ErrorResponse> XML is read: code and message, not echoed raw', () => {
  const xml = '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>Sender</Type>\n    <Code>SignatureDoesNotMatch</Code>\n    <Message>The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.</Message>\n  </Error>\n  <RequestId>16fc956c-311e-4199-bee1-1680236e9698</RequestId>\n</ErrorResponse>\n';
  const parsed = parseAwsError(xml);
  assert.equal(parsed.format, 'query-xml');
  assert.equal(parsed.code, 'SignatureDoesNotMatch');
  assert.match(parsed.message, /^The request signature we calculated/);
  assert.equal(diagnose(parsed, null).causes[0].id, 'signature-mismatch');
  const token = parseAwsError(xml.replace('SignatureDoesNotMatch', 'InvalidClientTokenId').replace(/<Message>.*<\/Message>/, '<Message>The security token included in the request is invalid.</Message>'));
  assert.equal(diagnose(token, null).causes[0].id, 'unknown-key');
});

test('"Credential should be scoped to a valid region." without its tail names the region', () => {
  const result = diagnose(parseAwsError('<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to a valid region. </Message></Error></ErrorResponse>'), null);
  assert.equal(result.causes[0].id, 'region');
  assert.match(result.causes[0].detail, /region/);
});

test('Missing Authentication Token for a signed request: the route, not the signature', () => {
  const error = parseAwsError('{"message":"Missing Authentication Token"}');
  const signed = diagnose(error, null, { requestSigned: true });
  assert.equal(signed.causes[0].id, 'no-such-route');
  assert.match(signed.causes[0].detail, /resource|path/);
  assert.doesNotMatch(signed.causes[0].title, /not signed/);
  assert.equal(diagnose(error, null, { requestSigned: false }).causes[0].id, 'not-signed');
});

test('an unreadable canonical request is reported as such, without a diff', () => {
  const ours = sign({ url: URL_ }, credentials);
  // Cut off in the middle of the headers, as a log line or a truncated paste leaves it.
  const cut = apiGatewayBody('GET\n/test/pets\n\nhost:abc.execute-api.us-east-1.amazonaws.com\nx-amz-da', 'AWS4-HMAC-SHA256');
  const result = diagnose(parseAwsError(cut), ours);
  assert.equal(result.causes[0].id, 'unreadable');
  assert.equal(result.canonicalRows, undefined, 'no line diff against a canonical request that could not be read');
  assert.ok(!ids(result).includes('invisible'));
  assert.equal(diagnose(parseAwsError(cut), null).causes[0].id, 'unreadable');
});

test('a plain 400 from the API is not a signature failure', () => {
  const result = diagnose(parseAwsError('{"message":"Could not parse request body into json: Unexpected token"}'), null, { status: 400, requestSigned: true });
  assert.deepEqual(ids(result), ['not-signing']);
  assert.match(result.causes[0].detail, /accepted|passed/);
});

test("advice names only the page's controls, never options it does not have", () => {
  const forbidden = /hostOverride|pathEncoding|normalizePath|queryPlus|s3: true/;
  const cases = [];
  const url = 'https://abc.execute-api.us-east-1.amazonaws.com/test/a%20b';
  // Path encoding, both ways; normalization; query + against %20; host.
  cases.push([sign({ url }, credentials), sign({ url }, { ...credentials, s3: true })]);
  cases.push([sign({ url }, { ...credentials, s3: true }), sign({ url }, credentials)]);
  cases.push([sign({ url: `${URL_}/./x` }, { ...credentials, s3: true }), sign({ url: `${URL_}/./x` }, credentials)]);
  cases.push([sign({ url: `${URL_}?q=a%20b` }, credentials), sign({ url: `${URL_}?q=a+b` }, credentials)]);
  cases.push([sign({ url: 'https://abc.execute-api.us-east-1.amazonaws.com:8443/test/pets' }, credentials), sign({ url: URL_ }, credentials)]);
  const seen = new Set();
  for (const [server, ours] of cases) {
    const result = diagnose(parseAwsError(apiGatewayBody(server.canonicalRequest, server.stringToSign)), ours);
    for (const cause of result.causes) {
      seen.add(cause.id);
      assert.doesNotMatch(`${cause.title} ${cause.detail}`, forbidden, cause.id);
    }
  }
  for (const id of ['path-encoding', 'path-normalization', 'query-encoding', 'host']) assert.ok(seen.has(id), id);
});

test('the checklist for the bare message: each check says what it found', () => {
  const facts = {
    accessKeyId: 'ASIAEXAMPLEEXAMPLE01', hasSessionToken: false, secretEdgeWhitespace: true, secretLooksLikeKeyId: false,
    signedAt: '20261123T101500Z', serverDate: 'Mon, 23 Nov 2026 10:45:00 GMT',
    host: 'abc.execute-api.eu-west-1.amazonaws.com', inferred: { region: 'eu-west-1', service: 'execute-api' },
    region: 'us-east-1', service: 'execute-api', s3: false, pathChanged: true, signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-forwarded-for'],
  };
  const items = signatureChecklist(facts);
  const byId = Object.fromEntries(items.map((i) => [i.id, i]));
  for (const id of ['secret-whitespace', 'key-token-pair', 'clock', 'scope-host', 'path-encoding', 'added-headers']) {
    assert.ok(byId[id], id);
    assert.equal(byId[id].status, 'warn', id);
  }
  assert.match(byId.clock.text, /30 minutes/);
  assert.match(byId['scope-host'].text, /eu-west-1/);
  const fine = signatureChecklist({
    ...facts, accessKeyId: 'AKIAEXAMPLEEXAMPLE01', secretEdgeWhitespace: false, serverDate: 'Mon, 23 Nov 2026 10:16:00 GMT', region: 'eu-west-1', pathChanged: false, signedHeaders: ['host', 'x-amz-date'],
  });
  for (const item of fine) assert.notEqual(item.status, 'warn', item.id);
  // No secret in any check's text.
  for (const item of items) assert.doesNotMatch(item.text, /wJalr/);
});
