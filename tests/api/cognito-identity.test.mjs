// The local identity pool and the API's Cognito authorizer (www/server/cognito/): the
// package's identityPoolCredentials against GetId and GetCredentialsForIdentity, the temporary
// credentials signing calls the API accepts under the pool's role (and refuses once expired),
// the COGNITO_USER_POOLS authorizer's answers for missing, expired, tampered and foreign
// tokens, and who called (GET /whoami, GET /me, X-Local-Caller).
//
//   node --test tests/api/cognito-identity.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as cognito from 'sigv4-wasm/cognito';
import { AwsClient } from 'sigv4-wasm';
import { startServer } from '../../www/server/server.mjs';
import { signedRequest } from './helpers.mjs';

const POOL_ID = 'us-east-1_IdentityT1';
const CLIENT = 'identitytestclient01';
const IDENTITY_POOL = 'us-east-1:0a0b0c0d-1111-4222-8333-444455556666';
const ROLE = 'arn:aws:iam::123456789012:role/PetReaders';
const CAROL = { username: 'carol', password: 'Carol#Pass3', email: 'carol@example.com' };

const poolConfig = (extra = {}) => ({
  cognito: {
    userPool: {
      id: POOL_ID,
      users: [CAROL, { username: 'zoë€', password: 'Zoe#Pass4' }],
      clients: [
        { clientId: CLIENT, explicitAuthFlows: ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'] },
        { clientId: 'identitymachine001', clientSecret: 'machine-secret-0001', allowedOAuthFlows: ['client_credentials'], allowedOAuthScopes: ['pets/read'] },
      ],
      ...extra.userPool,
    },
    identityPool: {
      id: IDENTITY_POOL,
      roleArn: ROLE,
      policy: { Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/test/GET/*' }] },
      ...extra.identityPool,
    },
    authorizer: { methods: ['GET /me', { method: 'GET /pets/{petId}', scopes: ['pets/read'] }] },
  },
});

let server;
let other;
before(async () => {
  server = await startServer({ port: 0, env: {}, config: poolConfig() });
  // A second server: its pool has the same id, but its own key, so its tokens are foreign here.
  other = await startServer({ port: 0, env: {}, config: poolConfig() });
});
after(async () => {
  if (server) await server.close();
  if (other) await other.close();
});

const signIn = (target = server) => cognito.signInWithPassword({ userPoolId: POOL_ID, clientId: CLIENT, endpoint: `${target.url}/cognito-idp/`, username: 'carol', password: CAROL.password }).then((a) => a.AuthenticationResult);
const provider = (idToken, target = server, extra = {}) => cognito.identityPoolCredentials({ identityPoolId: IDENTITY_POOL, idToken, endpoint: `${target.url}/cognito-identity/`, ...extra });
const rejects = async (promise, code, message) => {
  const error = await promise.then(() => assert.fail('expected a refusal'), (e) => e);
  assert.equal(error.cognitoCode, code, error.message);
  if (message) assert.match(error.message, message);
};
const assumedRole = 'arn:aws:sts::123456789012:assumed-role/PetReaders/CognitoIdentityCredentials';

test('SRP sign-in, identity-pool credentials, then a SigV4 call the API accepts under the pool\'s role, naming it', async () => {
  const tokens = (await cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: CLIENT, endpoint: `${server.url}/cognito-idp/`, username: 'carol', password: CAROL.password })).AuthenticationResult;
  const credentials = await provider(tokens.IdToken)();
  assert.match(credentials.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
  assert.equal(credentials.secretAccessKey.length, 40);
  assert.ok(credentials.sessionToken.length > 100);
  assert.ok(credentials.expiration instanceof Date);
  assert.ok(Math.abs(credentials.expiration.getTime() - (Date.now() + 3600 * 1000)) < 5000);

  const client = new AwsClient({ credentials: provider(tokens.IdToken), region: 'us-east-1', service: 'execute-api' });
  const pets = await client.fetch(`${server.url}/test/pets?type=cat`);
  assert.equal(pets.status, 200);
  assert.equal(pets.headers.get('x-local-caller'), assumedRole);
  assert.ok((await pets.json()).every((pet) => pet.type === 'cat'));

  const whoami = await client.fetch(`${server.url}/test/whoami`);
  assert.equal(whoami.status, 200);
  const { requestContext } = await whoami.json();
  assert.equal(requestContext.identity.userArn, assumedRole);
  assert.match(requestContext.identity.caller, /^AROA[A-Z2-7]{17}:CognitoIdentityCredentials$/);
  assert.equal(requestContext.identity.cognitoIdentityPoolId, IDENTITY_POOL);
  assert.match(requestContext.identity.cognitoIdentityId, /^us-east-1:[0-9a-f-]{36}$/);
  assert.equal(requestContext.identity.cognitoAuthenticationType, 'authenticated');
  const sub = cognito.decodeJwt(tokens.IdToken).payload.sub;
  assert.ok(requestContext.identity.cognitoAuthenticationProvider.endsWith(`:CognitoSignIn:${sub}`));

  // The role's policy allows GET only: POST is denied, naming the assumed role.
  const post = await client.fetch(`${server.url}/test/pets`, { method: 'POST', body: JSON.stringify({ type: 'dog', price: 1 }) });
  assert.equal(post.status, 403);
  assert.equal(post.headers.get('x-amzn-errortype'), 'AccessDeniedException');
  assert.match((await post.json()).Message, new RegExp(`^User: ${assumedRole.replace(/[/.]/g, '\\$&')} is not authorized to perform: execute-api:Invoke`));

  // The same user gets the same identity id; the session token is required and checked.
  const again = await provider(tokens.IdToken)();
  assert.notEqual(again.accessKeyId, credentials.accessKeyId);
  const noToken = await signedRequest(`${server.url}/test/pets`, { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.headers['x-amzn-errortype'], 'UnrecognizedClientException');
  const wrongSecret = await signedRequest(`${server.url}/test/pets`, { ...credentials, secretAccessKey: again.secretAccessKey });
  assert.equal(wrongSecret.headers['x-amzn-errortype'], 'InvalidSignatureException');
  // The demo key (an IAM user) is named as such.
  const demo = await signedRequest(`${server.url}/test/whoami`, server.credentials);
  assert.equal(demo.headers['x-local-caller'], 'arn:aws:iam::123456789012:user/sigv4-demo');
  assert.match(demo.json.requestContext.identity.caller, /^AIDA/);
  assert.equal(demo.json.requestContext.identity.cognitoIdentityId, null);
});

test('GetId and GetCredentialsForIdentity refusals: Cognito\'s types and messages', async () => {
  const tokens = await signIn();
  const call = async (target, body) => {
    const response = await fetch(`${server.url}/cognito-identity/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityService.${target}` }, body: JSON.stringify(body) });
    const json = await response.json();
    return [response.status, json.__type, json.message];
  };
  const login = { [`${server.url.replace('http://', '')}/${POOL_ID}`]: tokens.IdToken };
  const [, , ] = await call('GetId', { IdentityPoolId: IDENTITY_POOL, Logins: login });
  assert.deepEqual(await call('GetId', { IdentityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000', Logins: login }), [400, 'ResourceNotFoundException', "IdentityPool 'us-east-1:00000000-0000-4000-8000-000000000000' not found."]);
  assert.deepEqual(await call('GetId', { IdentityPoolId: IDENTITY_POOL }), [400, 'NotAuthorizedException', 'Unauthenticated access is not supported for this identity pool.']);
  assert.deepEqual(await call('GetId', { IdentityPoolId: IDENTITY_POOL, Logins: { 'accounts.google.com': tokens.IdToken } }), [400, 'NotAuthorizedException', "Invalid login token. Issuer doesn't match providerName"]);
  // The AWS-style provider name works too.
  const awsName = { [`cognito-idp.us-east-1.amazonaws.com/${POOL_ID}`]: tokens.IdToken };
  const [status, , ] = await call('GetId', { IdentityPoolId: IDENTITY_POOL, Logins: awsName });
  assert.equal(status, 200);
  // Access tokens, tampered and foreign ID tokens are not identity tokens of this pool.
  assert.deepEqual(await call('GetId', { IdentityPoolId: IDENTITY_POOL, Logins: { ...awsName, [Object.keys(awsName)[0]]: tokens.AccessToken } }), [400, 'NotAuthorizedException', 'Invalid login token. Not a valid OpenId Connect identity token.']);
  const [h, p, s] = tokens.IdToken.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${s}`;
  assert.equal((await call('GetId', { IdentityPoolId: IDENTITY_POOL, Logins: { [Object.keys(awsName)[0]]: tampered } }))[1], 'NotAuthorizedException');
  const foreign = await signIn(other);
  assert.deepEqual(await call('GetId', { IdentityPoolId: IDENTITY_POOL, Logins: { [Object.keys(awsName)[0]]: foreign.IdToken } }), [400, 'NotAuthorizedException', 'Invalid login token. Not a valid OpenId Connect identity token.']);
  // Another user's identity id with this token.
  assert.deepEqual(await call('GetCredentialsForIdentity', { IdentityId: 'us-east-1:00000000-0000-4000-8000-000000000000', Logins: awsName }), [400, 'NotAuthorizedException', "Logins don't match. Please include at least one valid login for this identity or identity pool."]);
  assert.deepEqual(await call('GetCredentialsForIdentity', { IdentityId: 'eu-west-1:nope', Logins: awsName }), [400, 'ResourceNotFoundException', "Identity 'eu-west-1:nope' not found."]);
  assert.deepEqual((await call('ListIdentityPools', {})).slice(0, 2), [400, 'UnknownOperationException']);
  // Through the package: the error is typed.
  await rejects(provider(foreign.IdToken)(), 'NotAuthorizedException', /Invalid login token/);
});

test('an expired ID token is refused by the identity pool and the authorizer', async () => {
  const tokens = await signIn();
  const pool = server.cognito.userPool;
  pool.setClock(() => Date.now() + 2 * 3600 * 1000);
  try {
    await rejects(provider(tokens.IdToken)(), 'NotAuthorizedException', /Invalid login token\. Token expired: \d+ >= \d+/);
    const response = await fetch(`${server.url}/test/me`, { headers: { authorization: tokens.IdToken } });
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    assert.deepEqual(await response.json(), { message: 'The incoming token has expired' });
  } finally {
    pool.setClock(() => Date.now());
  }
});

test('temporary credentials past their Expiration get API Gateway\'s ExpiredTokenException', async () => {
  const short = await startServer({ port: 0, env: {}, config: poolConfig({ identityPool: { credentialsLifetimeSeconds: 1 } }) });
  try {
    const tokens = await signIn(short);
    const credentials = await provider(tokens.IdToken, short)();
    assert.ok(credentials.expiration.getTime() - Date.now() <= 2000);
    assert.equal(credentials.expiration.getTime() % 1000, 0, 'whole seconds');
    const first = await signedRequest(`${short.url}/test/pets`, credentials);
    assert.equal(first.status, 200);
    await new Promise((resolve) => setTimeout(resolve, credentials.expiration.getTime() - Date.now() + 100));
    const late = await signedRequest(`${short.url}/test/pets`, credentials);
    assert.equal(late.status, 403);
    assert.equal(late.headers['x-amzn-errortype'], 'ExpiredTokenException');
    assert.deepEqual(late.json, { message: 'The security token included in the request is expired' });
    // An AwsClient with the provider refreshes ahead of expiry and goes on working.
    const client = new AwsClient({ credentials: provider(tokens.IdToken, short), region: 'us-east-1', service: 'execute-api' });
    assert.equal((await client.fetch(`${short.url}/test/pets`)).status, 200);
  } finally {
    await short.close();
  }
});

test('the COGNITO_USER_POOLS authorizer: an ID token (a method without scopes) or an access token with a scope; 401 for a missing, malformed, tampered or foreign one', async () => {
  const tokens = await signIn();
  const me = (authorization) => fetch(`${server.url}/test/me`, { headers: authorization === undefined ? {} : { authorization } });
  for (const token of [tokens.IdToken, `Bearer ${tokens.IdToken}`]) {
    const response = await me(token);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-local-caller'), 'carol');
    const body = await response.json();
    assert.equal(body.requestContext.authorizer.claims.sub, cognito.decodeJwt(tokens.IdToken).payload.sub);
    assert.equal(typeof body.requestContext.authorizer.claims.exp, 'string', 'claims are strings, as API Gateway passes them');
  }
  const unauthorized = async (authorization) => {
    const response = await me(authorization);
    assert.equal(response.status, 401, String(authorization).slice(0, 40));
    assert.equal(response.headers.get('x-amzn-errortype'), 'UnauthorizedException');
    assert.deepEqual(await response.json(), { message: 'Unauthorized' });
  };
  await unauthorized(undefined);
  await unauthorized('');
  await unauthorized('not a token');
  await unauthorized(`${tokens.IdToken}x`);
  const [h, p, s] = tokens.IdToken.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  await unauthorized(`${h}.${Buffer.from(JSON.stringify({ ...claims, 'cognito:username': 'admin' })).toString('base64url')}.${s}`);
  await unauthorized(`${Buffer.from(JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(h, 'base64url')).kid })).toString('base64url')}.${p}.`);
  await unauthorized((await signIn(other)).IdToken);
  await unauthorized(tokens.AccessToken); // a method without OAuth scopes takes ID tokens
  // A user name outside ASCII: the header carries it percent-encoded, the claims as it is.
  const zoe = (await cognito.signInWithPassword({ userPoolId: POOL_ID, clientId: CLIENT, endpoint: `${server.url}/cognito-idp/`, username: 'zoë€', password: 'Zoe#Pass4' })).AuthenticationResult;
  const zoeMe = await me(zoe.IdToken);
  assert.equal(zoeMe.status, 200);
  assert.equal(zoeMe.headers.get('x-local-caller'), encodeURIComponent('zoë€'));
  assert.equal((await zoeMe.json()).requestContext.authorizer.claims['cognito:username'], 'zoë€');
  const zoeSrp = await cognito.signInWithSrp({ userPoolId: POOL_ID, clientId: CLIENT, endpoint: `${server.url}/cognito-idp/`, username: 'zoë€', password: 'Zoe#Pass4' });
  assert.equal(cognito.decodeJwt(zoeSrp.AuthenticationResult.IdToken).payload['cognito:username'], 'zoë€', 'SRP over a UTF-8 user name');
  // A SigV4 signature is not what this method takes.
  const signed = await signedRequest(`${server.url}/test/me`, server.credentials);
  assert.equal(signed.status, 401);
  // A pets method put behind the authorizer with the scope pets/read takes an access token
  // with that scope instead of a signature: a machine's (client_credentials), naming its client.
  const machine = await (await fetch(`${server.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'identitymachine001', client_secret: 'machine-secret-0001' }) })).json();
  const pet = await fetch(`${server.url}/test/pets/1`, { headers: { authorization: machine.access_token } });
  assert.equal(pet.status, 200);
  assert.equal((await pet.json()).id, 1);
  assert.equal(pet.headers.get('x-local-caller'), 'client identitymachine001');
  for (const authorization of [undefined, tokens.IdToken, tokens.AccessToken]) {
    const refused = await fetch(`${server.url}/test/pets/1`, { headers: authorization ? { authorization } : {} });
    assert.equal(refused.status, 401, 'no token, an ID token, an access token without pets/read');
    assert.deepEqual(await refused.json(), { message: 'Unauthorized' });
  }
  assert.equal((await me(machine.access_token)).status, 401, 'an access token where an ID token is expected');
});

test('issued keys are bounded: beyond 1000 the oldest is forgotten (then UnrecognizedClientException)', async () => {
  const keys = server.cognito.identityPool.keys;
  keys.map.clear(); // the earlier tests' keys
  const tokens = await signIn();
  const first = await provider(tokens.IdToken)();
  for (let i = keys.size; i < 1000; i++) keys.set(`ASIAFILLER${String(i).padStart(10, '0')}`, { filler: true });
  assert.equal(keys.size, 1000);
  assert.ok(keys.get(first.accessKeyId));
  await provider(tokens.IdToken)();
  assert.equal(keys.size, 1000);
  const forgotten = await signedRequest(`${server.url}/test/pets`, first);
  assert.equal(forgotten.headers['x-amzn-errortype'], 'UnrecognizedClientException');
});
