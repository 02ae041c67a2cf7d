// A third party's check of sigv4-wasm/cognito (issue 13): moto_server's cognito-idp and
// cognito-identity (moto 5.2.5, installed by scripts/verifiers.sh) accept our calls:
// USER_PASSWORD_AUTH, USER_SRP_AUTH and REFRESH_TOKEN_AUTH with SECRET_HASH (moto checks it),
// then GetId and GetCredentialsForIdentity with Logins from the ID token's iss. moto does not
// check the SRP proof (PASSWORD_CLAIM_SIGNATURE) and sends a UUID as SECRET_BLOCK; the
// proof itself is tested against a verifying stub in tests/js/cognito.test.mjs. Its identity
// pool's credentials live 90 s, less than AwsClient's refresh margin: they are used, and
// fetched again for the next call. The issue also asks that these credentials sign a
// GetCallerIdentity moto's STS accepts: moto 5.2.5 cannot, as its IAM authentication does not
// know the keys its identity pool issues (tried with auth on: 403 InvalidClientTokenId). So the
// identity pool's credentials are checked by the local API's stand-in, which issues keys it
// accepts (tests/api/cognito-identity.test.mjs: the call answered as the pool's role), and STS's
// own providers' credentials by moto's GetCallerIdentity (tests/js/credentials-sts.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as cognito from 'sigv4-wasm/cognito';
import { cacheCredentials } from 'sigv4-wasm';
import { httpRequest, startMoto } from './helpers.mjs';

let moto;
const setup = {};

/** A JSON 1.1 call to moto, unsigned (auth is off while seeding; the public calls need none). */
async function call(target, body) {
  const response = await httpRequest(`${moto.url}/`, {
    method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target }, body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${target}: ${response.status} ${response.text}`);
  return JSON.parse(response.text);
}

before(async () => {
  moto = await startMoto();
  await httpRequest(`${moto.url}/moto-api/reset-auth`, { method: 'POST', body: 'inf' });
  const idp = (op, body) => call(`AWSCognitoIdentityProviderService.${op}`, body);
  setup.userPoolId = (await idp('CreateUserPool', { PoolName: 'sigv4-wasm' })).UserPool.Id;
  const client = (await idp('CreateUserPoolClient', {
    UserPoolId: setup.userPoolId, ClientName: 'tests', GenerateSecret: true,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  })).UserPoolClient;
  setup.clientId = client.ClientId;
  setup.clientSecret = client.ClientSecret;
  await idp('AdminCreateUser', { UserPoolId: setup.userPoolId, Username: 'alice', TemporaryPassword: 'Temp#Pass1', MessageAction: 'SUPPRESS' });
  await idp('AdminSetUserPassword', { UserPoolId: setup.userPoolId, Username: 'alice', Password: 'Correct#Horse9', Permanent: true });
  setup.identityPoolId = (await call('AWSCognitoIdentityService.CreateIdentityPool', {
    IdentityPoolName: 'sigv4wasm', AllowUnauthenticatedIdentities: false,
    CognitoIdentityProviders: [{ ProviderName: `cognito-idp.us-east-1.amazonaws.com/${setup.userPoolId}`, ClientId: setup.clientId }],
  })).IdentityPoolId;
});
after(() => moto && moto.stop());

const pool = () => ({ userPoolId: setup.userPoolId, clientId: setup.clientId, clientSecret: setup.clientSecret, endpoint: `${moto.url}/` });

test('moto accepts USER_PASSWORD_AUTH with SECRET_HASH, and refuses a wrong password or secret as Cognito does', async () => {
  const answer = await cognito.signInWithPassword({ ...pool(), username: 'alice', password: 'Correct#Horse9' });
  const claims = cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload;
  assert.match(claims.iss, new RegExp(`/${setup.userPoolId}$`));
  assert.equal(cognito.isTokenExpired(answer.AuthenticationResult.IdToken), false);
  await assert.rejects(cognito.signInWithPassword({ ...pool(), username: 'alice', password: 'wrong' }), { code: 'COGNITO_ERROR', cognitoCode: 'NotAuthorizedException' });
  // (moto checks SECRET_HASH on USER_SRP_AUTH, below, not on USER_PASSWORD_AUTH.)
});

test('moto accepts USER_SRP_AUTH (SRP_A, SECRET_HASH, the PASSWORD_VERIFIER answer) and REFRESH_TOKEN_AUTH', async () => {
  const answer = await cognito.signInWithSrp({ ...pool(), username: 'alice', password: 'Correct#Horse9' });
  assert.ok(answer.AuthenticationResult && answer.AuthenticationResult.RefreshToken, JSON.stringify(answer));
  const username = cognito.decodeJwt(answer.AuthenticationResult.IdToken).payload['cognito:username'];
  await assert.rejects(cognito.signInWithSrp({ ...pool(), clientSecret: 'not-the-secret', username: 'alice', password: 'Correct#Horse9' }), { cognitoCode: 'NotAuthorizedException' });
  const refreshed = await cognito.refreshTokens({ ...pool(), refreshToken: answer.AuthenticationResult.RefreshToken, username });
  assert.ok(refreshed.AuthenticationResult.IdToken);
});

test('moto\'s identity pool: GetId and GetCredentialsForIdentity with Logins from the ID token; short-lived credentials are used, then fetched again', async () => {
  const answer = await cognito.signInWithPassword({ ...pool(), username: 'alice', password: 'Correct#Horse9' });
  const provider = cognito.identityPoolCredentials({ identityPoolId: setup.identityPoolId, idToken: answer.AuthenticationResult.IdToken, endpoint: `${moto.url}/` });
  const cached = cacheCredentials(provider);
  const first = await cached();
  assert.ok(first.accessKeyId && first.secretAccessKey && first.sessionToken);
  const lifetime = first.expiration.getTime() - Date.now();
  assert.ok(lifetime > 0 && lifetime <= 90 * 1000, `moto's 90 s (${lifetime} ms)`);
  assert.equal(cached.peek(), undefined, 'inside the 5-minute margin: not reused');
  assert.ok((await cached()).accessKeyId);
});
