// sigv4-wasm/cognito's STS providers (issue 13): assumeRole (with MFA), getSessionToken and
// assumeRoleWithWebIdentity against moto_server (moto 5.2.5, installed by scripts/verifiers.sh)
// with IAM authentication on: moto checks each signature with botocore and answers
// GetCallerIdentity with the signing identity, so the credentials a provider returns are
// shown to be the assumed role's. Then the XML reader and the errors, on answers made here.
//
//   node --test tests/js/credentials-sts.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { assumeRole, getSessionToken, assumeRoleWithWebIdentity, SigV4Error } from 'sigv4-wasm/cognito';
import { AwsClient, cacheCredentials } from 'sigv4-wasm';
import { httpRequest, startMoto } from '../postman/helpers.mjs';

const ACCOUNT = '123456789012';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/sigv4-wasm-role`;
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
let moto;
let user;
let powerless;

/** A form POST to moto while its auth is off (seeding: the signature is not checked). */
async function seed(params) {
  const response = await httpRequest(`${moto.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=AKIABOOTSTRAP0000000/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0' },
    body: new URLSearchParams({ Version: '2010-05-08', ...params }).toString(),
  });
  if (response.status !== 200) throw new Error(`${params.Action}: ${response.status} ${response.text}`);
  return response.text;
}
const b64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An OIDC ID token as an identity provider issues it (moto reads, and does not verify, it). */
// One expiry for every token, so that the same n makes the same token whenever it is made.
const OIDC_EXP = Math.floor(Date.now() / 1000) + 3600;
const oidcToken = (n) => `${b64url({ alg: 'RS256', kid: 'k' })}.${b64url({ iss: 'https://oidc.example', sub: `user-${n}`, aud: 'app', exp: OIDC_EXP })}.c2ln`;
const field = (xml, name) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)[1];

async function createUser(name, policy) {
  await seed({ Action: 'CreateUser', UserName: name });
  if (policy) await seed({ Action: 'PutUserPolicy', UserName: name, PolicyName: 'all', PolicyDocument: policy });
  const key = await seed({ Action: 'CreateAccessKey', UserName: name });
  return { accessKeyId: field(key, 'AccessKeyId'), secretAccessKey: field(key, 'SecretAccessKey') };
}

before(async () => {
  moto = await startMoto();
  await httpRequest(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: 'inf' }); // auth off while seeding
  user = await createUser('sigv4-wasm-user', ALLOW_ALL);
  powerless = await createUser('sigv4-wasm-nobody');
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/sigv4-wasm-user` }, Action: 'sts:AssumeRole' }] });
  await seed({ Action: 'CreateRole', RoleName: 'sigv4-wasm-role', AssumeRolePolicyDocument: trust });
  await seed({ Action: 'PutRolePolicy', RoleName: 'sigv4-wasm-role', PolicyName: 'all', PolicyDocument: ALLOW_ALL });
  await httpRequest(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: '0' }); // auth on from here
});
after(() => moto && moto.stop());

/** GetCallerIdentity signed with `credentials` (a value or a provider) by AwsClient: the caller's ARN. */
async function callerArn(credentials) {
  const aws = new AwsClient({ credentials, service: 'sts', region: 'us-east-1', retries: 0 });
  const response = await aws.fetch(`${moto.url}/`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return field(text, 'Arn');
}

/** A fetch that records each request's body and headers before sending it with the global fetch. */
function recording() {
  const sent = [];
  const send = (url, init) => {
    sent.push({ url, headers: init.headers, body: new URLSearchParams(init.body) });
    return fetch(url, init);
  };
  return { sent, fetch: send };
}

test('assumeRole: signed with the user\'s key, its credentials are the assumed role\'s (GetCallerIdentity), refreshed through AwsClient', async () => {
  assert.equal(await callerArn(user), `arn:aws:iam::${ACCOUNT}:user/sigv4-wasm-user`, 'the user, first');
  const { sent, fetch: send } = recording();
  const provider = assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'sigv4-wasm-session', durationSeconds: 900, externalId: 'ext-1', endpoint: `${moto.url}/`, fetch: send });
  const credentials = await provider();
  assert.match(credentials.accessKeyId, /^ASIA/);
  assert.ok(credentials.sessionToken && credentials.secretAccessKey);
  assert.ok(credentials.expiration instanceof Date && credentials.expiration.getTime() > Date.now(), 'an expiration in the future');
  assert.equal(credentials.assumedRoleArn, `arn:aws:sts::${ACCOUNT}:assumed-role/sigv4-wasm-role/sigv4-wasm-session`);
  assert.deepEqual(Object.keys(credentials), ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration']);
  assert.equal(sent[0].body.get('Action'), 'AssumeRole');
  assert.equal(sent[0].body.get('Version'), '2011-06-15');
  assert.equal(sent[0].body.get('ExternalId'), 'ext-1');
  assert.equal(sent[0].body.get('DurationSeconds'), '900');
  assert.match(sent[0].headers.authorization, new RegExp(`^AWS4-HMAC-SHA256 Credential=${user.accessKeyId}/\\d{8}/us-east-1/sts/aws4_request`));
  assert.equal(await callerArn(credentials), credentials.assumedRoleArn, 'the temporary credentials sign as the assumed role');
  // As AwsClient's provider: fetched once, cached, and the provider can itself take a provider.
  const cachedUser = cacheCredentials(() => user);
  const chained = assumeRole({ credentials: cachedUser, roleArn: ROLE_ARN, roleSessionName: 'chained', endpoint: `${moto.url}/`, fetch: send });
  const before = sent.length;
  assert.equal(await callerArn(chained), `arn:aws:sts::${ACCOUNT}:assumed-role/sigv4-wasm-role/chained`);
  assert.equal(sent.length, before + 1, 'one AssumeRole');
});

test('assumeRole with MFA: SerialNumber and a TokenCode asked again at every refresh; a bad code is refused before sending', async () => {
  const { sent, fetch: send } = recording();
  let codes = 0;
  const provider = assumeRole({
    credentials: user, roleArn: ROLE_ARN, roleSessionName: 'mfa', endpoint: `${moto.url}/`, fetch: send,
    serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/sigv4-wasm-user`, tokenCode: () => String(123456 + codes++),
  });
  await provider();
  await provider();
  assert.deepEqual(sent.map((s) => [s.body.get('SerialNumber'), s.body.get('TokenCode')]),
    [[`arn:aws:iam::${ACCOUNT}:mfa/sigv4-wasm-user`, '123456'], [`arn:aws:iam::${ACCOUNT}:mfa/sigv4-wasm-user`, '123457']]);
  await assert.rejects(assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'mfa', endpoint: `${moto.url}/`, serialNumber: 'arn:x', tokenCode: '12345' })(),
    { name: 'TypeError', message: /six-digit code/ });
  assert.throws(() => assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'a b' }), /roleSessionName/);
  assert.throws(() => assumeRole({ roleArn: ROLE_ARN, roleSessionName: 'ok' }), /credentials/);
  // Options are checked when the provider is made, not at its first refresh.
  assert.throws(() => assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'ok', durationSeconds: 60 }), /durationSeconds/);
  assert.throws(() => assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'ok', serialNumber: 'arn:x' }), /serialNumber needs tokenCode/);
  assert.throws(() => getSessionToken({ credentials: user, tokenCode: '123456' }), /tokenCode needs serialNumber/);
  assert.throws(() => assumeRoleWithWebIdentity({ roleArn: ROLE_ARN, roleSessionName: 'ok', webIdentityToken: 't', tokenCode: '123456' }), /no MFA/);
  assert.throws(() => assumeRoleWithWebIdentity({ roleArn: ROLE_ARN, roleSessionName: 'ok' }), /webIdentityToken/);
  const throwing = assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'ok', serialNumber: 'arn:x', tokenCode: () => { throw new Error('no code'); } });
  await assert.rejects(throwing(), /no code/, 'a tokenCode function that throws: the provider rejects');
});

test('getSessionToken: signed with the user\'s key (moto checks it), with MFA; the session\'s credentials', async () => {
  const { sent, fetch: send } = recording();
  const credentials = await getSessionToken({ credentials: user, durationSeconds: 900, endpoint: `${moto.url}/`, fetch: send,
    serialNumber: `arn:aws:iam::${ACCOUNT}:mfa/sigv4-wasm-user`, tokenCode: '654321' })();
  assert.deepEqual(Object.keys(credentials), ['accessKeyId', 'secretAccessKey', 'sessionToken', 'expiration']);
  assert.ok(credentials.expiration.getTime() > Date.now());
  assert.equal(credentials.assumedRoleArn, undefined);
  assert.deepEqual([sent[0].body.get('Action'), sent[0].body.get('SerialNumber'), sent[0].body.get('TokenCode')], ['GetSessionToken', `arn:aws:iam::${ACCOUNT}:mfa/sigv4-wasm-user`, '654321']);
  // (moto's GetSessionToken answers fixed example credentials that its own IAM authentication
  // does not know, so GetCallerIdentity cannot be asked with them; AssumeRole's are real.)
  const wrong = { ...user, secretAccessKey: `${user.secretAccessKey}x` };
  await assert.rejects(getSessionToken({ credentials: wrong, endpoint: `${moto.url}/` })(), { code: 'STS_ERROR', stsCode: 'SignatureDoesNotMatch' });
});

test('assumeRoleWithWebIdentity: unsigned, the token from a function at each call; GetCallerIdentity shows the role', async () => {
  const { sent, fetch: record } = recording();
  // moto's IAM authentication has no way for an unsigned call: each one is let through alone
  // (reset-auth N: the next N requests are not authenticated).
  const send = (url, init) => httpRequest(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: '1' }).then(() => record(url, init));
  let asked = 0;
  const provider = assumeRoleWithWebIdentity({
    roleArn: ROLE_ARN, roleSessionName: 'web', endpoint: `${moto.url}/`, fetch: send,
    webIdentityToken: () => Promise.resolve(oidcToken(++asked)),
  });
  const credentials = await provider();
  assert.equal(sent[0].headers.authorization, undefined, 'no signature');
  assert.equal(sent[0].body.get('Action'), 'AssumeRoleWithWebIdentity');
  assert.equal(sent[0].body.get('WebIdentityToken'), oidcToken(1));
  assert.equal(credentials.assumedRoleArn, `arn:aws:sts::${ACCOUNT}:assumed-role/sigv4-wasm-role/web`);
  assert.equal(await callerArn(provider), credentials.assumedRoleArn);
  assert.equal(asked, 2, 'AwsClient\'s call asked the provider, which asked for the token again');
});

test('STS refusals are STS_ERROR with stsCode, a message that says what to fix, and no secret', async () => {
  const wrongSecret = { accessKeyId: user.accessKeyId, secretAccessKey: 'not-the-secret-key-0000000000000000000000' };
  await assert.rejects(assumeRole({ credentials: wrongSecret, roleArn: ROLE_ARN, roleSessionName: 'session', endpoint: `${moto.url}/` })(), (error) => {
    assert.ok(error instanceof SigV4Error);
    assert.equal(error.code, 'STS_ERROR');
    assert.equal(error.stsCode, 'SignatureDoesNotMatch');
    assert.equal(error.status, 403);
    assert.match(error.message, /STS AssumeRole failed: SignatureDoesNotMatch.*check the secret access key/);
    assert.ok(!error.message.includes('not-the-secret'), 'no secret in the message');
    return true;
  });
  await assert.rejects(assumeRole({ credentials: powerless, roleArn: ROLE_ARN, roleSessionName: 'session', endpoint: `${moto.url}/` })(),
    { code: 'STS_ERROR', stsCode: 'AccessDenied', message: /trust policy/ });
  // Through cacheCredentials (and so AwsClient), the cause of CREDENTIALS_REFRESH_FAILED.
  const client = new AwsClient({ credentials: assumeRole({ credentials: powerless, roleArn: ROLE_ARN, roleSessionName: 'session', endpoint: `${moto.url}/` }), service: 'sts', region: 'us-east-1', retries: 0 });
  await assert.rejects(client.fetch(`${moto.url}/`, { method: 'POST', body: 'Action=GetCallerIdentity&Version=2011-06-15' }),
    (error) => error.code === 'CREDENTIALS_REFRESH_FAILED' && error.cause.stsCode === 'AccessDenied');
});

test('the XML reader: STS\'s answers read strictly; anything else is an STS_ERROR, never credentials', async () => {
  const answerWith = (status, body) => () => Promise.resolve({ status, text: () => Promise.resolve(body) });
  const provider = (status, body) => assumeRole({ credentials: user, roleArn: ROLE_ARN, roleSessionName: 'session', endpoint: 'https://sts.example/', fetch: answerWith(status, body) });
  const ok = (credentials) => `<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <!-- a comment -->
    <SourceIdentity>dev&amp;ops</SourceIdentity>
    <AssumedRoleUser><Arn>arn:aws:sts::1:assumed-role/r/s</Arn><AssumedRoleId>ARO:s</AssumedRoleId></AssumedRoleUser>
    <Credentials>${credentials}</Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata>
</AssumeRoleResponse>
`;
  const full = '<AccessKeyId>ASIAEXAMPLE</AccessKeyId><SecretAccessKey>s&lt;e&#x2F;c</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>';
  const read = await provider(200, ok(full))();
  assert.deepEqual({ ...read }, { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 's<e/c', sessionToken: 'tok', expiration: new Date('2030-01-01T00:00:00Z') });
  assert.equal(read.assumedRoleArn, 'arn:aws:sts::1:assumed-role/r/s');
  const refusals = {
    'no session token': [200, ok(full.replace('<SessionToken>tok</SessionToken>', '')), /no Credentials\/SessionToken/],
    'a bad expiration': [200, ok(full.replace('2030-01-01T00:00:00Z', 'soon')), /Expiration is not a date/],
    'tags out of order': [200, ok(full).replace('</AssumeRoleResult>', ''), /not the XML STS sends/],
    'a DOCTYPE': [200, `<!DOCTYPE x [<!ENTITY e "x">]>${ok(full)}`, /not the XML STS sends/],
    'an unknown entity': [200, ok(full.replace('tok', '&nbsp;')), /the entity &nbsp;/],
    'a bare ampersand': [200, ok(full.replace('tok', 'a&b')), /a bare &/],
    'two roots': [200, `${ok(full)}<x/>`, /content after the root element/],
    'too large': [200, ok(full.replace('tok', 'x'.repeat(70000))), /more than 65536 characters/],
    'too deep': [200, `${'<a>'.repeat(20)}${'</a>'.repeat(20)}`, /more than 16 levels/],
    'HTML': [502, '<html><body>Bad Gateway</body></html>', /STS AssumeRole failed: HTTP 502/],
    'JSON': [200, '{"Credentials":{}}', /not the XML STS sends/],
    'another action\'s answer': [200, ok(full).replace(/AssumeRole(Response|Result)/g, 'GetSessionToken$1'), /failed: HTTP 200/],
  };
  for (const [what, [status, body, message]] of Object.entries(refusals)) {
    await assert.rejects(provider(status, body)(), (error) => {
      assert.equal(error.code, 'STS_ERROR', what);
      assert.equal(error.stsCode, undefined, what);
      assert.match(error.message, message, what);
      return true;
    });
  }
  const error = '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>r</RequestId></ErrorResponse>';
  await assert.rejects(provider(400, error)(), { code: 'STS_ERROR', stsCode: 'ExpiredToken', status: 400, message: /ExpiredToken: The security token included in the request is expired \(the credentials that signed the call have expired/ });
});
